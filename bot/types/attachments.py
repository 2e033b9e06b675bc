"""Attachments as received in message bodies; a kind MAX adds later arrives as UnknownAttachment."""

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag

from bot.types.base import MaxModel
from bot.types.buttons import Keyboard
from bot.types.users import User


class PhotoAttachmentPayload(MaxModel):
    photo_id: int | None = None
    token: str | None = None
    # Where the image can be downloaded from.
    url: str


class MediaPayload(MaxModel):
    url: str | None = None
    token: str | None = None


class StickerPayload(MaxModel):
    url: str | None = None
    code: str | None = None


class ContactPayload(MaxModel):
    vcf_info: str | None = None
    max_info: User | None = None
    # HMAC proving the phone belongs to the account; only on contacts shared via request_contact.
    hash: str | None = None


class VideoThumbnail(MaxModel):
    url: str | None = None


class ImageAttachment(MaxModel):
    type: Literal["image"] = "image"
    payload: PhotoAttachmentPayload


class VideoAttachment(MaxModel):
    type: Literal["video"] = "video"
    payload: MediaPayload
    thumbnail: VideoThumbnail | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None


class AudioAttachment(MaxModel):
    type: Literal["audio"] = "audio"
    payload: MediaPayload
    transcription: str | None = None


class FileAttachment(MaxModel):
    type: Literal["file"] = "file"
    payload: MediaPayload
    filename: str | None = None
    size: int | None = None


class StickerAttachment(MaxModel):
    type: Literal["sticker"] = "sticker"
    payload: StickerPayload
    width: int | None = None
    height: int | None = None


class ContactAttachment(MaxModel):
    type: Literal["contact"] = "contact"
    payload: ContactPayload


class LocationAttachment(MaxModel):
    type: Literal["location"] = "location"
    latitude: float
    longitude: float


class ShareAttachment(MaxModel):
    type: Literal["share"] = "share"
    payload: MediaPayload | None = None
    title: str | None = None
    description: str | None = None
    image_url: str | None = None


class InlineKeyboardAttachment(MaxModel):
    type: Literal["inline_keyboard"] = "inline_keyboard"
    payload: Keyboard
    # Received keyboards carry the id callbacks from this keyboard will use.
    callback_id: str | None = None


class UnknownAttachment(MaxModel):
    """An attachment kind this code does not know yet; every field is kept as received."""

    type: str


KNOWN_ATTACHMENT_TYPES = frozenset(
    {
        "image",
        "video",
        "audio",
        "file",
        "sticker",
        "contact",
        "location",
        "share",
        "inline_keyboard",
    }
)


def _attachment_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in KNOWN_ATTACHMENT_TYPES else "unknown"


Attachment = Annotated[
    Annotated[ImageAttachment, Tag("image")]
    | Annotated[VideoAttachment, Tag("video")]
    | Annotated[AudioAttachment, Tag("audio")]
    | Annotated[FileAttachment, Tag("file")]
    | Annotated[StickerAttachment, Tag("sticker")]
    | Annotated[ContactAttachment, Tag("contact")]
    | Annotated[LocationAttachment, Tag("location")]
    | Annotated[ShareAttachment, Tag("share")]
    | Annotated[InlineKeyboardAttachment, Tag("inline_keyboard")]
    | Annotated[UnknownAttachment, Tag("unknown")],
    Discriminator(_attachment_tag),
]
