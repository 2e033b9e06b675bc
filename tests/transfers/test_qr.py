"""The QR code decodes to exactly the deep link; the links fit MAX's limits; the token's size."""

from __future__ import annotations

import io
import re

import zxingcpp
from PIL import Image

from gallery.transfers.qr import qr_png, transfer_links
from gallery.transfers.tokens import accept_verifier, hash_token, new_token, token_matches


def decode(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_the_png_decodes_to_exactly_the_deep_link() -> None:
    token = new_token()
    links = transfer_links("gallery_bot", token)
    png = qr_png(links.deep_link)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert decode(png) == [f"https://max.ru/gallery_bot?start=t_{token}"]


def test_the_code_has_error_correction_m_and_a_quiet_zone() -> None:
    png = qr_png(transfer_links("gallery_bot", new_token()).deep_link)
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.ec_level == "M"
    image = Image.open(io.BytesIO(png)).convert("L")
    quiet = 4 * 10  # four modules of ten pixels
    assert {image.getpixel((x, y)) for x in range(quiet) for y in range(image.height)} == {255}
    assert {image.getpixel((x, y)) for x in range(image.width) for y in range(quiet)} == {255}


def test_links_fit_both_deep_link_formats() -> None:
    token = new_token()
    links = transfer_links("gallery_bot", token)
    assert links.app_link == f"https://max.ru/gallery_bot?startapp=t_{token}"
    start = links.deep_link.partition("?start=")[2]
    assert len(start) <= 128
    assert re.fullmatch(r"[A-Za-z0-9_-]+", start)


def test_tokens_carry_at_least_128_random_bits_and_are_stored_as_sha256() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    token = tokens.pop()
    assert len(token) * 6 >= 128
    hashed = hash_token(token)
    assert hashed is not None
    assert len(hashed) == 32
    assert token.encode() not in hashed
    assert token_matches(hashed, token)
    assert not token_matches(hashed, new_token())


def test_garbage_is_never_looked_up() -> None:
    for garbage in (
        "",
        "short",
        "t" * 101,
        "has space in it....",
        "кириллица-кириллица",
        "a/b" * 8,
    ):
        assert hash_token(garbage) is None


def test_the_accept_verifier_does_not_show_the_token() -> None:
    token = new_token()
    hashed = hash_token(token)
    assert hashed is not None
    verifier = accept_verifier(hashed)
    assert len(verifier) == 16
    assert verifier not in token
    assert token not in verifier
    assert re.fullmatch(r"[A-Za-z0-9_-]+", verifier)
