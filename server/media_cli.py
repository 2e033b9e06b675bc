"""python -m gallery media copy: every media object from a directory to the bucket, or back.

The settings name both ends: media.root for the directory (or --root), the media.s3_* keys
and the GALLERY_MEDIA__S3_* environment for the bucket, whatever media.backend says, so the
copy runs before the operator switches the backend.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from config.loading import SettingsError, check_media
from config.settings import Settings
from storage.media import LocalMediaStore, MediaStore, S3MediaStore
from storage.media.copy import CopyProgress, copy_media

EPILOG = """\
Resumable and idempotent: an object already at the target with the same size and SHA-256 is
skipped, so run it again after a stop, and a second run copies nothing. Every copied object
is read back from the target and its SHA-256 compared. Exit status: 0 when every object is at
the target, 1 when any failed (listed at the end), 2 for settings that cannot work.

  python -m gallery media copy --to s3                      # media.root -> the bucket
  python -m gallery media copy --to local --root restored/  # the bucket -> a directory
"""
SHOWN_FAILURES = 20


def add_media_commands(commands: Any) -> None:
    media = commands.add_parser("media", help="copy media between a directory and the bucket")
    actions = media.add_subparsers(dest="media_command", required=True)
    copy = actions.add_parser(
        "copy",
        help="copy every media object to the other store",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    copy.add_argument("--to", dest="target", choices=["local", "s3"], required=True)
    copy.add_argument("--from", dest="source", choices=["local", "s3"], default=None,
                      help="default: the other one")  # fmt: skip
    copy.add_argument("--root", type=Path, default=None,
                      help="the directory (default: media.root)")  # fmt: skip
    copy.add_argument("--workers", type=int, default=8, help="objects copied at once")


async def media_command(settings: Settings, args: argparse.Namespace) -> int:
    source_kind = args.source or ("local" if args.target == "s3" else "s3")
    if source_kind == args.target:
        raise SettingsError(f"--from and --to are both {source_kind}: nothing to copy")
    root = args.root or settings.media.root
    if source_kind == "local" and not root.is_dir():
        raise SettingsError(f"no media directory at {root}")
    source, target = (_store(settings, kind, root) for kind in (source_kind, args.target))
    await source.check()  # MediaUnavailable: one line and exit 1 (server.cli)
    await target.check()
    started = time.monotonic()
    progress = await copy_media(source, target, ProgressLine(sys.stderr), args.workers)
    return _summary(progress, time.monotonic() - started, sys.stderr)


def _store(settings: Settings, kind: str, root: Path) -> MediaStore:
    if kind == "local":
        return LocalMediaStore(root)
    media = settings.media.model_copy(update={"backend": "s3"})
    check_media(media)
    return S3MediaStore.from_settings(media)


class ProgressLine:
    """`copied 120/4000 (3.1 MB), skipped 10, failed 0`, rewritten in place on a terminal,
    a line every few seconds otherwise."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.live = out.isatty()
        self.every_s = 0.2 if self.live else 5.0
        self._shown = -self.every_s

    def __call__(self, progress: CopyProgress) -> None:
        now = time.monotonic()
        if now - self._shown < self.every_s and progress.done < progress.total:
            return
        self._shown = now
        line = (f"copied {progress.copied}/{progress.total} "
                f"({progress.copied_bytes / 1e6:.1f} MB), skipped {progress.skipped}, "
                f"failed {len(progress.failed)}")  # fmt: skip
        self.out.write(f"\r{line}" if self.live else f"{line}\n")
        self.out.flush()


def _summary(progress: CopyProgress, seconds: float, out: TextIO) -> int:
    if out.isatty():
        out.write("\n")
    for key, reason in progress.failed[:SHOWN_FAILURES]:
        out.write(f"failed: {key}: {reason}\n")
    more = len(progress.failed) - SHOWN_FAILURES
    if more > 0:
        out.write(f"failed: ... and {more} more\n")
    out.write(
        f"{'done' if not progress.failed else 'INCOMPLETE'}: {progress.total} objects: "
        f"copied {progress.copied} ({progress.copied_bytes / 1e6:.1f} MB), skipped "
        f"{progress.skipped} already there, failed {len(progress.failed)}, in {seconds:.1f} s\n"
    )
    return 1 if progress.failed else 0
