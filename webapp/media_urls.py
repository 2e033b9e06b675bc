"""Signed, expiring media URLs: /media/<photo_id>/<variant>.<ext>?exp=<unix>&sig=<hex>.

The signature is HMAC-SHA256 over "<photo_id>/<variant>.<ext>:<exp>" with the media key, so a
leaked link dies at `exp` and cannot be bent to another photo, variant or lifetime.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from functools import lru_cache

from config.settings import Settings

# Expiry is rounded up to a bucket, so every page fetched within it hands out the same URL
# and the browser's cache keeps working across requests.
EXPIRY_BUCKET_S = 600
# Signed URLs remembered per signer: within a bucket a URL never changes, and the newest pages
# are asked for most, so most tiles' URLs are looked up, not signed (two HMACs a tile).
SIGNED_URLS_KEPT = 8192


class MediaSigner:
    """Built once per app (webapp.services): deriving the key costs an HMAC of its own."""

    def __init__(self, key: bytes, ttl_s: int) -> None:
        # keyed once; each signature copies it (a page signs 60 URLs, so this shows)
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)
        self._ttl_s = ttl_s
        self.url_at = lru_cache(maxsize=SIGNED_URLS_KEPT)(self._url_at)

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaSigner:
        return cls(settings.derived_key("media"), settings.media.url_ttl_s)

    def expiry(self, now: float) -> int:
        return math.ceil((now + self._ttl_s) / EXPIRY_BUCKET_S) * EXPIRY_BUCKET_S

    def signature(self, photo_id: int, file_name: str, exp: int) -> str:
        mac = self._keyed.copy()
        mac.update(f"{photo_id}/{file_name}:{exp}".encode())
        return mac.hexdigest()

    def url(self, photo_id: int, file_name: str, now: float) -> str:
        """`file_name` is "<variant>.<ext>"."""
        return self.signed_url(photo_id, file_name, self.expiry(now))

    def signed_url(self, photo_id: int, file_name: str, exp: int) -> str:
        sig = self.signature(photo_id, file_name, exp)
        return f"/media/{photo_id}/{file_name}?exp={exp}&sig={sig}"

    def url_for_key(self, photo_id: int, storage_key: str, now: float) -> str:
        """The URL of a stored file, named as its storage key names it."""
        return self.url_at(photo_id, storage_key, self.expiry(now))

    def _url_at(self, photo_id: int, storage_key: str, exp: int) -> str:
        """`url_at`, uncached: the URL of a stored file that expires at `exp` (from `expiry`)."""
        return self.signed_url(photo_id, storage_key.rpartition("/")[2], exp)

    def verify(self, photo_id: int, file_name: str, exp: int, sig: str, now: float) -> bool:
        expected = self.signature(photo_id, file_name, exp)
        # compare first, always: the answer's timing must not depend on which check failed
        valid = hmac.compare_digest(expected.encode(), sig.lower().encode())
        return valid and now < exp

