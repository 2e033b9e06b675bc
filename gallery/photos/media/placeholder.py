"""ThumbHash encoding (Evan Wallace's algorithm, evanw.github.io/thumbhash), pure Python."""

import base64
from collections.abc import Sequence
from math import cos, floor, pi

from PIL import Image

# ThumbHash keeps at most 7×7 low frequencies, so a 32 px source loses nothing visible
# and keeps the pure-Python DCT near a millisecond.
_SOURCE_PX = 32


def thumbhash(image: Image.Image) -> str:
    """A ~25-35 byte ThumbHash of the image, base64 encoded, for instant blurred grids."""
    small = image.convert("RGBA")
    small.thumbnail((_SOURCE_PX, _SOURCE_PX), Image.Resampling.BOX)
    return base64.b64encode(rgba_to_thumbhash(small.width, small.height, small.tobytes())).decode()


def rgba_to_thumbhash(w: int, h: int, rgba: bytes) -> bytes:
    channels, has_alpha = _lpqa(w * h, rgba)
    l_limit = 5 if has_alpha else 7
    lx = max(1, _js_round(l_limit * w / max(w, h)))
    ly = max(1, _js_round(l_limit * h / max(w, h)))
    l_dc, l_ac, l_scale = _encode_channel(channels[0], w, h, max(3, lx), max(3, ly))
    p_dc, p_ac, p_scale = _encode_channel(channels[1], w, h, 3, 3)
    q_dc, q_ac, q_scale = _encode_channel(channels[2], w, h, 3, 3)
    is_landscape = w > h
    header24 = (
        _js_round(63 * l_dc)
        | (_js_round(31.5 + 31.5 * p_dc) << 6)
        | (_js_round(31.5 + 31.5 * q_dc) << 12)
        | (_js_round(31 * l_scale) << 18)
        | (has_alpha << 23)
    )
    header16 = (
        (ly if is_landscape else lx)
        | (_js_round(63 * p_scale) << 3)
        | (_js_round(63 * q_scale) << 9)
        | (is_landscape << 15)
    )
    out = [header24 & 255, (header24 >> 8) & 255, header24 >> 16, header16 & 255, header16 >> 8]
    acs = [l_ac, p_ac, q_ac]
    if has_alpha:
        a_dc, a_ac, a_scale = _encode_channel(channels[3], w, h, 5, 5)
        out.append(_js_round(15 * a_dc) | (_js_round(15 * a_scale) << 4))
        acs.append(a_ac)
    return bytes(out + _pack_nibbles([f for ac in acs for f in ac]))


def _lpqa(count: int, rgba: bytes) -> tuple[list[list[float]], bool]:
    """RGBA composited over the average colour, as luminance, yellow-blue, red-green, alpha."""
    alphas = [rgba[i + 3] / 255 for i in range(0, 4 * count, 4)]
    total_alpha = sum(alphas)
    averages = [
        sum(a * rgba[4 * i + c] / 255 for i, a in enumerate(alphas)) / total_alpha
        if total_alpha
        else 0.0
        for c in range(3)
    ]
    channels: list[list[float]] = [[], [], [], alphas]
    for i, alpha in enumerate(alphas):
        r, g, b = (averages[c] * (1 - alpha) + alpha / 255 * rgba[4 * i + c] for c in range(3))
        channels[0].append((r + g + b) / 3)
        channels[1].append((r + g) / 2 - b)
        channels[2].append(r - g)
    return channels, total_alpha < count


def _encode_channel(
    channel: Sequence[float], w: int, h: int, nx: int, ny: int
) -> tuple[float, list[float], float]:
    rows = [channel[y * w : (y + 1) * w] for y in range(h)]
    # The 2-D cosine basis is separable: sum each row against the x cosines once per cx.
    row_sums = [[_dot(row, _cosines(w, cx)) for row in rows] for cx in range(nx)]
    factors = [
        _dot(_cosines(h, cy), row_sums[cx]) / (w * h)
        for cy in range(ny)
        for cx in range(nx)
        if cx * ny < nx * (ny - cy)
    ]
    dc, ac = factors[0], factors[1:]
    scale = max((abs(f) for f in ac), default=0.0)
    if scale:
        ac = [0.5 + 0.5 / scale * f for f in ac]
    return dc, ac, scale


def _cosines(size: int, frequency: int) -> list[float]:
    return [cos(pi / size * frequency * (i + 0.5)) for i in range(size)]


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def _js_round(value: float) -> int:
    """JavaScript's Math.round, which the reference encoder uses (Python rounds half to even)."""
    return floor(value + 0.5)


def _pack_nibbles(factors: list[float]) -> list[int]:
    packed = [0] * ((len(factors) + 1) // 2)
    for index, factor in enumerate(factors):
        packed[index >> 1] |= _js_round(15 * factor) << ((index & 1) << 2)
    return packed
