"""The image executors: the pipeline is CPU-bound and must never run on the event loop."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from gallery.photos.media import (
    Derivative,
    GalleryViews,
    ImageLimits,
    render_full_copy,
    render_gallery_views,
)
from storage.metrics import IMAGE_SECONDS

GALLERY_VIEW_WORKERS = 2
# A clean full-size copy decodes every pixel (~200 MiB for four 12 MP photos at once), so
# full copies queue behind one worker instead of multiplying peak memory.
FULL_COPY_WORKERS = 1


@dataclass(frozen=True)
class ImagePools:
    views: ThreadPoolExecutor
    full: ThreadPoolExecutor

    @classmethod
    def create(cls) -> ImagePools:
        return cls(
            views=ThreadPoolExecutor(GALLERY_VIEW_WORKERS, thread_name_prefix="gallery-views"),
            full=ThreadPoolExecutor(FULL_COPY_WORKERS, thread_name_prefix="full-copy"),
        )

    async def render(self, data: bytes, limits: ImageLimits) -> tuple[GalleryViews, Derivative]:
        """Both halves of the pipeline at once, each in its own pool."""
        loop, started = asyncio.get_running_loop(), time.perf_counter()
        views = loop.run_in_executor(self.views, render_gallery_views, data, limits)
        full = loop.run_in_executor(self.full, render_full_copy, data, limits)
        results = await asyncio.gather(views, full, return_exceptions=True)
        refused = any(isinstance(result, BaseException) for result in results)
        IMAGE_SECONDS.labels("refused" if refused else "ok").observe(time.perf_counter() - started)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        gallery_views, full_copy = results
        assert isinstance(gallery_views, GalleryViews)
        assert isinstance(full_copy, Derivative)
        return gallery_views, full_copy

    def shutdown(self) -> None:
        self.views.shutdown(wait=True, cancel_futures=True)
        self.full.shutdown(wait=True, cancel_futures=True)
