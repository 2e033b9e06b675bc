import hashlib

from PIL import Image

_DHASH_BITS = 64


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dhash(image: Image.Image) -> int:
    """64-bit difference hash as a signed int64, so it fits a PostgreSQL BIGINT."""
    small = image.convert("L").resize((9, 8), Image.Resampling.BOX)
    pixels = small.tobytes()
    value = 0
    for row in range(8):
        for column in range(8):
            left = pixels[row * 9 + column]
            value = (value << 1) | (left > pixels[row * 9 + column + 1])
    return value - (1 << _DHASH_BITS) if value >= 1 << (_DHASH_BITS - 1) else value


def hamming(a: int, b: int) -> int:
    """Bits that differ between two dHashes (signed or unsigned, as stored)."""
    return ((a ^ b) & ((1 << _DHASH_BITS) - 1)).bit_count()
