"""Transfer links and their QR image.

The token is base64url, which is exactly the charset both deep links allow, so it travels
unescaped: `?start=t_<token>` (≤128 characters, to the bot) and `?startapp=t_<token>` (≤512,
to the mini-app).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

PAYLOAD_PREFIX = "t_"
START_PAYLOAD_MAX = 128
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
BOX_SIZE = 10  # pixels per module: a phone camera reads it off another phone's screen


@dataclass(frozen=True)
class TransferLinks:
    deep_link: str  # opens the bot: bot_started.payload = t_<token>
    app_link: str  # opens the mini-app: start_param = t_<token>


def transfer_payload(token: str) -> str:
    payload = PAYLOAD_PREFIX + token
    if len(payload) > START_PAYLOAD_MAX:  # MAX drops a longer start payload without a word
        raise ValueError(f"a start payload has at most {START_PAYLOAD_MAX} characters")
    return payload


def transfer_links(bot_username: str, token: str) -> TransferLinks:
    payload = transfer_payload(token)
    return TransferLinks(
        deep_link=f"https://max.ru/{bot_username}?start={payload}",
        app_link=f"https://max.ru/{bot_username}?startapp={payload}",
    )


def qr_png(text: str) -> bytes:
    """A PNG of `text` as a QR code (error correction M). CPU work: run it in an executor."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=BOX_SIZE, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()
