"""Request bodies: new messages, attachment requests, callback answers, subscriptions."""

from typing import Annotated, Literal

from pydantic import Field

from bot.types.base import MaxModel
from bot.types.buttons import Keyboard
from bot.types.users import BotCommand

TextFormat = Literal["markdown", "html"]
SenderAction = Literal[
    "typing_on", "sending_photo", "sending_video", "sending_audio", "sending_file", "mark_seen"
]
UploadType = Literal["image", "video", "audio", "file"]


class PhotoToken(MaxModel):
    token: str


class PhotoRequestPayload(MaxModel):
    """Exactly one of the three: an uploaded token, an external URL, or the upload's photos map."""

    url: str | None = None
    token: str | None = None
    photos: dict[str, PhotoToken] | None = None


class TokenPayload(MaxModel):
    token: str


class ImageAttachmentRequest(MaxModel):
    type: Literal["image"] = "image"
    payload: PhotoRequestPayload


class VideoAttachmentRequest(MaxModel):
    type: Literal["video"] = "video"
    payload: TokenPayload


class AudioAttachmentRequest(MaxModel):
    type: Literal["audio"] = "audio"
    payload: TokenPayload


class FileAttachmentRequest(MaxModel):
    type: Literal["file"] = "file"
    payload: TokenPayload


class StickerRequestPayload(MaxModel):
    code: str


class StickerAttachmentRequest(MaxModel):
    type: Literal["sticker"] = "sticker"
    payload: StickerRequestPayload


class ContactRequestPayload(MaxModel):
    name: str | None = None
    contact_id: int | None = None
    vcf_info: str | None = None
    vcf_phone: str | None = None


class ContactAttachmentRequest(MaxModel):
    type: Literal["contact"] = "contact"
    payload: ContactRequestPayload


class LocationAttachmentRequest(MaxModel):
    type: Literal["location"] = "location"
    latitude: float
    longitude: float


class ShareRequestPayload(MaxModel):
    url: str | None = None
    token: str | None = None


class ShareAttachmentRequest(MaxModel):
    type: Literal["share"] = "share"
    payload: ShareRequestPayload


class InlineKeyboardAttachmentRequest(MaxModel):
    type: Literal["inline_keyboard"] = "inline_keyboard"
    payload: Keyboard


AttachmentRequest = Annotated[
    ImageAttachmentRequest
    | VideoAttachmentRequest
    | AudioAttachmentRequest
    | FileAttachmentRequest
    | StickerAttachmentRequest
    | ContactAttachmentRequest
    | LocationAttachmentRequest
    | ShareAttachmentRequest
    | InlineKeyboardAttachmentRequest,
    Field(discriminator="type"),
]

# Attachments MAX must process after upload; sending them too early gives attachment.not.ready.
UPLOADED_ATTACHMENT_TYPES = frozenset({"image", "video", "audio", "file"})


class NewMessageLink(MaxModel):
    # "forward" or "reply"
    type: Literal["forward", "reply"]
    mid: str


class NewMessageBody(MaxModel):
    text: str | None = None
    # On edit: None keeps the current attachments, an empty list removes them all.
    attachments: list[AttachmentRequest] | None = None
    link: NewMessageLink | None = None
    notify: bool | None = None
    format: TextFormat | None = None


class CallbackAnswer(MaxModel):
    """At least one of the two is required. `message` replaces the message holding the keyboard."""

    message: NewMessageBody | None = None
    notification: str | None = None


class SubscriptionRequestBody(MaxModel):
    url: str
    update_types: list[str] | None = None
    secret: str | None = None


class BotCommandsPatch(MaxModel):
    commands: list[BotCommand]


class ActionRequestBody(MaxModel):
    action: SenderAction
