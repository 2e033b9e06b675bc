"""Upload bench, pipeline half: a 12 MP JPEG through the image pipeline.

    MALLOC_ARENA_MAX=2 python bench/upload.py [--runs 15] [--concurrency 4] [--backend s3]

In the same run a plain Pillow decode of the same photo's every pixel is the reference: the
pipeline's times are printed as ratios to it, which carry from one machine to another.

Uploads run the gallery part in a pool of `--concurrency` threads and clean full-size copies
in a pool of `--full-copy-workers` (default 1): four 12 MP full decodes at once need ~200 MiB
of pixels alone. Without MALLOC_ARENA_MAX glibc keeps a heap arena per thread and RSS stays
~60 MiB higher.

--backend local|s3 adds the store half (bench/upload_store.py): the three objects an upload
writes, to a directory or to a SeaweedFS bucket started for the run.

The API half (the same photo through `POST /api/photos`) should reuse `sample_photo()`
and print next to `run_pipeline_bench()`'s figures.
"""

import argparse
import asyncio
import gc
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import psutil
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.reference import ratio_line
from bench.upload_store import print_store_figures, run_store_bench
from gallery.photos.media import ImageLimits, process_image, render_full_copy, render_gallery_views

GALLERY_TARGET_MS = 150.0
RSS_TARGET_MB = 150.0
LAG_TARGET_MS = 20.0
TICK_S = 0.005


@dataclass(frozen=True)
class PipelineFigures:
    sample_mb: float
    gallery_ms: float
    full_copy_ms: float
    rss_growth_mb: float
    loop_lag_p99_ms: float
    loop_lag_max_ms: float
    decode_ms: float  # the reference: Pillow decoding every pixel, nothing else


def sample_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A camera-like JPEG (quality 90): gradients, shapes, soft texture and sensor grain."""
    rng = random.Random(12)
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    image = Image.merge("RGB", (red, green, red.transpose(Image.Transpose.ROTATE_180)))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, size = rng.randrange(width), rng.randrange(height), rng.randrange(50, 600)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x, y, x + size, y + size * rng.random()), fill=colour)
    texture = Image.effect_noise((width // 4, height // 4), 40).resize((width, height))
    grain = Image.effect_noise((width, height), 30)
    image = Image.blend(image, Image.merge("RGB", (texture, grain, texture)), 0.3)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def full_decode(data: bytes) -> None:
    """The reference: what any pipeline pays at least, a plain Pillow decode of every pixel."""
    with Image.open(BytesIO(data)) as image:
        image.load()


def median_ms(step: Callable[[], object], runs: int) -> float:
    step()  # warm-up: first-call imports and allocator growth are not per-photo costs
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


class UploadPools:
    """Where an upload's two halves run; the full copy gets its own, smaller pool if asked."""

    def __init__(self, concurrency: int, full_copy_workers: int | None) -> None:
        self.views = ThreadPoolExecutor(concurrency)
        self.full = ThreadPoolExecutor(full_copy_workers) if full_copy_workers else None

    async def upload(self, data: bytes, limits: ImageLimits) -> None:
        loop = asyncio.get_running_loop()
        if self.full is None:
            await loop.run_in_executor(self.views, process_image, data, limits)
            return
        await asyncio.gather(
            loop.run_in_executor(self.views, render_gallery_views, data, limits),
            loop.run_in_executor(self.full, render_full_copy, data, limits),
        )

    def close(self) -> None:
        self.views.shutdown()
        if self.full is not None:
            self.full.shutdown()


