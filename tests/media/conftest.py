import pytest

from gallery.photos.media import ImageLimits


@pytest.fixture
def limits() -> ImageLimits:
    return ImageLimits()
