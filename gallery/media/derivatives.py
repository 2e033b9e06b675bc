from io import BytesIO

from PIL import Image

from gallery.media.model import Derivative, ImageFormat, ImageLimits

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
    buffer = BytesIO()
    image.save(buffer, "WEBP", quality=quality, method=method)
    return Derivative(buffer.getvalue(), "image/webp", "webp", image.width, image.height)


def encode_full_copy(
    image: Image.Image, image_format: ImageFormat, limits: ImageLimits
) -> Derivative:
    pil_format, content_type, extension = _FULL_COPY[image_format]
    buffer = BytesIO()
    if pil_format == "PNG":
        image.save(buffer, pil_format)
    else:
        image.save(buffer, pil_format, quality=limits.full_quality, method=limits.webp_method)
    return Derivative(buffer.getvalue(), content_type, extension, image.width, image.height)
