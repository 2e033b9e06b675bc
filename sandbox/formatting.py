"""What MAX makes of a formatted message: plain `text` plus `markup` elements.

A message sent with `format` "html" or "markdown" is stored and returned as the text a person
reads and a list of `{type, from, length, url?|user_id?}` (docs/max-platform.md, Sending
messages). `from` and `length` count UTF-16 code units, as MAX's clients (Java, JavaScript)
and Telegram do: an emoji outside the BMP is two.

HTML: the documented tags map to MAX's types, entities are decoded, any other tag is dropped
and its text kept. Markdown: the documented subset only, line by line (a ``` block does not span
lines here); MAX documents no escape syntax, so none is honoured.
"""

import re
from html.parser import HTMLParser

from sandbox.state import JsonDict

MENTION = re.compile(r"max://user/(\d{1,19})")
HTML_TYPES = {
    "b": "strong", "strong": "strong", "i": "emphasized", "em": "emphasized",
    "del": "strikethrough", "s": "strikethrough", "ins": "underline", "u": "underline",
    "pre": "monospaced", "code": "monospaced", "mark": "highlighted", "a": "link",
    "blockquote": "quote", **{f"h{n}": "heading" for n in range(1, 7)},
}
# In priority order: a pattern that matches earlier in the text wins, ties go to the first here.
# (pattern, type, whether the inside is parsed too)
INLINE: list[tuple[re.Pattern[str], str, bool]] = [
    (re.compile(r"```(.+?)```"), "monospaced", False),
    (re.compile(r"`(.+?)`"), "monospaced", False),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)"), "link", True),
    (re.compile(r"\*\*(.+?)\*\*"), "strong", True),
    (re.compile(r"__(.+?)__"), "strong", True),
    (re.compile(r"~~(.+?)~~"), "strikethrough", True),
    (re.compile(r"\+\+(.+?)\+\+"), "underline", True),
    (re.compile(r"\^\^(.+?)\^\^"), "highlighted", True),
    (re.compile(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])"), "emphasized", True),
    (re.compile(r"(?<![\w_])_(?![\s_])(.+?)(?<![\s_])_(?![\w_])"), "emphasized", True),
]
BLOCKS = [(re.compile(r"#{1,6} "), "heading"), (re.compile(r"> ?"), "quote")]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def link_element(url: str, start: int) -> JsonDict:
    mention = MENTION.fullmatch(url)
    if mention is not None:
        return {"type": "user_mention", "from": start, "length": 0,
                "user_id": int(mention.group(1))}
    return {"type": "link", "from": start, "length": 0, "url": url}


def formatted(text: str | None, fmt: str | None) -> tuple[str | None, list[JsonDict] | None]:
    """(plain text, markup or None) of a message body's `text` sent with `format` `fmt`."""
    if text is None or fmt is None:
        return text, None
    plain, markup = parse_html(text) if fmt == "html" else parse_markdown(text)
    return plain, markup or None


class _HtmlToMarkup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.units = 0  # UTF-16 units so far (HTMLParser has an `offset` of its own)
        self.open: list[tuple[str, JsonDict]] = []
        self.markup: list[JsonDict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = HTML_TYPES.get(tag)
        if kind is None:
            return
        href = dict(attrs).get("href") if tag == "a" else None
        if tag == "a" and not href:
            return
        element = link_element(href, self.units) if href else \
            {"type": kind, "from": self.units, "length": 0}
        self.open.append((tag, element))
        self.markup.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                _, element = self.open.pop(index)
                element["length"] = self.units - element["from"]
                return

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.units += utf16_len(data)

    def result(self) -> tuple[str, list[JsonDict]]:
        self.close()
        for _, element in self.open:  # an unclosed tag runs to the end
            element["length"] = self.units - element["from"]
        return "".join(self.parts), [e for e in self.markup if e["length"] > 0]


def parse_html(source: str) -> tuple[str, list[JsonDict]]:
    parser = _HtmlToMarkup()
    parser.feed(source)
    return parser.result()


def parse_markdown(source: str) -> tuple[str, list[JsonDict]]:
    lines: list[str] = []
    markup: list[JsonDict] = []
    offset = 0
    for number, line in enumerate(source.split("\n")):
        if number:
            offset += 1
        block, rest = _block(line)
        text, inline = _inline(rest, offset)
        if block is not None and text:
            markup.append({"type": block, "from": offset, "length": utf16_len(text)})
        markup.extend(inline)
        lines.append(text)
        offset += utf16_len(text)
    return "\n".join(lines), markup


def _block(line: str) -> tuple[str | None, str]:
    for pattern, kind in BLOCKS:
        found = pattern.match(line)
        if found is not None:
            return kind, line[found.end():]
    return None, line


def _earliest(source: str, pos: int) -> tuple[re.Match[str], str, bool] | None:
    best: tuple[re.Match[str], str, bool] | None = None
    for pattern, kind, nested in INLINE:
        found = pattern.search(source, pos)
        if found is not None and (best is None or found.start() < best[0].start()):
            best = (found, kind, nested)
    return best


def _inline(source: str, offset: int) -> tuple[str, list[JsonDict]]:
    parts: list[str] = []
    markup: list[JsonDict] = []
    pos = 0
    while (best := _earliest(source, pos)) is not None:
        found, kind, nested = best
        before = source[pos:found.start()]
        parts.append(before)
        offset += utf16_len(before)
        inner, inside = _inline(found.group(1), offset) if nested else (found.group(1), [])
        element = link_element(found.group(2), offset) if kind == "link" else \
            {"type": kind, "from": offset, "length": 0}
        length = utf16_len(inner)
        element["length"] = length
        markup.extend([element, *inside])
        parts.append(inner)
        offset += length
        pos = found.end()
    parts.append(source[pos:])
    return "".join(parts), markup
