import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from PIL import Image, UnidentifiedImageError

from gallery.photos.media.errors import ImageRejected, RejectCode
from gallery.photos.media.model import ImageFormat, ImageLimits
from gallery.photos.media.sniff import sniff_format

_PIL_FORMATS: dict[ImageFormat, str] = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
_BOMB = "The image claims far more pixels than its size allows: it looks like a decompression bomb."

# catch_warnings replaces the process-wide filter list; two threads leaving it out of order would
# drop our filter or leave it installed for good. Held only while the header is parsed.
_warning_filters_lock = threading.Lock()


def open_image(data: bytes, limits: ImageLimits) -> tuple[ImageFormat, Image.Image]:
    """Sniff and parse the header only; nothing is decoded until `load_pixels`."""
    if len(data) > limits.max_bytes:
        raise ImageRejected(
            RejectCode.TOO_LARGE, f"The file is larger than {limits.max_bytes / 1_000_000:g} MB."
        )
    image_format = sniff_format(data)
    if image_format == "webp" and _riff_is_cut_short(data):
        raise ImageRejected(RejectCode.TRUNCATED, "The image file is cut short.")
    image = _open_header(data, image_format)
    width, height = image.size
    if width * height > limits.max_pixels:
        image.close()
        raise ImageRejected(
            RejectCode.TOO_MANY_PIXELS,
            f"The image is {width}×{height}; at most {limits.max_pixels // 1_000_000} MP allowed.",
        )
    return image_format, image


def load_pixels(image: Image.Image) -> None:
    """Decode fully; a truncated or damaged file is refused, never padded with grey."""
    try:
        image.load()
    except Image.DecompressionBombError as error:
        raise ImageRejected(RejectCode.DECOMPRESSION_BOMB, _BOMB) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise _unreadable(error) from error


def _open_header(data: bytes, image_format: ImageFormat) -> Image.Image:
    try:
        with _bomb_warnings_as_errors():
            return Image.open(BytesIO(data), formats=[_PIL_FORMATS[image_format]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected(RejectCode.DECOMPRESSION_BOMB, _BOMB) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise _unreadable(error) from error


def _riff_is_cut_short(data: bytes) -> bool:
    # libwebp reports a short file only as a generic decoder failure; the RIFF size tells.
    declared = int.from_bytes(data[4:8], "little")
    return len(data) < declared + 8


@contextmanager
def _bomb_warnings_as_errors() -> Iterator[None]:
    with _warning_filters_lock, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _unreadable(error: Exception) -> ImageRejected:
    # Pillow says "truncated" in several spellings and exception types; nothing finer is exposed.
    if "truncated" in str(error).lower():
        return ImageRejected(RejectCode.TRUNCATED, "The image file is cut short.")
    return ImageRejected(RejectCode.CORRUPT, "The image is damaged and cannot be read.")
