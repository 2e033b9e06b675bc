"""Response bodies that are not themselves MAX objects."""

from datetime import datetime

from pydantic import Field

from bot.types.base import MaxModel, ms_to_datetime
from bot.types.messages import Message
from bot.types.requests import PhotoToken
from bot.types.updates import Update
from bot.types.users import BotCommand


class SimpleQueryResult(MaxModel):
    success: bool
    message: str | None = None


class Subscription(MaxModel):
    url: str
    time: int = 0
    update_types: list[str] | None = None

    @property
    def created_at(self) -> datetime:
        return ms_to_datetime(self.time)


class SubscriptionList(MaxModel):
    subscriptions: list[Subscription] = Field(default_factory=list)


class UpdateList(MaxModel):
    updates: list[Update] = Field(default_factory=list)
    # Pass it to the next poll; doing so commits every update before it.
    marker: int | None = None


class SendMessageResult(MaxModel):
    message: Message


class MessageList(MaxModel):
    messages: list[Message] = Field(default_factory=list)


class UploadEndpoint(MaxModel):
    url: str
    # Only for video and audio; images and files get their token from the upload host.
    token: str | None = None


class PhotoUploadResult(MaxModel):
    photos: dict[str, PhotoToken] = Field(default_factory=dict)


class BotCommandsInfo(MaxModel):
    commands: list[BotCommand] = Field(default_factory=list)
