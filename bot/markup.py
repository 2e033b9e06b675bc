"""People's text in the bot's messages: one way to make it safe, used by every message.

Every message the bot sends has `format: "html"` and is built by `message_body` from `Markup`:
our templates (trusted, audited in tests) with every value escaped by `escape`. HTML is chosen
over MAX's markdown because HTML escaping is unambiguous, while MAX documents no escape syntax
for its markdown: a backslash before `[` or `*` may still render. `&`, `<` and `>` are escaped;
quotes are not: people's text only ever lands in element content, never in an attribute value
(the templates hold no tag but <b>, tests/bot/test_markup.py holds them to it), and in content a
quote is only a quote. Escaping them would only make the outbox and logs harder to read.

`sanitize` runs on every piece of people's text, escaped or not (button labels and callback
toasts are never formatted by MAX, so they get `sanitize` alone). It removes what could change
how the text around it reads, and nothing a person would miss:
- C0 and C1 control characters except tab and newline (a NUL, escape sequences, NEL); CR, CRLF
  and the Unicode line/paragraph separators become a plain newline.
- Bidi embeddings, overrides, isolates and marks (U+202A–202E, U+2066–2069, U+200E/200F,
  U+061C) and the deprecated format controls U+206A–206F: "\\u202egpj.exe" would otherwise show
  as "exe.jpg", and an unclosed override reorders the rest of our sentence.
- The zero-width spaces U+200B, U+2060 and U+FEFF, and the interlinear annotation marks
  U+FFF9–FFFB: invisible, they let "MAX Support" and "MAX\\u200bSupport" look identical and
  hide text; their one legitimate use (optional line-break hints in Thai or Khmer) is not worth
  that. U+200C and U+200D (zero-width non-joiner and joiner) stay: Persian, Indic scripts and
  emoji sequences (👩‍🎨) need them.
- Lone surrogates, which cannot be encoded and would make MAX refuse the whole message.

Newlines are kept. In HTML mode a newline is only a line break: it cannot open a heading or a
quote, so it is not an injection. Titles and names arrive single-line (titles are whitespace-
collapsed by gallery.objects), and the texts that legitimately have lines (a trade's message, a
description) keep them; every value sits inside our own sentence, in «» where it is a title or a
note. Bare links and @mentions stay as typed: MAX may make them clickable, but it shows exactly
what was typed, so nothing is disguised.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.types import AttachmentRequest, InlineKeyboardAttachmentRequest, NewMessageBody

_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
_REMOVED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 except tab and newline (CR handled above), C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u206a-\u206f"  # bidi and deprecated formats
    "\u200b\u2060\ufeff\ufff9-\ufffb"  # zero-width spaces, interlinear annotation
    "\ud800-\udfff]"  # lone surrogates (a decoded str holds no paired ones)
)


class Markup(str):
    """Message text that is safe to send with `format: "html"` as it is.

    Made only by `escape`, `bot.texts.t` and `join_lines`. String operations on it (`+`,
    `format`, slicing) give back a plain `str`, so mypy refuses their result where Markup is
    expected: nothing unescaped slips into a message by concatenation.
    """

    __slots__ = ()


def sanitize(text: str) -> str:
    """`text` with the invisible and reordering characters removed (see the module docstring)."""
    return _REMOVED.sub("", _LINE_BREAKS.sub("\n", text))


def escape(text: str) -> Markup:
    """People's text as message text: sanitised, then HTML-escaped; Markup is returned as is."""
    if isinstance(text, Markup):
        return text
    return Markup(html.escape(sanitize(text), quote=False))


def plain(text: str) -> str:
    """Text for a place MAX never formats (a toast, a button label): sanitised, never escaped.
    Markup is refused: its entities would show as typed."""
    if isinstance(text, Markup):
        raise TypeError("formatted text in a plain-text place: use bot.texts.label()")
    return sanitize(text)


def join_lines(lines: Iterable[Markup]) -> Markup:
    parts = list(lines)
    if not all(isinstance(line, Markup) for line in parts):
        raise TypeError("join_lines takes Markup only: escape people's text first")
    return Markup("\n".join(parts))


def message_body(
    text: Markup, *, attachments: Sequence[AttachmentRequest] | None = None
) -> NewMessageBody:
    """The one way the app builds a message: HTML-formatted text from Markup.

    `attachments`: None leaves them out (on an answer's edit, keeps the old ones), [] removes
    them."""
    _require_markup(text)
    listed = None if attachments is None else list(attachments)
    return NewMessageBody(text=str(text), format="html", attachments=listed)


def message_json(text: Markup, keyboard: InlineKeyboardAttachmentRequest | None) -> dict[str, Any]:
    """message_body(text, attachments=[keyboard]) as JSON, the way a reply is queued, without
    building the body model for every reply (the keyboard is checked already)."""
    _require_markup(text)
    message: dict[str, Any] = {"text": str(text), "format": "html"}
    if keyboard is not None:
        message["attachments"] = [keyboard.model_dump(mode="json", exclude_none=True)]
    return message


def _require_markup(text: object) -> None:
    if not isinstance(text, Markup):
        raise TypeError("a message's text must be Markup: build it with bot.texts.t()")
