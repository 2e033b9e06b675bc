"""The upload pipeline: pure and blocking, so callers run it in an executor."""

from gallery.photos.media.decode import load_pixels, open_image
from gallery.photos.media.derivatives import (
    encode_full_copy,
    encode_webp,
    fit_within,
    resize_within,
)
from gallery.photos.media.hashes import dhash, sha256_hex
from gallery.photos.media.model import Derivative, GalleryViews, ImageLimits, ProcessedImage
from gallery.photos.media.placeholder import thumbhash
from gallery.photos.media.upright import taken_at, upright_clean, upright_size


def process_image(data: bytes, limits: ImageLimits) -> ProcessedImage:
    views = render_gallery_views(data, limits)
    full = render_full_copy(data, limits)
    return ProcessedImage(
        format=views.format,
        width=views.width,
        height=views.height,
        byte_size=views.byte_size,
        sha256=views.sha256,
        dhash=views.dhash,
        placeholder=views.placeholder,
        taken_at=views.taken_at,
        preview=views.preview,
        thumb=views.thumb,
        full=full,
    )


def render_gallery_views(data: bytes, limits: ImageLimits) -> GalleryViews:
    """Checks, hashes, preview, thumbnail and placeholder, from a shrink-on-load decode."""
    image_format, image = open_image(data, limits)
    with image:
        stored_size = image.size
        # JPEG only (others ignore it): libjpeg decodes at 1/2, 1/4 or 1/8 scale directly.
        image.draft("RGB", fit_within(stored_size, limits.preview_px))
        load_pixels(image)
        width, height = upright_size(image, stored_size)
        taken = taken_at(image)
        preview = resize_within(upright_clean(image), limits.preview_px)
    thumb = resize_within(preview, limits.thumb_px)
    return GalleryViews(
        format=image_format,
        width=width,
        height=height,
        byte_size=len(data),
        sha256=sha256_hex(data),
        dhash=dhash(thumb),
        placeholder=thumbhash(thumb),
        taken_at=taken,
        preview=encode_webp(preview, limits.preview_quality, limits.webp_method),
        thumb=encode_webp(thumb, limits.thumb_quality, limits.webp_method),
    )


def render_full_copy(data: bytes, limits: ImageLimits) -> Derivative:
    """The full-size image re-encoded upright and without metadata, in its own format."""
    image_format, image = open_image(data, limits)
    with image:
        load_pixels(image)
        return encode_full_copy(upright_clean(image), image_format, limits)
