"""Image pipeline: uploaded bytes to a checked, clean, hashed photo with its derivatives."""

from gallery.photos.media.errors import ImageRejected, RejectCode
from gallery.photos.media.hashes import hamming
from gallery.photos.media.model import (
    Derivative,
    GalleryViews,
    ImageFormat,
    ImageLimits,
    ProcessedImage,
)
from gallery.photos.media.pipeline import process_image, render_full_copy, render_gallery_views
from gallery.photos.media.sniff import sniff_format

__all__ = [
    "Derivative",
    "GalleryViews",
    "ImageFormat",
    "ImageLimits",
    "ImageRejected",
    "ProcessedImage",
    "RejectCode",
    "hamming",
    "process_image",
    "render_full_copy",
    "render_gallery_views",
    "sniff_format",
]
