"""The app with exports built within a second, people with real photos, and the zip read back."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from config.account import AccountSettings
from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.photos.conftest import jpeg, post_photo
from tests.webapp.helpers import ApiClient, LoggedIn

Json = dict[str, Any]


@pytest.fixture
def account_settings() -> AccountSettings:
    return AccountSettings(export_poll_s=0.3)


@pytest.fixture
def settings(
    database_url: str,
    tmp_path: Path,
    db: asyncpg.Connection,
    sandbox: RunningSandbox,
    app_port: int,
    account_settings: AccountSettings,
) -> Settings:
    return Settings(
        server={"port": app_port, "public_url": f"http://127.0.0.1:{app_port}"},
        database={"url": database_url, "pool_min": 1, "pool_max": 10},
        bot={"token": sandbox.token, "api_base_url": sandbox.base_url},
        media={"root": tmp_path / "media"},
        sandbox={"mode": "off"},
        jobs={"outbox_poll_s": 0.3},
        account=account_settings,
    )


async def uploaded(client: ApiClient, who: LoggedIn, title: str, seed: int) -> int:
    status, body = await post_photo(client, who, jpeg(seed), title)
    assert status == 201, body
    return int(body["id"])


async def ask_export(client: ApiClient, who: LoggedIn, deliver: str = "link") -> tuple[int, Json]:
    response = await client.post(
        "/api/account/exports", json={"deliver": deliver}, headers=who.headers
    )
    return response.status, await response.json()


async def wait_ready(client: ApiClient, who: LoggedIn, wait_s: float = 20.0) -> Json:
    """The person's latest export once the background builder has finished it."""
    for _ in range(int(wait_s / 0.1)):
        response = await client.get("/api/account/exports", headers=who.headers)
        [latest, *_] = (await response.json())["items"]
        if latest["state"] in ("ready", "failed"):
            return dict(latest)
        await asyncio.sleep(0.1)
    raise AssertionError("the export was never built")


async def link_of(client: ApiClient, who: LoggedIn, export_id: int) -> tuple[int, Json]:
    response = await client.post(f"/api/account/exports/{export_id}/link", headers=who.headers)
    return response.status, await response.json()


def read_zip(data: bytes) -> tuple[Json, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(files.pop("export.json"))
    return document, files
