"""The provenance card as pixels: the photo, the title, the creator, the last owners with their
dates, and a QR code of the object's deep link. Pure CPU work: run it in an image executor.

The fonts ship in gallery/cards/fonts (DejaVu, Latin and Cyrillic), so the card looks the same on
every machine and never depends on what fonts a server happens to have.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont, ImageOps
from qrcode.constants import ERROR_CORRECT_M

FONTS = Path(__file__).parent / "fonts"
WIDTH = 900
PHOTO_HEIGHT = 600
PAD = 44
QR_SIZE = 232
OWNERS_SHOWN = 4  # the newest few; the rest are counted as "+N earlier"
TITLE_LINES = 2
WEBP_QUALITY = 88
BACKGROUND = (255, 255, 255)
INK = (12, 13, 14)  # MAX's primary text
MUTED = (110, 115, 122)
ACCENT = (0, 122, 255)  # MAX's accent
RULE = (228, 230, 234)


@dataclass(frozen=True)
class OwnerLine:
    name: str | None  # None: someone whose collection is not public
    at: datetime
    reason: str  # created / transfer / trade


@dataclass(frozen=True)
class CardLabels:
    by: str
    owners: str
    someone: str
    earlier: str  # with {count}
    scan: str
    reasons: dict[str, str]


@dataclass(frozen=True)
class CardContent:
    object_id: int
    title: str
    creator_name: str
    owners: tuple[OwnerLine, ...]  # oldest first
    link: str  # what the QR code says
    labels: CardLabels


@lru_cache(maxsize=16)
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def render_card(content: CardContent, photo: bytes) -> bytes:
    """The card as WebP bytes."""
    lines = _owner_lines(content)
    title = _wrap(content.title, font(44, bold=True), WIDTH - 2 * PAD, TITLE_LINES)
    text_height = 56 * len(title) + 48 + 40 + 44 * len(lines)
    height = PHOTO_HEIGHT + PAD + max(text_height, 0) + PAD + QR_SIZE + PAD
    card = Image.new("RGB", (WIDTH, height), BACKGROUND)
    card.paste(_photo(photo), (0, 0))
    draw = ImageDraw.Draw(card)
    y = PHOTO_HEIGHT + PAD
    for line in title:
        draw.text((PAD, y), line, font=font(44, bold=True), fill=INK)
        y += 56
    byline = _fit(f"{content.labels.by} {content.creator_name}", font(28), WIDTH - 2 * PAD)
    draw.text((PAD, y + 4), byline, font=font(28), fill=MUTED)
    y += 48
    draw.line((PAD, y + 12, WIDTH - PAD, y + 12), fill=RULE, width=2)
    y += 28
    for text, colour in lines:
        draw.text((PAD, y), _fit(text, font(28), WIDTH - 2 * PAD), font=font(28), fill=colour)
        y += 44
    _footer(card, draw, content, height)
    buffer = io.BytesIO()
    card.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


def _photo(data: bytes) -> Image.Image:
    """The preview, cropped to fill the card's top (the preview is already ours: decoded safely
    at upload, no metadata, sane size)."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return ImageOps.fit(image.convert("RGB"), (WIDTH, PHOTO_HEIGHT), Image.Resampling.LANCZOS)


def _owner_lines(content: CardContent) -> list[tuple[str, tuple[int, int, int]]]:
    labels = content.labels
    lines: list[tuple[str, tuple[int, int, int]]] = [(labels.owners, INK)]
    newest = list(reversed(content.owners))
    for index, owner in enumerate(newest[:OWNERS_SHOWN]):
        name = owner.name or labels.someone
        reason = labels.reasons.get(owner.reason, owner.reason)
        bullet = "●" if index == 0 else "○"
        lines.append(
            (f"{bullet} {name} · {owner.at:%d.%m.%Y} · {reason}", INK if index == 0 else MUTED)
        )
    hidden = len(newest) - OWNERS_SHOWN
    if hidden > 0:
        lines.append((labels.earlier.format(count=hidden), MUTED))
    return lines


def _footer(
    card: Image.Image, draw: ImageDraw.ImageDraw, content: CardContent, height: int
) -> None:
    top = height - PAD - QR_SIZE
    card.paste(_qr(content.link), (WIDTH - PAD - QR_SIZE, top))
    draw.text((PAD, top + 24), "Max Photo Gallery", font=font(34, bold=True), fill=ACCENT)
    draw.text((PAD, top + 76), f"#{content.object_id}", font=font(28), fill=MUTED)
    scan = _wrap(content.labels.scan, font(26), WIDTH - 3 * PAD - QR_SIZE, 3)
    for index, line in enumerate(scan):
        draw.text((PAD, top + 136 + 34 * index), line, font=font(26), fill=MUTED)


def _qr(link: str) -> Image.Image:
    """Whole pixels per module, centred on white: a camera reads sharp, even edges best."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2)
    code.add_data(link)
    code.make(fit=True)
    code.box_size = max(1, QR_SIZE // (code.modules_count + 2 * code.border))
    drawn = code.make_image().get_image().convert("RGB")
    square = Image.new("RGB", (QR_SIZE, QR_SIZE), BACKGROUND)
    square.paste(drawn, ((QR_SIZE - drawn.width) // 2, (QR_SIZE - drawn.height) // 2))
    return square


def _fit(text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, face: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if face.getlength(candidate) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [_fit(line, face, width) for line in lines]
