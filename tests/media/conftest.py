import pytest

from gallery.media import ImageLimits


@pytest.fixture
def limits() -> ImageLimits:
    return ImageLimits()
