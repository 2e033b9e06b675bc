"""Images made in the test run, so no binary fixtures live in the repository."""

import random
import struct
import zlib
from io import BytesIO
from typing import Any

from PIL import ExifTags, Image, ImageDraw

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def photo(seed: int = 1, size: tuple[int, int] = (400, 300)) -> Image.Image:
    """Gradients and shapes, enough structure for perceptual hashes to mean something."""
    rng = random.Random(seed)
    image = Image.merge(
        "RGB", [Image.linear_gradient("L").rotate(rng.choice((0, 90, 180))).resize(size)] * 3
    )
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        extent = rng.randrange(20, size[0] // 2)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + extent, y + extent // 2), fill=colour)
    return image


def red_left_blue_right(size: tuple[int, int] = (60, 40)) -> Image.Image:
    image = Image.new("RGB", size, BLUE)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 2 - 1, size[1]), fill=RED)
    return image


def encode(image: Image.Image, pil_format: str, **params: Any) -> bytes:
    buffer = BytesIO()
    image.save(buffer, pil_format, **params)
    return buffer.getvalue()


def camera_exif(orientation: int = 1, taken: str = "2024:05:06 07:08:09") -> Image.Exif:
    """EXIF as a phone writes it: orientation, capture time and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "TestCam"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 45.0, 21.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (37.0, 37.0, 4.0)
    return exif


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="55,45.35N"/></rdf:RDF></x:xmpmeta>'
)


def two_frame_gif() -> bytes:
    first, second = Image.new("RGB", (40, 30), RED), Image.new("RGB", (40, 30), BLUE)
    return encode(first, "GIF", save_all=True, append_images=[second], duration=100)


def solid_png_header(width: int, height: int) -> bytes:
    """A small, valid 1-bit PNG of a huge black image: the classic decompression bomb."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
