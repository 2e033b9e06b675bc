"""Formatted messages become plain text plus markup elements, as MAX stores and returns them."""

import httpx
import pytest

from sandbox.formatting import formatted, parse_html, parse_markdown
from sandbox.runner import RunningSandbox
from tests.sandbox.conftest import JsonDict
from tests.sandbox.schema import assert_valid


def element(kind: str, start: int, length: int, **extra: object) -> JsonDict:
    return {"type": kind, "from": start, "length": length, **extra}


def test_every_documented_html_tag_maps_to_its_markup_type() -> None:
    text, markup = parse_html(
        "<b>b</b><strong>b</strong><i>i</i><em>i</em><del>s</del><s>s</s><ins>u</ins><u>u</u>"
        "<pre>p</pre><code>c</code><mark>m</mark><h1>h</h1><blockquote>q</blockquote>"
        '<a href="https://example.com/x">l</a><a href="max://user/42">Ann</a>'
    )
    assert text == "bbiissuupcmhqlAnn"
    kinds = ["strong", "strong", "emphasized", "emphasized", "strikethrough", "strikethrough",
             "underline", "underline", "monospaced", "monospaced", "highlighted", "heading",
             "quote"]
    assert markup == [element(kind, n, 1) for n, kind in enumerate(kinds)] + [
        element("link", 13, 1, url="https://example.com/x"),
        element("user_mention", 14, 3, user_id=42),
    ]


def test_html_entities_are_decoded_and_unknown_tags_dropped_keeping_their_text() -> None:
    text, markup = parse_html(
        "&lt;b&gt;x&lt;/b&gt; &amp;amp; &quot;q&#x27; <script>alert(1)</script><span>s</span>"
        "<a>no href</a><br>"
    )
    assert (text, markup) == ("<b>x</b> &amp; \"q' alert(1)sno href", [])


def test_html_offsets_count_utf16_code_units_and_nesting_is_kept() -> None:
    # 🎨 is one code point and two UTF-16 units; the emoji sequence 👩‍🎨 is five units
    text, markup = parse_html("🎨 <b>bold <i>both</i></b> 👩\u200d🎨<u>u</u>")
    assert text == "🎨 bold both 👩\u200d🎨u"
    assert markup == [element("strong", 3, 9), element("emphasized", 8, 4),
                      element("underline", 18, 1)]


def test_html_unclosed_tag_runs_to_the_end_and_empty_ones_vanish() -> None:
    assert parse_html("a <b>b<i></i>") == ("a b", [element("strong", 2, 1)])


def test_markdown_documented_subset() -> None:
    text, markup = parse_markdown(
        "**b** __b__ *i* _i_ ~~s~~ ++u++ `c` ```c``` ^^h^^ [l](https://example.com) "
        "[Ann](max://user/7)"
    )
    assert text == "b b i i s u c c h l Ann"
    kinds = ["strong", "strong", "emphasized", "emphasized", "strikethrough", "underline",
             "monospaced", "monospaced", "highlighted"]
    assert markup == [element(kind, 2 * n, 1) for n, kind in enumerate(kinds)] + [
        element("link", 18, 1, url="https://example.com"),
        element("user_mention", 20, 3, user_id=7),
    ]


def test_markdown_blocks_nesting_and_what_is_left_alone() -> None:
    text, markup = parse_markdown("# Title\n> **quoted**\nsnake_case_name 2*3*4 `**raw**`")
    assert text == "Title\nquoted\nsnake_case_name 2*3*4 **raw**"
    assert markup == [element("heading", 0, 5), element("quote", 6, 6),
                      element("strong", 6, 6), element("monospaced", 35, 7)]


@pytest.mark.parametrize("fmt", [None, "html", "markdown"])
def test_without_markup_the_text_stays_and_markup_is_null(fmt: str | None) -> None:
    assert formatted("plain words", fmt) == ("plain words", None)


async def send(api: httpx.AsyncClient, user: JsonDict, body: JsonDict) -> JsonDict:
    response = await api.post("/messages", params={"user_id": user["user"]["user_id"]},
                              json=body)
    assert response.status_code == 200, response.text
    assert_valid("SendMessageResult", response.json())
    message: JsonDict = response.json()["message"]
    return message


async def test_a_sent_html_message_is_stored_and_returned_as_text_and_markup(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    source = 'Hi <b>Ann</b> &amp; <a href="https://example.com">see</a>'
    sent = await send(api, user, {"text": source, "format": "html"})
    expected = [element("strong", 3, 3), element("link", 9, 3, url="https://example.com")]
    assert (sent["body"]["text"], sent["body"]["markup"]) == ("Hi Ann & see", expected)
    fetched = (await api.get(f"/messages/{sent['body']['mid']}")).json()
    assert_valid("Message", fetched)
    assert (fetched["body"]["text"], fetched["body"]["markup"]) == ("Hi Ann & see", expected)
    [event] = await sandbox.control.chat_messages(user_id=user["user"]["user_id"])
    assert (event["text"], event["markup"], event["format"]) == ("Hi Ann & see", expected, "html")


async def test_an_edit_and_a_callback_answer_are_parsed_too(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict,
    sandbox_callback: tuple[str, str],
) -> None:
    callback_id, mid = sandbox_callback
    answered = await api.post("/answers", params={"callback_id": callback_id}, json={
        "message": {"text": "Thanks, **Ann**", "format": "markdown", "attachments": []}})
    assert answered.json() == {"success": True}
    body = (await api.get(f"/messages/{mid}")).json()["body"]
    assert (body["text"], body["markup"]) == ("Thanks, Ann", [element("strong", 8, 3)])
    edited = await api.put("/messages", params={"message_id": mid},
                           json={"text": "<i>now</i> plain &lt;", "format": "html"})
    assert edited.json() == {"success": True}
    body = (await api.get(f"/messages/{mid}")).json()["body"]
    assert (body["text"], body["markup"]) == ("now plain <", [element("emphasized", 0, 3)])
    await api.put("/messages", params={"message_id": mid}, json={"text": "**as typed**"})
    body = (await api.get(f"/messages/{mid}")).json()["body"]
    assert (body["text"], body["markup"]) == ("**as typed**", None)
