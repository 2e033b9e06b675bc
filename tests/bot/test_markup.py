"""One escaping mechanism: what sanitize removes, what t() and label() make, and that every
message the app builds goes through bot.markup.message_body."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from bot import keyboards
from bot.markup import Markup, escape, join_lines, message_body, message_json, plain, sanitize
from bot.texts import TEXTS, label, t
from bot.types import NewMessageBody

ROOT = Path(__file__).resolve().parents[2]
# where NewMessageBody may be constructed: its definition, the client, and the one helper
BUILDERS = {"bot/markup.py", "bot/client_messages.py"}
TAG = re.compile(r"</?b>")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b\x07c\x1bd\x7fe\x85f\x9fg", "abcde\nfg"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("crlf\r\ncr\rls\u2028ps\u2029", "crlf\ncr\nls\nps\n"),
        ("\u202egpj.exe", "gpj.exe"),
        ("\u2066a\u2067b\u2068c\u2069 \u202a\u202b\u202c\u202d \u200e\u200f\u061c", "abc  "),
        ("MAX\u200bSup\u2060port\ufeff", "MAXSupport"),
        ("👩\u200d🎨 and \u200c", "👩\u200d🎨 and \u200c"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("**x** <b>&amp; [t](https://e.x) @anna", "**x** <b>&amp; [t](https://e.x) @anna"),
    ],
)
def test_sanitize_removes_only_invisible_and_reordering_characters(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean


def test_escape_makes_html_inert_and_leaves_markup_as_it_is() -> None:
    escaped = escape("<b>x</b> & \"q\" 'a' \u202e")
    assert escaped == "&lt;b&gt;x&lt;/b&gt; &amp; \"q\" 'a' "
    assert isinstance(escaped, Markup)
    assert escape(escaped) is escaped


def test_t_escapes_every_value_unless_it_is_markup_and_takes_ints() -> None:
    card = t("object_card", "en", title="<i>A</i> & B", owner=Markup("<b>Ann</b>"))
    assert card == "«&lt;i&gt;A&lt;/i&gt; &amp; B» — owned by <b>Ann</b>."
    assert isinstance(card, Markup)
    assert t("my.page", "en", total=3, page=1, pages=2) == "Your objects (3), page 1 of 2:"
    with pytest.raises(TypeError):
        t("card", "en", title=None)  # type: ignore[arg-type]


def test_label_sanitises_without_escaping_and_refuses_markup() -> None:
    assert label("transfer.claimed", "en", title="<b>Ann</b> & \u202eco\x00", name="Bo") == (
        "«<b>Ann</b> & co» now belongs to Bo."
    )
    assert not isinstance(label("button.open", "en"), Markup)
    with pytest.raises(ValueError, match="formatted"):
        label("greeting", "en", name="Ann")
    with pytest.raises(TypeError):
        label("transfer.claimed", "en", title=Markup("&amp;"), name="Bo")
    with pytest.raises(TypeError):
        plain(t("stale_button", "en"))


def test_message_body_is_html_and_takes_only_markup() -> None:
    body = message_body(join_lines([t("cancelled", "en"), escape("<x>")]), attachments=[])
    assert body == NewMessageBody(text="Cancelled.\n&lt;x&gt;", format="html", attachments=[])
    with pytest.raises(TypeError):
        message_body("raw")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        join_lines(["raw"])  # type: ignore[list-item]


def test_a_queued_reply_is_the_message_body_as_json() -> None:
    """Context.reply queues message_json, built without the body model: it must say exactly
    what message_body would, with and without a keyboard, and refuse unescaped text alike."""
    text = join_lines([t("help", "ru"), escape("<b>Дана</b> & co")])
    keyboard = keyboards.inline_keyboard(
        [
            [keyboards.open_app("Открыть", "gallery_bot", contact_id=7)],
            [keyboards.callback("x", "y")],
        ]
    )
    for attached in (keyboard, None):
        listed = None if attached is None else [attached]
        expected = message_body(text, attachments=listed).model_dump(mode="json", exclude_none=True)
        assert message_json(text, attached) == expected
    with pytest.raises(TypeError):
        message_json("raw", None)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_template_is_trusted_html(key: str) -> None:
    """No literal &, < or > but <b> and </b> (so no attribute, where quotes would matter), and
    only {name} placeholders."""
    for language, template in TEXTS[key].items():
        bare = TAG.sub("", template)
        assert not set(bare) & set("&<>"), (key, language)
        assert len(TAG.findall(template)) % 2 == 0, (key, language)
        for _, name, spec, conversion in string.Formatter().parse(template):
            assert name is None or (name.isidentifier() and not spec and not conversion)


def test_templates_have_the_same_placeholders_in_both_languages() -> None:
    def names(template: str) -> set[str]:
        return {n for _, n, _, _ in string.Formatter().parse(template) if n}

    assert {k for k, v in TEXTS.items() if names(v["ru"]) != names(v["en"])} == set()


def constructions(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "NewMessageBody")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "NewMessageBody")
        )
    ]


def test_no_message_body_is_built_but_by_the_one_helper() -> None:
    found = {
        f"{path.relative_to(ROOT).as_posix()}:{line}"
        for package in ("bot", "gallery")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.relative_to(ROOT).as_posix() not in BUILDERS
        and not path.relative_to(ROOT).as_posix().startswith("bot/types/")
        for line in constructions(path)
    }
    assert found == set()
    # and the walk does see constructions where they are
    assert constructions(ROOT / "bot" / "markup.py") != []
