"""What people do while a replica dies: photos sent in the chat, uploads, trades and transfers
in the mini-app, a button pressed on a push. Every call goes through the balancer; a call whose
answer was lost (a 502 while its replica died) is tried again, and a try that finds its own
earlier effect (a duplicate photo, a trade already accepted) is read back as done."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from bot.payloads import encode
from sandbox.control import SandboxControl
from tests.browser.artworks import artwork
from tests.cluster.traffic import Recorder, Session

CHAT_PHOTOS = 3
UPLOADS = 2
# a push the killed replica had claimed waits out its lease (bot/sender.py: 120 s)
PUSH_WAIT_S = 150.0


def photo_jpeg(seed: int) -> bytes:
    buffer = BytesIO()
    artwork(seed, size=(480, 360)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@dataclass
class Ledger:
    """What was done, to check against the database and the sandbox afterwards."""

    chat_titles: dict[str, int] = field(default_factory=dict)  # title -> user id
    uploads: dict[str, int] = field(default_factory=dict)  # title -> object id
    trades: list[int] = field(default_factory=list)
    transfers: list[int] = field(default_factory=list)


async def new_session(recorder: Recorder, control: SandboxControl, name: str) -> Session:
    created = await control.create_user(name, language_code="en")
    user_id, chat_id = int(created["user"]["user_id"]), int(created["chat_id"])
    await control.start_bot(user_id)
    launch = await control.launch_data(user_id)
    response, _ = await recorder.answered("POST", "/api/auth",
                                          json={"init_data": launch["init_data"]})
    assert response.status_code == 200, response.text
    return Session(user_id, chat_id, name, response.json()["access_token"])


async def send_chat_photos(control: SandboxControl, ledger: Ledger, who: Session, seed: int,
                           pause_s: float) -> None:
    for number in range(CHAT_PHOTOS):
        title = f"chat {who.name} {number}"
        ledger.chat_titles[title] = who.user_id
        await control.send_photos(who.user_id, [photo_jpeg(seed + number)], caption=title)
        await asyncio.sleep(pause_s)


async def my_object_titled(recorder: Recorder, who: Session, title: str) -> int:
    response, _ = await recorder.answered("GET", "/api/me/objects?limit=50", headers=who.headers)
    [found] = [o["id"] for o in response.json()["items"] if o["title"] == title]
    return int(found)


async def upload(recorder: Recorder, ledger: Ledger, who: Session, seed: int, number: int) -> int:
    title = f"upload {who.name} {number}"
    files = {"file": (f"{seed}.jpg", photo_jpeg(seed), "image/jpeg")}
    response, retried = await recorder.answered(
        "POST", "/api/photos", headers=who.headers, files=files, data={"title": title}
    )
    if response.status_code == 409 and retried:  # the lost try had stored it
        object_id = await my_object_titled(recorder, who, title)
    else:
        assert response.status_code == 201, response.text
        object_id = int(response.json()["id"])
    ledger.uploads[title] = object_id
    return object_id


async def call_json(recorder: Recorder, method: str, path: str, who: Session,
                    body: dict[str, Any] | None = None) -> tuple[int, Any, bool]:
    response, retried = await recorder.answered(method, path, headers=who.headers, json=body)
    return response.status_code, response.json(), retried


async def propose(recorder: Recorder, a: Session, b: Session, give: int, take: int) -> Any:
    body = {"recipient_id": b.user_id, "give": [give], "take": [take], "message": ""}
    status, trade, retried = await call_json(recorder, "POST", "/api/trades", a, body)
    if status != 201 and retried:
        _, page, _ = await call_json(recorder, "GET", "/api/trades?box=outgoing", a)
        [trade] = [t for t in page["items"] if t["status"] == "pending"]
    else:
        assert status == 201, trade
    return trade


async def trade(recorder: Recorder, ledger: Ledger, a: Session, b: Session, give: int,
                take: int) -> None:
    """a offers one object for one of b's; b accepts exactly what was shown."""
    offered = await propose(recorder, a, b, give, take)
    ledger.trades.append(int(offered["id"]))
    path = f"/api/trades/{offered['id']}/accept"
    status, body, retried = await call_json(recorder, "POST", path, b,
                                            {"version": offered["version"]})
    if status != 200 and retried:
        _, body, _ = await call_json(recorder, "GET", f"/api/trades/{offered['id']}", b)
    assert body["status"] == "accepted", body


async def create_transfer(recorder: Recorder, owner: Session, object_id: int,
                          to: Session | None = None) -> Any:
    body: dict[str, Any] = {"object_id": object_id}
    if to is not None:
        body["to_user_id"] = to.user_id
    status, created, retried = await call_json(recorder, "POST", "/api/transfers", owner, body)
    if status == 409 and retried:  # the lost try made one: replace it to learn a token
        body["replace"] = True
        status, created, _ = await call_json(recorder, "POST", "/api/transfers", owner, body)
    assert status == 201, created
    return created


async def qr_transfer(recorder: Recorder, ledger: Ledger, owner: Session, receiver: Session,
                      object_id: int) -> None:
    """The owner shows a QR code; the receiver scans it and confirms."""
    created = await create_transfer(recorder, owner, object_id)
    ledger.transfers.append(int(created["id"]))
    status, body, retried = await call_json(recorder, "POST", "/api/transfers/claim", receiver,
                                            {"token": created["token"]})
    if status != 200 and retried:
        _, page, _ = await call_json(recorder, "GET", "/api/transfers?box=incoming", receiver)
        [body] = [t for t in page["items"] if t["id"] == created["id"]]
    assert body["status"] == "claimed", body


async def pressed_accept(control: SandboxControl, receiver: Session, payload: str) -> None:
    """The receiver presses Accept on the push, once it has arrived in the chat."""
    async with asyncio.timeout(PUSH_WAIT_S):
        while True:
            for event in await control.chat_messages(user_id=receiver.user_id):
                for row in event.get("keyboard") or []:
                    if any(b.get("payload") == payload for b in row):
                        await control.press_button(receiver.user_id, event["mid"], payload)
                        return
            await asyncio.sleep(0.2)


async def direct_transfer(recorder: Recorder, control: SandboxControl, ledger: Ledger,
                          owner: Session, receiver: Session, object_id: int) -> None:
    """The owner names the receiver; the receiver accepts with the push's button."""
    created = await create_transfer(recorder, owner, object_id, to=receiver)
    ledger.transfers.append(int(created["id"]))
    await pressed_accept(control, receiver, encode("ty", created["id"]))
