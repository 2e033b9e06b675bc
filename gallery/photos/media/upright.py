from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from io import BytesIO

from PIL import ExifTags, Image, ImageCms, ImageOps

_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011
_TRANSPOSED_ORIENTATIONS = (5, 6, 7, 8)


def upright_size(image: Image.Image, stored_size: tuple[int, int]) -> tuple[int, int]:
    """The size as people see it: EXIF orientations 5-8 transpose width and height."""
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    width, height = stored_size
    return (height, width) if orientation in _TRANSPOSED_ORIENTATIONS else (width, height)


def taken_at(image: Image.Image) -> datetime | None:
    exif_ifd = image.getexif().get_ifd(ExifTags.IFD.Exif)
    return parse_exif_datetime(
        exif_ifd.get(_DATETIME_ORIGINAL), exif_ifd.get(_OFFSET_TIME_ORIGINAL)
    )


def parse_exif_datetime(value: object, offset: object) -> datetime | None:
    """EXIF writes local time as "YYYY:MM:DD HH:MM:SS"; without an offset tag we take it as UTC."""
    if not isinstance(value, str):
        return None
    zone = _parse_offset(offset)
    try:
        return datetime.strptime(value.strip("\x00 "), "%Y:%m:%d %H:%M:%S").replace(tzinfo=zone)
    except ValueError:
        return None


def _parse_offset(offset: object) -> timezone:
    if not isinstance(offset, str):
        return UTC
    text = offset.strip("\x00 ")
    try:
        sign = -1 if text[0] == "-" else 1
        hours, minutes = (int(part) for part in text[1:].split(":"))
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    except (IndexError, ValueError):
        return UTC


def upright_clean(image: Image.Image) -> Image.Image:
    """Orientation applied to the pixels, colours in sRGB, and no metadata left at all."""
    ImageOps.exif_transpose(image, in_place=True)
    icc_profile = image.info.get("icc_profile")
    if isinstance(icc_profile, bytes) and icc_profile:
        image = _to_srgb(image, icc_profile)
    image = _to_display_mode(image)
    # EXIF, GPS, XMP, ICC, comments and text chunks all live in `info`; savers read it back.
    image.info = {}
    return image


def _to_display_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    has_alpha = image.has_transparency_data
    return image.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    if image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        if "sRGB" in ImageCms.getProfileDescription(source):
            return image
        output_mode = "RGB" if image.mode == "CMYK" else image.mode
        converted = ImageCms.profileToProfile(image, source, _srgb(), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # An unreadable profile is dropped and the pixels kept as they are.
        return image
    return converted if converted is not None else image


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
