"""The escaping corpus: every text template with every value slot filled with hostile text, sent
through the sandbox as the bot sends it, must come back as the template's own formatting only,
with the text exactly as typed (less what sanitize() removes)."""

from __future__ import annotations

import asyncio
import string
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.client import MaxClient
from bot.markup import message_body, sanitize
from bot.texts import TEXTS, label, t
from bot.types import Message
from sandbox.config import SandboxConfig
from sandbox.formatting import formatted
from sandbox.runner import RunningSandbox, run_sandbox
from storage.models import Language

CORPUS = [
    # MAX's markdown
    "**x**",
    "__x__",
    "*x*",
    "_x_",
    "~~x~~",
    "++x++",
    "`x`",
    "```x```",
    "^^x^^",
    "# h",
    "> q",
    "[t](https://evil.example/phish)",
    "[Name](max://user/1)",
    "\\*not escaped\\*",
    "**URGENT** [Verify your account](https://evil.example/phish)",
    "**MAX Support** [verify](https://evil.example)",
    # HTML
    "<b>x</b>",
    '<a href="https://evil.example">x</a>',
    "&lt;b&gt;",
    "&amp;",
    "&#60;i&#62;",
    "<script>alert(1)</script>",
    "</b>unclosed",
    "<b><i>nested",
    "<!-- c -->",
    "<![CDATA[x]]>",
    "a & b < c > d",
    "'single' \"double\" «ёлочки»",
    # links and mentions as typed
    "https://evil.example/phish",
    "max://user/1",
    "@support",
    # invisible and reordering characters
    "zero\u200bwidth",
    "👩\u200d🎨 artist",
    "\ufeffbom",
    "\u202egpj.exe",
    "\u2066isolate\u2069 \u2067rtl\u2069 \u2068first\u2069",
    "\u200eLRM\u200fRLM\u061cALM",
    # lines and controls
    "line one\n# heading\n> quote\n",
    "crlf\r\nend",
    "nul\x00here",
    "bell\x07 esc\x1b[31m",
    # plain text and the empty string
    "Alice",
    "",
]
HARMLESS = "Alice"
Shape = list[tuple[str, str, Any, Any]]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


SLOTTED = sorted(
    (key, language)
    for key, by_language in TEXTS.items()
    for language, template in by_language.items()
    if placeholders(template)
)


def utf16_slice(text: str, start: int, length: int) -> str:
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * start : 2 * (start + length)].decode("utf-16-le", "surrogatepass")


def shape(message: Message) -> Shape:
    """The formatting MAX applied: each element's type, the text it covers, its target."""
    assert message.body is not None
    text = message.body.text or ""
    return [
        (m.type, utf16_slice(text, m.from_, m.length), m.url, m.user_id)
        for m in message.body.markup or []
    ]


def as_read(key: str, language: Language, value: str) -> str:
    """The text a person reads: the template without its tags, each value as sanitize() leaves
    it."""
    template = TEXTS[key][language].replace("<b>", "").replace("</b>", "")
    return template.format(**dict.fromkeys(placeholders(template), sanitize(value)))


@pytest.fixture
async def sandbox() -> AsyncIterator[RunningSandbox]:
    config = SandboxConfig(token="corpus", rate_per_bot=100_000, rate_per_chat=100_000)
    async with run_sandbox(config, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
async def max_client(sandbox: RunningSandbox) -> AsyncIterator[MaxClient]:
    async with MaxClient(sandbox.token, base_url=sandbox.base_url) as client:
        yield client


async def send(
    client: MaxClient, user_id: int, key: str, language: Language, value: str
) -> Message:
    values = dict.fromkeys(placeholders(TEXTS[key][language]), value)
    return await client.send_body(message_body(t(key, language, **values)), user_id=user_id)


def test_the_corpus_reaches_every_slot() -> None:
    assert len(SLOTTED) > 60
    assert {language for _, language in SLOTTED} == {"ru", "en"}


async def test_every_slot_of_every_template_keeps_hostile_text_as_text(
    sandbox: RunningSandbox, max_client: MaxClient
) -> None:
    user_id: int = (await sandbox.control.create_user("Reader"))["user"]["user_id"]
    failures: list[str] = []
    for key, language in SLOTTED:
        expected = shape(await send(max_client, user_id, key, language, HARMLESS))
        sent = await asyncio.gather(
            *(send(max_client, user_id, key, language, value) for value in CORPUS)
        )
        for value, message in zip(CORPUS, sent, strict=True):
            assert message.body is not None
            stored = sandbox.state.messages[message.body.mid]  # what the chat holds
            read = (stored.text, shape(message))
            if read != (as_read(key, language, value), expected):
                failures.append(f"{key}/{language} with {value!r}: {read!r}")
    assert failures == []


def test_the_greeting_keeps_its_one_strong_whatever_the_name() -> None:
    """What the corpus test compares with: the template's own formatting, on harmless values."""
    for value in CORPUS:
        text, markup = formatted(t("greeting", "en", name=value), "html")
        assert text is not None
        assert [utf16_slice(text, m["from"], m["length"]) for m in markup or []] == [
            "Max Photo Gallery"
        ]


@pytest.mark.parametrize("value", CORPUS)
def test_plain_text_places_get_the_value_as_sanitize_leaves_it(value: str) -> None:
    for key, language in SLOTTED:
        if "<" not in TEXTS[key][language]:
            assert label(
                key, language, **dict.fromkeys(placeholders(TEXTS[key][language]), value)
            ) == as_read(key, language, value)
