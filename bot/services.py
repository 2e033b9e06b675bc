"""What the bot's handlers share: database, MAX client, settings, and who the bot is."""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from bot import keyboards
from bot.client import MaxClient
from bot.types import InlineKeyboardAttachmentRequest, OpenAppButton
from config.settings import Settings
from gallery.photos.pools import ImagePools
from storage.media import MediaStore


@dataclass
class BotIdentity:
    user_id: int
    username: str
    name: str
    # one-button "open the app" keyboards by label: a handful of labels × languages
    _app_keyboards: dict[str, InlineKeyboardAttachmentRequest] = field(
        default_factory=dict, repr=False, compare=False
    )

    def deep_link(self, payload: str) -> str:
        return f"https://max.ru/{self.username}?start={payload}"

    def open_app_button(self, text: str, start_param: str | None = None) -> OpenAppButton:
        """A button opening this bot's mini-app; `start_param` reaches it as start_param."""
        return keyboards.open_app(text, self.username, payload=start_param, contact_id=self.user_id)

    def app_keyboard(self, text: str) -> InlineKeyboardAttachmentRequest:
        """A keyboard of one button opening the mini-app's front page, built once per label
        (every /start and /help answer carries one); callers must not change it."""
        keyboard = self._app_keyboards.get(text)
        if keyboard is None:
            keyboard = keyboards.inline_keyboard([[self.open_app_button(text)]])
            if len(self._app_keyboards) < 256:  # labels come from bot/texts, never from people
                self._app_keyboards[text] = keyboard
        return keyboard

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
