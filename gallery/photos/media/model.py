from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ImageFormat = Literal["jpeg", "png", "webp", "gif"]


class ImageLimits(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(default=20_000_000, gt=0)
    max_pixels: int = Field(default=50_000_000, gt=0)
    thumb_px: int = Field(default=320, gt=0)
    preview_px: int = Field(default=1280, gt=0)
    thumb_quality: int = Field(default=70, ge=1, le=100)
    preview_quality: int = Field(default=80, ge=1, le=100)
    full_quality: int = Field(default=90, ge=1, le=100)
    # libwebp effort, 0 (fastest) to 6 (smallest); 6 costs ~3x the time of 2 for a few % of size
    webp_method: int = Field(default=2, ge=0, le=6)


@dataclass(frozen=True, slots=True)
class Derivative:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class GalleryViews:
    """Everything the gallery shows for a photo, without its clean full-size copy."""

    format: ImageFormat
    width: int
    height: int
    byte_size: int
    sha256: str
    dhash: int
    placeholder: str
    taken_at: datetime | None
    preview: Derivative
    thumb: Derivative


@dataclass(frozen=True, slots=True)
class ProcessedImage(GalleryViews):
    full: Derivative
