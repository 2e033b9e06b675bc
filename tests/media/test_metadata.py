from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO

import pytest
from PIL import ExifTags, Image, ImageCms

from gallery.photos.media import ImageLimits, ProcessedImage, process_image
from gallery.photos.media.upright import parse_exif_datetime
from tests.media.images import BLUE, RED, XMP, camera_exif, encode, photo, red_left_blue_right

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def with_camera_metadata(pil_format: str, orientation: int = 1) -> bytes:
    exif = camera_exif(orientation)
    if pil_format == "PNG":
        return encode(red_left_blue_right(), "PNG", exif=exif)
    return encode(red_left_blue_right(), pil_format, exif=exif, xmp=XMP, comment=b"private")


@pytest.mark.parametrize("pil_format", ["JPEG", "PNG", "WEBP"])
def test_no_metadata_survives_in_any_view(pil_format: str, limits: ImageLimits) -> None:
    data = with_camera_metadata(pil_format)
    with Image.open(BytesIO(data)) as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    processed = process_image(data, limits)

    for view in views(processed):
        with Image.open(BytesIO(view)) as image:
            image.load()
            assert len(image.getexif()) == 0
            assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & set(
                image.info
            )
        assert b"TestCam" not in view
        assert b"GPS" not in view


@pytest.mark.parametrize("pil_format", ["JPEG", "PNG", "WEBP"])
def test_orientation_is_applied_to_the_pixels(pil_format: str, limits: ImageLimits) -> None:
    # Stored 60×40, red left; orientation 6 shows it turned a quarter clockwise: red on top.
    processed = process_image(with_camera_metadata(pil_format, orientation=6), limits)

    assert (processed.width, processed.height) == (40, 60)
    for view in views(processed):
        with Image.open(BytesIO(view)) as image:
            upright = image.convert("RGB")
        assert upright.size == (40, 60)
        assert near(upright.getpixel((20, 5)), RED)
        assert near(upright.getpixel((20, 55)), BLUE)


def test_the_capture_time_is_kept(limits: ImageLimits) -> None:
    processed = process_image(with_camera_metadata("JPEG"), limits)
    assert processed.taken_at == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_no_capture_time_without_exif(limits: ImageLimits) -> None:
    assert process_image(encode(photo(), "JPEG"), limits).taken_at is None


@pytest.mark.parametrize(
    ("value", "offset", "expected"),
    [
        ("2024:05:06 07:08:09", "+03:00", datetime(2024, 5, 6, 4, 8, 9, tzinfo=UTC)),
        ("2024:05:06 07:08:09\x00", "-05:30", datetime(2024, 5, 6, 12, 38, 9, tzinfo=UTC)),
        ("2024:05:06 07:08:09", None, datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("2024:05:06 07:08:09", "garbage", datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("    :  :     :  :  ", None, None),
        (b"2024:05:06 07:08:09", None, None),
        (None, "+03:00", None),
    ],
)
def test_exif_datetimes_become_aware(
    value: object, offset: object, expected: datetime | None
) -> None:
    parsed = parse_exif_datetime(value, offset)
    assert parsed == expected
    assert parsed is None or parsed.utcoffset() is not None


@pytest.mark.parametrize(
    "profile",
    [SRGB, SRGB.replace("sRGB".encode("utf-16-be"), "xRGB".encode("utf-16-be")), b"not icc"],
    ids=["srgb", "other-rgb", "unreadable"],
)
def test_colour_profiles_are_applied_then_dropped(profile: bytes, limits: ImageLimits) -> None:
    data = encode(Image.new("RGB", (8, 8), RED), "JPEG", icc_profile=profile)
    processed = process_image(data, limits)
    for view in views(processed):
        with Image.open(BytesIO(view)) as image:
            assert "icc_profile" not in image.info
            assert near(image.convert("RGB").getpixel((4, 4)), RED)


def views(processed: ProcessedImage) -> list[bytes]:
    return [processed.full.data, processed.preview.data, processed.thumb.data]


def near(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def test_offsets_are_kept_exactly() -> None:
    parsed = parse_exif_datetime("2024:05:06 07:08:09", "+03:00")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=3)
    assert parsed.tzinfo == timezone(timedelta(hours=3))
