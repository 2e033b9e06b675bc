"""What the bot's handlers share: database, MAX client, settings, and who the bot is."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from bot.client import MaxClient
from gallery.pools import ImagePools
from gallery.settings import Settings
from storage.files import MediaStore


@dataclass
class BotIdentity:
    user_id: int
    username: str
    name: str

    def deep_link(self, payload: str) -> str:
        return f"https://max.ru/{self.username}?start={payload}"

    def app_link(self, start_param: str | None = None) -> str:
        base = f"https://max.ru/{self.username}?startapp"
        return f"{base}={start_param}" if start_param else base


@dataclass
class BotServices:
    pool: asyncpg.Pool
    client: MaxClient
    settings: Settings
    identity: BotIdentity
    store: MediaStore
    pools: ImagePools
