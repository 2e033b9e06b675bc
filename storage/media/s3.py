"""Media in an S3-compatible bucket, through obstore (async, a Rust core with its own SigV4 and
presigned URLs; see the commit that chose it).

Credentials: media.s3_access_key_id / s3_secret_access_key (from the environment only, as
GALLERY_MEDIA__S3_ACCESS_KEY_ID / ..._SECRET_ACCESS_KEY). When they are empty, obstore's own
chain applies: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, web identity, the
instance's metadata. The endpoint, bucket, region and addressing always come from the settings.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import obstore
from obstore.exceptions import BaseError
from obstore.store import S3Store

from config.settings import MediaSettings
from storage.media.base import IMMUTABLE, MediaNotFound, MediaStream, StoredObject, sweep_listed
from storage.media.errors import unavailable

if TYPE_CHECKING:
    from obstore import ObjectMeta

SHA256_ATTRIBUTE = "sha256"  # user metadata (x-amz-meta-sha256): what `media copy` compares
STREAM_CHUNK = 256 * 1024
MAX_PRESIGN = timedelta(days=7)  # SigV4's longest presigned lifetime
READY_PREFIX = "_ready/"  # listed by check(): nothing lives there, so the answer is one page


class S3MediaStore:
    backend = "s3"

    def __init__(self, store: S3Store, signer: S3Store, where: str) -> None:
        self._store = store
        self._signer = signer  # the same bucket, as browsers reach it (redirect mode)
        self._where = where  # "bucket at endpoint", for errors: no key, no secret

    @classmethod
    def from_settings(cls, media: MediaSettings) -> S3MediaStore:
        public = media.s3_public_endpoint or media.s3_endpoint
        return cls(
            _s3_store(media, media.s3_endpoint),
            _s3_store(media, public),
            f"bucket {media.s3_bucket!r} at {media.s3_endpoint}",
        )

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        attributes = {
            "Content-Type": content_type,
            "Cache-Control": IMMUTABLE,
            SHA256_ATTRIBUTE: hashlib.sha256(data).hexdigest(),
        }
        with self._errors(key):
            # one PUT: atomic, and its ETag is the MD5 of the bytes
            await obstore.put_async(
                self._store, key, data, attributes=attributes, use_multipart=False
            )

    async def get(self, key: str) -> bytes:
        with self._errors(key):
            result = await obstore.get_async(self._store, key)
            return bytes(await result.bytes_async())

    async def open(self, key: str) -> MediaStream:
        with self._errors(key):
            result = await obstore.get_async(self._store, key)
        meta = result.meta
        chunks = self._guarded(key, result.stream(min_chunk_size=STREAM_CHUNK))
        return MediaStream(size=meta["size"], etag=meta["e_tag"], chunks=chunks)

    async def delete(self, keys: Iterable[str]) -> None:
        batch = list(keys)
        if batch:
            with self._errors(batch[0]):
                await obstore.delete_async(self._store, batch)

    async def head(self, key: str) -> StoredObject | None:
        try:
            with self._errors(key):
                return _stored(await obstore.head_async(self._store, key))
        except MediaNotFound:
            return None

    async def checksum(self, key: str) -> str | None:
        try:
            with self._errors(key):
                result = await obstore.get_async(self._store, key, options={"head": True})
        except MediaNotFound:
            return None
        recorded = result.attributes.get(SHA256_ATTRIBUTE)
        if recorded is not None:
            return str(recorded)
        # put there by something else: hash what is there
        return hashlib.sha256(await self.get(key)).hexdigest()

    async def list_objects(self, prefix: str = "") -> AsyncIterator[StoredObject]:
        pages = obstore.list(self._store, prefix or None, chunk_size=1000)
        with self._errors(prefix):
            async for page in pages:
                for meta in page:
                    yield _stored(meta)

    async def sweep_orphans(self, known_photo_ids: set[int], older_than: timedelta) -> list[str]:
        return await sweep_listed(self, known_photo_ids, older_than)

    async def check(self) -> None:
        with self._errors(READY_PREFIX):
            await obstore.list_with_delimiter_async(self._store, READY_PREFIX)

    def local_path(self, key: str) -> Path | None:
        return None

    async def presigned_url(self, key: str, expires_in: timedelta) -> str:
        with self._errors(key):
            return await obstore.sign_async(self._signer, "GET", key, min(expires_in, MAX_PRESIGN))

    async def _guarded(
        self, key: str, chunks: AsyncIterator[bytes]
    ) -> AsyncIterator[bytes | memoryview]:
        with self._errors(key):
            async for chunk in chunks:
                yield chunk

    @contextlib.contextmanager
    def _errors(self, key: str) -> Iterator[None]:
        """obstore's errors as ours: MediaNotFound, or MediaUnavailable with a short reason."""
        try:
            yield
        except FileNotFoundError:  # what obstore raises for a missing object
            raise MediaNotFound(key) from None
        except BaseError as exc:
            raise unavailable(self._where, exc) from None


def _s3_store(media: MediaSettings, endpoint: str) -> S3Store:
    keys: dict[str, Any] = {}
    if media.s3_access_key_id.get_secret_value():
        keys["access_key_id"] = media.s3_access_key_id.get_secret_value()
        keys["secret_access_key"] = media.s3_secret_access_key.get_secret_value()
    timeout = timedelta(seconds=media.s3_timeout_s)
    return S3Store(
        media.s3_bucket,
        endpoint=endpoint,
        region=media.s3_region,
        virtual_hosted_style_request=not media.s3_path_style,
        client_options={
            "allow_http": endpoint.startswith("http://"),
            "connect_timeout": min(timeout, timedelta(seconds=5)),
            "timeout": timeout,
        },
        retry_config={"max_retries": 2, "retry_timeout": timeout},
        **keys,
    )


def _stored(meta: ObjectMeta) -> StoredObject:
    return StoredObject(key=meta["path"], size=meta["size"], last_modified=meta["last_modified"])
