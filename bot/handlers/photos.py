"""Photos sent to the bot become art objects: one card (or one reason) per photo."""

from __future__ import annotations

import logging

from bot.cards import send_object_card
from bot.context import Context
from bot.dispatcher import Router
from bot.errors import MaxError, MediaTooLarge
from bot.filters import has_image
from bot.markup import Markup, escape
from bot.texts import t
from bot.types import ImageAttachment, MessageCreatedUpdate
from gallery.photos.intake import DuplicatePhoto, create_photo_object
from storage.errors import DomainError
from storage.media import MediaUnavailable

log = logging.getLogger(__name__)
router = Router("photos")
_DAMAGED = {"truncated", "corrupt"}


@router.message(has_image)
async def photos_sent(ctx: Context) -> None:
    assert isinstance(ctx.update, MessageCreatedUpdate)
    images = [a for a in ctx.update.message.attachments if isinstance(a, ImageAttachment)]
    caption = (ctx.update.message.text or "").strip() or None
    for number, image in enumerate(images, start=1):
        title = caption if caption is None or len(images) == 1 else f"{caption} ({number})"
        await _take_photo(ctx, image, title)


async def _take_photo(ctx: Context, image: ImageAttachment, title: str | None) -> None:
    settings = ctx.services.settings
    language = ctx.user.language
    try:
        data = await ctx.services.client.download(image.payload.url, settings.media.max_bytes)
        created = await create_photo_object(
            ctx.conn,
            ctx.services.store,
            ctx.services.pools,
            settings,
            uploader=ctx.user.id,
            data=data,
            title=title,
        )
    except MediaTooLarge:
        await _refuse(ctx, t("reason.too_large", language, mb=_mb(settings.media.max_bytes)))
    except MaxError as exc:
        log.warning("could not download a photo from MAX: %s", exc)
        await _refuse(ctx, t("reason.download", language))
    except DomainError as exc:
        await _refuse(ctx, refusal_reason(ctx, exc))
    except MediaUnavailable as exc:  # the store is away: nothing was kept, the person may retry
        log.warning("photo refused, the media store is unavailable: %s", exc)
        await _refuse(ctx, t("reason.store_unavailable", language))
    else:
        await send_object_card(
            ctx,
            object_id=created.object.id,
            photo_id=created.photo.id,
            preview_key=created.photo.preview_key,
            text=t("card", language, title=created.object.title),
        )


async def _refuse(ctx: Context, reason: Markup) -> None:
    await ctx.reply(t("refused", ctx.user.language, reason=reason))


def refusal_reason(ctx: Context, exc: DomainError) -> Markup:
    """The pipeline's refusal in the person's language; the detail is English for the API."""
    language, media = ctx.user.language, ctx.services.settings.media
    if isinstance(exc, DuplicatePhoto):
        if exc.title is None:
            return t(f"reason.{exc.code}_hidden", language)
        return t(f"reason.{exc.code}", language, title=exc.title)
    if exc.code == "too_large":
        return t("reason.too_large", language, mb=_mb(media.max_bytes))
    if exc.code == "too_many_pixels":
        return t("reason.too_many_pixels", language, mp=_mb(media.max_pixels))
    if exc.code == "decompression_bomb":
        return t("reason.bomb", language)
    if exc.code in _DAMAGED:
        return t("reason.damaged", language)
    if exc.code == "unsupported_type":
        return t("reason.unsupported_type", language)
    if exc.code in ("rate_limited", "quota_exceeded"):
        limits = ctx.services.settings.limits
        gigabytes = f"{limits.quota_bytes / 10**9:g}"
        return t(f"reason.{exc.code}", language, objects=limits.quota_objects, gb=gigabytes)
    return escape(exc.detail)


def _mb(count: int) -> str:
    """20000000 → "20", 200000 → "0.2": millions, as people say them."""
    return f"{count / 10**6:g}"
