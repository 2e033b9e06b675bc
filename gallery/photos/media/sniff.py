from gallery.photos.media.errors import ImageRejected, RejectCode
from gallery.photos.media.model import ImageFormat

_OTHER_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif", b"hevc")


def sniff_format(data: bytes) -> ImageFormat:
    """The image type from its first bytes; a file name or declared type is never trusted."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    raise ImageRejected(
        RejectCode.UNSUPPORTED_TYPE,
        f"This is {_describe(data)}, not a photo: send a JPEG, PNG, WebP or GIF image.",
    )


def _describe(data: bytes) -> str:
    if not data:
        return "an empty file"
    for magic, kind in _OTHER_KINDS:
        if data.startswith(magic):
            return kind
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "a HEIC/AVIF image"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "an SVG, HTML or XML document"
    return "a file of an unknown type"
