"""The card's drawing on its own: the shipped fonts cover Cyrillic and Latin (no tofu), the QR
code reads back, and a long chain of owners shows the newest few and "+N earlier"."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import zxingcpp
from PIL import Image

from gallery.cards.labels import LABELS
from gallery.cards.render import (
    OWNERS_SHOWN,
    CardContent,
    OwnerLine,
    _owner_lines,
    font,
    render_card,
)

TITLE = "Закат над Невой — Ёлка, щука, Zoë & Ångström №7"


def notdef(face_bold: bool) -> bytes:
    """The font's missing-glyph box, to compare against."""
    return bytes(font(40, bold=face_bold).getmask("\U0010fffd"))


def test_the_shipped_fonts_draw_every_letter_of_both_alphabets() -> None:
    assert bytes(font(40).getmask("中")) == notdef(False)  # the check sees tofu where there is
    letters = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя" + TITLE
    for bold in (False, True):
        missing = notdef(bold)
        for letter in set(letters) - {" "}:
            mask = font(40, bold=bold).getmask(letter)
            assert mask.getbbox() is not None, letter
            assert bytes(mask) != missing, letter


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1280, 720), (40, 90, 160)).save(buffer, "WEBP")
    return buffer.getvalue()


def content(owners: int) -> CardContent:
    names = ["Анна", None, "Bob", "Иван", "Катя", "Zoë", "Пётр"]
    chain = tuple(
        OwnerLine(
            names[i % len(names)], datetime(2026, 3, i + 1, tzinfo=UTC), "trade" if i else "created"
        )
        for i in range(owners)
    )
    return CardContent(
        7, TITLE, "Анна", chain, "https://max.ru/gallery_bot?startapp=o_7", LABELS["ru"]
    )


def test_the_card_reads_back_to_its_deep_link() -> None:
    drawn = Image.open(io.BytesIO(render_card(content(3), photo())))
    assert (drawn.format, drawn.width) == ("WEBP", 900)
    [barcode] = zxingcpp.read_barcodes(drawn)
    assert barcode.text == "https://max.ru/gallery_bot?startapp=o_7"


def test_a_long_chain_shows_the_newest_few_and_counts_the_rest() -> None:
    lines = [text for text, _ in _owner_lines(content(7))]
    assert lines[0] == "Владельцы"
    assert len(lines) == 1 + OWNERS_SHOWN + 1
    assert lines[1] == "● Пётр · 07.03.2026 · обмен"  # the newest first
    assert lines[2] == "○ Zoë · 06.03.2026 · обмен"
    assert lines[-1] == "+3 ранее"
    hidden = [text for text, _ in _owner_lines(content(2))]
    assert hidden == [
        "Владельцы",
        "● скрытый коллекционер · 02.03.2026 · обмен",
        "○ Анна · 01.03.2026 · создан",
    ]
