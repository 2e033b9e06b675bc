import pytest
from PIL import Image

from gallery.photos.media import ImageLimits, ImageRejected, RejectCode, process_image
from tests.media.images import encode, photo, solid_png_header

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'
HTML = b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"


def refusal(data: bytes, limits: ImageLimits) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process_image(data, limits)
    return caught.value


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (SVG, "an SVG, HTML or XML document"),
        (b"\xef\xbb\xbf  " + HTML, "an SVG, HTML or XML document"),
        (b"just some words, not a photo", "a file of an unknown type"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (encode(photo(), "TIFF"), "a TIFF image"),
        (encode(photo(), "BMP"), "a BMP image"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "a HEIC/AVIF image"),
        (b"", "an empty file"),
    ],
    ids=["svg", "html", "text", "pdf", "tiff", "bmp", "heic", "empty"],
)
def test_only_jpeg_png_webp_gif_are_accepted(data: bytes, kind: str, limits: ImageLimits) -> None:
    rejected = refusal(data, limits)
    assert rejected.code is RejectCode.UNSUPPORTED_TYPE
    assert rejected.detail == f"This is {kind}, not a photo: send a JPEG, PNG, WebP or GIF image."


def test_a_damaged_image_is_corrupt(limits: ImageLimits) -> None:
    data = bytearray(encode(photo(), "PNG"))
    data[20] ^= 0xFF  # inside IHDR, so its checksum no longer matches
    rejected = refusal(bytes(data), limits)
    assert (rejected.code, rejected.detail) == (
        RejectCode.CORRUPT,
        "The image is damaged and cannot be read.",
    )


@pytest.mark.parametrize("pil_format", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_image_is_refused(pil_format: str, limits: ImageLimits) -> None:
    data = encode(photo(), pil_format)
    rejected = refusal(data[: len(data) // 2], limits)
    assert (rejected.code, rejected.detail) == (
        RejectCode.TRUNCATED,
        "The image file is cut short.",
    )


def test_a_decompression_bomb_is_refused_before_decoding(limits: ImageLimits) -> None:
    bomb = solid_png_header(20_000, 20_000)
    assert len(bomb) < 100_000
    rejected = refusal(bomb, limits.model_copy(update={"max_pixels": 10**9}))
    assert rejected.code is RejectCode.DECOMPRESSION_BOMB


def test_more_pixels_than_the_limit_are_refused_from_the_header(limits: ImageLimits) -> None:
    rejected = refusal(solid_png_header(10_000, 6_000), limits)
    assert (rejected.code, rejected.detail) == (
        RejectCode.TOO_MANY_PIXELS,
        "The image is 10000×6000; at most 50 MP allowed.",
    )


def test_the_pixel_limit_is_a_setting() -> None:
    data = encode(photo(size=(1000, 1000)), "PNG")
    rejected = refusal(data, ImageLimits(max_pixels=1_000_000 - 1))
    assert rejected.code is RejectCode.TOO_MANY_PIXELS
    process_image(data, ImageLimits(max_pixels=1_000_000))


def test_more_bytes_than_the_limit_are_refused() -> None:
    data = encode(photo(), "PNG")
    rejected = refusal(data, ImageLimits(max_bytes=len(data) - 1))
    assert rejected.code is RejectCode.TOO_LARGE
    process_image(data, ImageLimits(max_bytes=len(data)))


def test_the_bomb_guard_leaves_global_state_alone(limits: ImageLimits) -> None:
    before = Image.MAX_IMAGE_PIXELS
    refusal(solid_png_header(20_000, 20_000), limits)
    process_image(encode(photo(), "JPEG"), limits)
    assert before == Image.MAX_IMAGE_PIXELS
