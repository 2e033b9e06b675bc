"""One word for the traded thing: "trade". "Offer" is only the verb, in what people read.

A grep over the product code (not migrations: applied files never change). It cannot tell every
noun "offer" from the verb, so it looks for the shapes a noun takes in code and text: an
identifier part (self_offer, offer_pending, OfferIn, cancelOffer), a noun phrase ("the offer",
"trade offer", "counter-offer"), the Russian noun (предложение), and the other two old names.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["bot", "config", "gallery", "server", "storage", "webapp"]
SUFFIXES = {".py", ".js", ".html", ".css"}
NOUNS = re.compile(
    r"(?i:swap|exchange)"  # the other two old names
    r"|(?i:_offers?\b|\boffers?_)"  # snake_case parts: self_offer, OFFER_TTL
    r"|Offers?(?=[A-Z])|(?<=[a-z])Offers?\b|\boffers?(?=[A-Z])"  # OfferIn, cancelOffer, offerTo
    r"|(?i:\b(?:a|an|the|this|that|your|their|trade|counter|open|pending)[ -]offers?\b)"
    r"|(?i:предложени)"  # the Russian noun; «предлагает обмен» is the verb
)
# The verb, where people read it: the mini-app's "Offer a trade" button.
ALLOWED = ["offerTrade"]


def product_files() -> list[Path]:
    return sorted(
        path
        for top in PRODUCT
        for path in (ROOT / top).rglob("*")
        if path.suffix in SUFFIXES and path.is_file()
    )


def nouns_in(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for allowed in ALLOWED:
            line = line.replace(allowed, "")
        found += [f"{path.relative_to(ROOT)}:{number}: {m.group(0)}" for m in NOUNS.finditer(line)]
    return found


def test_the_product_code_calls_the_traded_thing_a_trade() -> None:
    assert [hit for path in product_files() for hit in nouns_in(path)] == []


def test_the_check_sees_each_old_name() -> None:
    """The patterns themselves: each old noun is caught, the verb and other words are not."""
    caught = [
        "code=f\"offer_{status}\"", "self_offer", "class OfferIn", "t(\"cancelOffer\")",
        "t(\"offerFrom\")", "this offer is closed", "a counter-offer", "trade offer 5",
        "icon(\"swap\")", "exchange_strings.js", "Предложение обмена",
    ]
    passed = [
        "{name} offers you a trade.", "offerTrade: \"Offer a trade\"", "Предложить обмен",
        "{name} предлагает обмен", "class TransferOffered", "what a scanned code offers",
    ]
    for text in caught:
        assert NOUNS.search(text), text
    for text in passed:
        assert not NOUNS.search(text.replace("offerTrade", "")), text
