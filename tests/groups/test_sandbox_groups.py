"""The sandbox's group chats, as MAX's schema describes them: the updates a bot receives, the
chats and members it can read, and a 403 once it is out."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from sandbox.runner import RunningSandbox
from tests.groups.helpers import BOT, JsonDict
from tests.sandbox.schema import assert_valid


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": sandbox.token}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as client:
        yield client


async def updates(api: httpx.AsyncClient) -> list[JsonDict]:
    body = (await api.get("/updates", params={"timeout": 0})).json()
    assert_valid("UpdateList", body)
    found: list[JsonDict] = body["updates"]
    await api.get("/updates", params={"timeout": 0, "marker": body["marker"]})
    return found


async def two_people(sandbox: RunningSandbox) -> tuple[int, int]:
    ann = await sandbox.control.create_user("Ann", username="ann")
    bob = await sandbox.control.create_user("Bob")
    return ann["user"]["user_id"], bob["user"]["user_id"]


async def test_the_bot_hears_a_group_only_while_it_is_in_it(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    ann, bob = await two_people(sandbox)
    created = await sandbox.control.create_group("Club", ann, [bob])
    chat_id = created["chat"]["chat_id"]
    assert chat_id < 0
    assert created["update"] is None
    await sandbox.control.send_group_text(chat_id, bob, "before the bot")
    assert await updates(api) == []

    await sandbox.control.add_bot(chat_id, ann)
    await sandbox.control.send_group_text(chat_id, bob, "hi @gallery_sandbox_bot and @ann")
    added, said = await updates(api)
    assert {k: added[k] for k in ("update_type", "chat_id", "is_channel")} == {
        "update_type": "bot_added", "chat_id": chat_id, "is_channel": False}  # fmt: skip
    assert added["user"]["user_id"] == ann
    assert "user_locale" not in added
    message = said["message"]
    assert message["recipient"] == {"chat_id": chat_id, "chat_type": "chat", "user_id": None}
    assert message["body"]["markup"] == [
        {"type": "user_mention", "from": 3, "length": len(BOT) + 1, "user_id": 229229229},
        {"type": "user_mention", "from": 28, "length": 4, "user_id": ann},
    ]
    assert "user_locale" not in said

    await sandbox.control.remove_bot(chat_id, ann)
    await sandbox.control.send_group_text(chat_id, bob, "after the bot")
    [removed] = await updates(api)
    assert (removed["update_type"], removed["chat_id"]) == ("bot_removed", chat_id)
    refused = await api.post("/messages", params={"chat_id": chat_id}, json={"text": "hi"})
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "chat.denied", "message": f"Bot is not a member of chat {chat_id}"}  # fmt: skip
    assert (await api.get(f"/chats/{chat_id}")).status_code == 403


async def test_members_come_and_go_with_updates(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    ann, bob = await two_people(sandbox)
    carl = (await sandbox.control.create_user("Carl"))["user"]["user_id"]
    chat_id = (await sandbox.control.create_group("Club", ann, [bob], with_bot=True))["chat"][
        "chat_id"
    ]
    await sandbox.control.add_member(chat_id, carl, inviter_id=ann)
    await sandbox.control.remove_member(chat_id, bob, admin_id=ann)
    await sandbox.control.remove_member(chat_id, carl)
    kinds = [(u["update_type"], u["user"]["user_id"], u.get("inviter_id"), u.get("admin_id"))
             for u in await updates(api)]  # fmt: skip
    assert kinds == [
        ("bot_added", ann, None, None),
        ("user_added", carl, ann, None),
        ("user_removed", bob, None, ann),
        ("user_removed", carl, None, None),
    ]


async def test_chats_and_members_read_as_max_describes_them(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    ann, bob = await two_people(sandbox)
    chat_id = (await sandbox.control.create_group("Club", ann, [bob], with_bot=True))["chat"][
        "chat_id"
    ]
    listed = (await api.get("/chats")).json()
    assert_valid("ChatList", listed)
    [chat] = listed["chats"]
    assert_valid("Chat", chat)
    assert (chat["chat_id"], chat["type"], chat["status"], chat["title"]) == (
        chat_id, "chat", "active", "Club")  # fmt: skip
    assert chat["participants_count"] == 3
    assert chat["owner_id"] == ann
    assert (await api.get(f"/chats/{chat_id}")).json() == chat | {
        "last_event_time": chat["last_event_time"]}  # fmt: skip
    members = (await api.get(f"/chats/{chat_id}/members")).json()
    assert_valid("ChatMembersList", members)
    summary = [(m["user_id"], m["is_owner"], m["is_admin"]) for m in members["members"]]
    assert summary == [(229229229, False, True), (ann, True, True), (bob, False, False)]
    only_bob = (await api.get(f"/chats/{chat_id}/members", params={"user_ids": str(bob)})).json()
    assert [m["user_id"] for m in only_bob["members"]] == [bob]


async def test_a_reply_and_the_bots_message_in_a_group(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    ann, bob = await two_people(sandbox)
    chat_id = (await sandbox.control.create_group("Club", ann, [bob], with_bot=True))["chat"][
        "chat_id"
    ]
    first = await sandbox.control.send_group_text(chat_id, ann, "look")
    await sandbox.control.send_group_text(chat_id, bob, "/add", reply_to=first["mid"])
    body = {"text": "noted", "link": {"type": "reply", "mid": first["mid"]}}
    sent = await api.post("/messages", params={"chat_id": chat_id}, json=body)
    assert sent.status_code == 200, sent.text
    message = sent.json()["message"]
    assert_valid("Message", message)
    assert message["recipient"] == {"chat_id": chat_id, "chat_type": "chat", "user_id": None}
    assert message["link"]["sender"]["user_id"] == ann
    reply = (await updates(api))[-1]["message"]
    assert reply["link"]["type"] == "reply"
    assert reply["link"]["message"]["text"] == "look"
    assert reply["link"]["sender"]["user_id"] == ann


async def test_bad_group_requests_are_refused_and_change_nothing(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    ann, bob = await two_people(sandbox)
    control, http = sandbox.control, sandbox.control.http
    assert (
        await http.post("/_sandbox/groups", json={"title": "X", "owner_id": 1})
    ).status_code == 400
    too_long = {"title": "x" * 201, "owner_id": ann}
    assert (await http.post("/_sandbox/groups", json=too_long)).status_code == 400
    chat_id = (await control.create_group("Club", ann))["chat"]["chat_id"]
    stranger = {"user_id": bob, "text": "hi"}
    path = f"/_sandbox/groups/{chat_id}"
    assert (await http.post(f"{path}/messages", json=stranger)).status_code == 400
    assert (await http.post(f"{path}/bot", json={"user_id": bob})).status_code == 400
    other = (await control.create_group("Other", ann))["chat"]["chat_id"]
    elsewhere = await control.send_group_text(other, ann, "there")
    wrong_reply = {"user_id": ann, "text": "x", "reply_to": elsewhere["mid"]}
    assert (await http.post(f"{path}/messages", json=wrong_reply)).status_code == 404
    assert (await http.get("/_sandbox/groups/-1")).status_code == 404
    assert (await api.get("/chats/-1")).status_code == 404
    assert (await control.group(chat_id))["members"][0]["user_id"] == ann
    assert len((await control.group(chat_id))["members"]) == 1
    assert await control.chat_messages(chat_id=chat_id) == []


async def test_a_message_button_in_a_group_says_its_text_there(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    ann, bob = await two_people(sandbox)
    chat_id = (await sandbox.control.create_group("Club", ann, [bob], with_bot=True))["chat"][
        "chat_id"
    ]
    keyboard = {"type": "inline_keyboard",
                "payload": {"buttons": [[{"type": "message", "text": "Count me in"}]]}}  # fmt: skip
    sent = await api.post("/messages", params={"chat_id": chat_id},
                          json={"text": "Who comes?", "attachments": [keyboard]})  # fmt: skip
    mid = sent.json()["message"]["body"]["mid"]
    await updates(api)
    await sandbox.control.press_group_button(chat_id, bob, mid, text="Count me in")
    [said] = await updates(api)
    assert said["message"]["sender"]["user_id"] == bob
    assert said["message"]["recipient"]["chat_id"] == chat_id
    assert said["message"]["body"]["text"] == "Count me in"
