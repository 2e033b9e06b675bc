// ThumbHash decoding (Evan Wallace's format, evanw.github.io/thumbhash), matching the encoder in
// gallery/photos/media/placeholder.py: a ~30 byte hash becomes a blurred ≤32 px image painted at once.

const { PI, cos, max, min, round } = Math;
const cache = new Map();

function header(hash) {
  const h24 = hash[0] | (hash[1] << 8) | (hash[2] << 16);
  const h16 = hash[3] | (hash[4] << 8);
  const hasAlpha = (h24 >> 23) & 1;
  const isLandscape = (h16 >> 15) & 1;
  const lLimit = hasAlpha ? 5 : 7;
  return {
    lDc: (h24 & 63) / 63,
    pDc: ((h24 >> 6) & 63) / 31.5 - 1,
    qDc: ((h24 >> 12) & 63) / 31.5 - 1,
    lScale: ((h24 >> 18) & 31) / 31,
    pScale: ((h16 >> 3) & 63) / 63,
    qScale: ((h16 >> 9) & 63) / 63,
    hasAlpha,
    lx: max(3, isLandscape ? lLimit : h16 & 7),
    ly: max(3, isLandscape ? h16 & 7 : lLimit),
    aDc: hasAlpha ? (hash[5] & 15) / 15 : 1,
    aScale: (hash[5] >> 4) / 15,
  };
}

// The AC factors are 4-bit nibbles in one stream shared by the channels, in order L, P, Q, A.
function acReader(hash, start) {
  let index = 0;
  return (nx, ny, scale) => {
    const factors = [];
    for (let cy = 0; cy < ny; cy++) {
      for (let cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); cx++, index++) {
        const nibble = (hash[start + (index >> 1)] >> ((index & 1) << 2)) & 15;
        factors.push((nibble / 7.5 - 1) * scale);
      }
    }
    return factors;
  };
}

function basis(size, at, count) {
  const out = new Array(count);
  for (let c = 0; c < count; c++) out[c] = cos((PI / size) * (at + 0.5) * c);
  return out;
}

function sum(factors, nx, ny, fx, fy) {
  let total = 0;
  for (let cy = 0, j = 0; cy < ny; cy++) {
    const fy2 = fy[cy] * 2;
    for (let cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); cx++, j++) total += factors[j] * fx[cx] * fy2;
  }
  return total;
}

export function thumbHashToRGBA(hash) {
  const hd = header(hash);
  const read = acReader(hash, hd.hasAlpha ? 6 : 5);
  const lAc = read(hd.lx, hd.ly, hd.lScale);
  const pAc = read(3, 3, hd.pScale * 1.25);
  const qAc = read(3, 3, hd.qScale * 1.25);
  const aAc = hd.hasAlpha ? read(5, 5, hd.aScale) : null;
  const ratio = hd.lx / hd.ly;
  const w = round(ratio > 1 ? 32 : 32 * ratio);
  const h = round(ratio > 1 ? 32 / ratio : 32);
  const rgba = new Uint8ClampedArray(w * h * 4);
  const n = max(hd.lx, hd.ly, hd.hasAlpha ? 5 : 3);
  for (let y = 0, i = 0; y < h; y++) {
    const fy = basis(h, y, n);
    for (let x = 0; x < w; x++, i += 4) {
      const fx = basis(w, x, n);
      const l = hd.lDc + sum(lAc, hd.lx, hd.ly, fx, fy);
      const p = hd.pDc + sum(pAc, 3, 3, fx, fy);
      const q = hd.qDc + sum(qAc, 3, 3, fx, fy);
      const a = aAc ? hd.aDc + sum(aAc, 5, 5, fx, fy) : 1;
      const b = l - (2 / 3) * p;
      const r = (3 * l - b + q) / 2;
      const g = r - q;
      rgba[i] = max(0, 255 * min(1, r));
      rgba[i + 1] = max(0, 255 * min(1, g));
      rgba[i + 2] = max(0, 255 * min(1, b));
      rgba[i + 3] = max(0, 255 * min(1, a));
    }
  }
  return { w, h, rgba };
}

function rgbaToDataURL({ w, h, rgba }) {
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  canvas.getContext("2d").putImageData(new ImageData(rgba, w, h), 0, 0);
  return canvas.toDataURL("image/png");
}

// A data: URL for a base64 ThumbHash, or null when it cannot be read (the tile keeps its colour).
export function placeholderURL(base64) {
  if (!base64) return null;
  if (cache.has(base64)) return cache.get(base64);
  let url = null;
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    if (bytes.length >= 5) url = rgbaToDataURL(thumbHashToRGBA(bytes));
  } catch {
    url = null;
  }
  cache.set(base64, url);
  return url;
}