class RssPeak:
    """Samples this process's RSS every 2 ms in a thread; growth is over the start value."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        gc.collect()
        self.baseline = self.peak = self._process.memory_info().rss
        self._finished = threading.Event()
        self._sampler = threading.Thread(target=self._sample)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._finished.wait(0.002):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def stop_mb(self) -> float:
        self._finished.set()
        self._sampler.join()
        return (self.peak - self.baseline) / 2**20


async def concurrent_uploads(
    data: bytes, limits: ImageLimits, concurrency: int, full_copy_workers: int | None
) -> tuple[float, float, float]:
    """RSS growth (MiB), loop-lag p99 and max (ms) of a 5 ms ticker while uploads run."""
    pools, rss, lags = UploadPools(concurrency, full_copy_workers), RssPeak(), []
    uploads = asyncio.gather(*(pools.upload(data, limits) for _ in range(concurrency * 3)))
    while not uploads.done():
        started = time.perf_counter()
        await asyncio.sleep(TICK_S)
        lags.append(time.perf_counter() - started - TICK_S)
    await uploads
    pools.close()
    return rss.stop_mb(), statistics.quantiles(lags, n=100)[98] * 1000, max(lags) * 1000


def run_pipeline_bench(
    runs: int = 15, concurrency: int = 4, full_copy_workers: int | None = 1
) -> PipelineFigures:
    data, limits = sample_photo(), ImageLimits()
    gallery_ms = median_ms(lambda: render_gallery_views(data, limits), runs)
    full_copy_ms = median_ms(lambda: render_full_copy(data, limits), runs)
    decode_ms = median_ms(lambda: full_decode(data), runs)
    growth, lag_p99, lag_max = asyncio.run(
        concurrent_uploads(data, limits, concurrency, full_copy_workers)
    )
    return PipelineFigures(
        len(data) / 2**20, gallery_ms, full_copy_ms, growth, lag_p99, lag_max, decode_ms
    )


def print_figures(
    figures: PipelineFigures, concurrency: int, full_copy_workers: int | None
) -> None:
    pools = f"{concurrency} uploads; full copies " + (
        f"in a pool of {full_copy_workers}" if full_copy_workers else "inline (process_image)"
    )
    arenas = os.environ.get("MALLOC_ARENA_MAX", "unset (glibc keeps one arena per thread)")
    print(f"sample: 4000×3000 JPEG q90, {figures.sample_mb:.1f} MiB; MALLOC_ARENA_MAX={arenas}")
    report(
        "gallery part (checks, hashes, thumb, preview, placeholder)",
        figures.gallery_ms,
        GALLERY_TARGET_MS,
        "ms median",
    )
    print(f"  clean full-size copy (separate)        {figures.full_copy_ms:8.1f} ms median")
    print(f"  reference: plain Pillow full decode    {figures.decode_ms:8.1f} ms median")
    print(ratio_line("gallery part / decode", figures.gallery_ms, figures.decode_ms, "<= before"))
    print(ratio_line("full copy / decode", figures.full_copy_ms, figures.decode_ms, "<= before"))
    report(
        f"peak RSS growth, {pools}",
        figures.rss_growth_mb,
        RSS_TARGET_MB,
        "MiB",
    )
    report(
        f"event-loop lag p99, {pools}",
        figures.loop_lag_p99_ms,
        LAG_TARGET_MS,
        f"ms (max {figures.loop_lag_max_ms:.1f})",
    )


def report(name: str, value: float, target: float, unit: str) -> None:
    verdict = "ok" if value <= target else "OVER TARGET"
    print(f"  {name}\n    {value:8.1f} {unit}   target ≤ {target:g}   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--full-copy-workers",
        type=int,
        default=1,
        help="threads for clean full-size copies; 0 runs them inside each upload's thread",
    )
    parser.add_argument("--backend", choices=["local", "s3"], default=None,
                        help="also time writing each upload's objects to this store")  # fmt: skip
    parser.add_argument("--store-uploads", type=int, default=200)
    args = parser.parse_args()
    workers = args.full_copy_workers or None
    figures = run_pipeline_bench(args.runs, args.concurrency, workers)
    print_figures(figures, args.concurrency, workers)
    if args.backend:
        store = run_store_bench(args.backend, sample_photo(), args.store_uploads, args.concurrency)
        print_store_figures(store, args.concurrency)


if __name__ == "__main__":
    main()
