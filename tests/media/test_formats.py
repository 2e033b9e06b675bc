from io import BytesIO

import pytest
from PIL import Image

from gallery.photos.media import ImageLimits, ProcessedImage, process_image, sniff_format
from tests.media.images import RED, encode, photo, two_frame_gif

FULL_COPY = {
    "JPEG": ("jpeg", "image/jpeg", "jpg", "JPEG"),
    "PNG": ("png", "image/png", "png", "PNG"),
    "WEBP": ("webp", "image/webp", "webp", "WEBP"),
    "GIF": ("gif", "image/png", "png", "PNG"),
}


@pytest.mark.parametrize("pil_format", sorted(FULL_COPY))
def test_each_accepted_type_gives_its_views(pil_format: str, limits: ImageLimits) -> None:
    data = encode(photo(size=(1600, 1200)), pil_format)
    image_format, content_type, extension, full_format = FULL_COPY[pil_format]

    processed = process_image(data, limits)

    assert (processed.format, processed.width, processed.height) == (image_format, 1600, 1200)
    assert processed.byte_size == len(data)
    assert (processed.full.content_type, processed.full.extension) == (content_type, extension)
    assert reopened_sizes(processed) == {
        "full": (full_format, (1600, 1200)),
        "preview": ("WEBP", (1280, 960)),
        "thumb": ("WEBP", (320, 240)),
    }
    assert (processed.preview.content_type, processed.preview.extension) == ("image/webp", "webp")
    assert (processed.preview.width, processed.thumb.width) == (1280, 320)


def test_small_images_are_never_enlarged(limits: ImageLimits) -> None:
    processed = process_image(encode(photo(size=(200, 100)), "PNG"), limits)
    assert reopened_sizes(processed) == {
        "full": ("PNG", (200, 100)),
        "preview": ("WEBP", (200, 100)),
        "thumb": ("WEBP", (200, 100)),
    }


def test_the_type_comes_from_the_bytes_not_the_name() -> None:
    png_named_jpg = encode(photo(), "PNG")
    assert sniff_format(png_named_jpg) == "png"


def test_a_gif_keeps_only_its_first_frame(limits: ImageLimits) -> None:
    processed = process_image(two_frame_gif(), limits)
    for view in (processed.full, processed.preview, processed.thumb):
        with Image.open(BytesIO(view.data)) as image:
            assert getattr(image, "n_frames", 1) == 1
            assert close_to(image.convert("RGB").getpixel((5, 5)), RED)


def test_transparency_survives_in_the_views(limits: ImageLimits) -> None:
    clear = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    processed = process_image(encode(clear, "PNG"), limits)
    for view in (processed.full, processed.preview, processed.thumb):
        with Image.open(BytesIO(view.data)) as image:
            assert image.convert("RGBA").getpixel((25, 25)) == (0, 0, 0, 0)


def reopened_sizes(processed: ProcessedImage) -> dict[str, tuple[str | None, tuple[int, int]]]:
    views = {"full": processed.full, "preview": processed.preview, "thumb": processed.thumb}
    sizes = {}
    for name, view in views.items():
        with Image.open(BytesIO(view.data)) as image:
            image.load()
            sizes[name] = (image.format, image.size)
    return sizes


def close_to(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) < 24 for a, b in zip(pixel, colour, strict=True))
