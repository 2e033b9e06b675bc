import os
import tempfile
from typing import BinaryIO

from PIL import Image

from gallery.photos.media.model import Derivative, ImageFormat, ImageLimits

# Pillow format, content type, file extension of the clean full-size copy per accepted type;
# a GIF keeps only its first frame, which PNG stores losslessly.
_FULL_COPY: dict[ImageFormat, tuple[str, str, str]] = {
    "jpeg": ("JPEG", "image/jpeg", "jpg"),
    "png": ("PNG", "image/png", "png"),
    "webp": ("WEBP", "image/webp", "webp"),
    "gif": ("PNG", "image/png", "png"),
}


def fit_within(size: tuple[int, int], box_px: int) -> tuple[int, int]:
    """The size scaled down (never up) so that the longest side is at most `box_px`."""
    width, height = size
    scale = min(1.0, box_px / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def resize_within(image: Image.Image, box_px: int) -> Image.Image:
    target = fit_within(image.size, box_px)
    if target == image.size:
        return image
    return image.resize(target, Image.Resampling.BICUBIC, reducing_gap=2.0)


def encode_webp(image: Image.Image, quality: int, method: int) -> Derivative:
    data = _save(image, "WEBP", quality=quality, method=method)
    return Derivative(data, "image/webp", "webp", image.width, image.height)


def encode_full_copy(
    image: Image.Image, image_format: ImageFormat, limits: ImageLimits
) -> Derivative:
    pil_format, content_type, extension = _FULL_COPY[image_format]
    if pil_format == "PNG":
        data = _save(image, pil_format)
    else:
        data = _save(image, pil_format, quality=limits.full_quality, method=limits.webp_method)
    return Derivative(data, content_type, extension, image.width, image.height)


def _save(image: Image.Image, pil_format: str, **params: int) -> bytes:
    # Pillow's JPEG and PNG encoders release the GIL only when writing to a real file
    # descriptor; into a BytesIO they hold it for the whole encode and stall the event loop.
    with _scratch_file() as scratch:
        image.save(scratch, pil_format, **params)
        scratch.seek(0)
        return scratch.read()


def _scratch_file() -> BinaryIO:
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("gallery-media"), "w+b")
    return tempfile.TemporaryFile()
