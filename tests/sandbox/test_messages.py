import httpx

from sandbox.runner import RunningSandbox
from tests.sandbox.conftest import JsonDict
from tests.sandbox.schema import assert_valid

BOT_ID = 229229229


async def send(api: httpx.AsyncClient, user: JsonDict, body: JsonDict) -> JsonDict:
    response = await api.post("/messages", params={"user_id": user["user"]["user_id"]},
                              json=body)
    assert response.status_code == 200, response.text
    assert_valid("SendMessageResult", response.json())
    message: JsonDict = response.json()["message"]
    return message


async def test_sent_message_has_max_shape(api: httpx.AsyncClient, user: JsonDict) -> None:
    message = await send(api, user, {"text": "Hello", "format": "markdown"})
    assert message["sender"]["user_id"] == BOT_ID
    assert message["recipient"] == {"chat_id": user["chat_id"], "chat_type": "dialog",
                                    "user_id": user["user"]["user_id"]}
    body = message["body"]
    assert body["mid"].startswith("mid.")
    assert len(body["mid"]) == 36
    assert body["text"] == "Hello"
    assert body["attachments"] is None
    assert isinstance(body["seq"], int)


async def test_received_keyboard_carries_callback_id_and_intent(
    api: httpx.AsyncClient, user: JsonDict
) -> None:
    buttons = [[{"type": "callback", "text": "Like", "payload": "like"},
                {"type": "link", "text": "Site", "url": "https://example.com"}]]
    message = await send(api, user, {"text": "k", "attachments": [
        {"type": "inline_keyboard", "payload": {"buttons": buttons}}]})
    (keyboard,) = message["body"]["attachments"]
    assert keyboard["callback_id"]
    assert keyboard["payload"]["buttons"] == [[
        {"intent": "default", "type": "callback", "text": "Like", "payload": "like"},
        {"type": "link", "text": "Site", "url": "https://example.com"}]]


async def test_edit_keeps_attachments_on_null_and_removes_on_empty(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    keyboard = {"type": "inline_keyboard",
                "payload": {"buttons": [[{"type": "callback", "text": "A", "payload": "a"}]]}}
    mid = (await send(api, user, {"text": "v1", "attachments": [keyboard]}))["body"]["mid"]
    kept = await api.put("/messages", params={"message_id": mid},
                         json={"text": "v2", "attachments": None})
    assert kept.json() == {"success": True}
    assert_valid("SimpleQueryResult", kept.json())
    after_keep = (await api.get(f"/messages/{mid}")).json()
    assert_valid("Message", after_keep)
    assert after_keep["body"]["text"] == "v2"
    assert after_keep["body"]["attachments"][0]["type"] == "inline_keyboard"
    removed = await api.put("/messages", params={"message_id": mid},
                            json={"text": "v3", "attachments": []})
    assert removed.json() == {"success": True}
    assert (await api.get(f"/messages/{mid}")).json()["body"]["attachments"] is None
    log = await sandbox.control.chat_messages(user_id=user["user"]["user_id"])
    assert [(e["text"], e["keyboard"], e["edited_at"] is not None) for e in log] == [
        ("v3", None, True)]


async def test_delete_hides_the_message(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    mid = (await send(api, user, {"text": "bye"}))["body"]["mid"]
    deleted = await api.delete("/messages", params={"message_id": mid})
    assert deleted.json() == {"success": True}
    missing = await api.get(f"/messages/{mid}")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not.found", "message": f"Message {mid} not found"}
    log = await sandbox.control.chat_messages(chat_id=user["chat_id"])
    assert [(e["mid"], e["deleted"]) for e in log] == [(mid, True)]


async def test_list_messages_newest_first_with_count(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    first = (await send(api, user, {"text": "one"}))["body"]["mid"]
    await sandbox.control.send_text(user["user"]["user_id"], "from user")
    listed = await api.get("/messages", params={"chat_id": user["chat_id"], "count": 5})
    assert_valid("MessageList", listed.json())
    assert [m["body"]["text"] for m in listed.json()["messages"]] == ["from user", "one"]
    by_id = await api.get("/messages", params={"message_ids": first})
    assert [m["body"]["mid"] for m in by_id.json()["messages"]] == [first]


async def test_sending_to_a_user_who_stopped_the_bot_is_403(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    user_id = user["user"]["user_id"]
    await sandbox.control.block(user_id)
    refused = await api.post("/messages", params={"user_id": user_id}, json={"text": "hi"})
    assert refused.status_code == 403
    assert refused.json() == {"code": "chat.denied",
                              "message": f"User {user_id} has stopped the bot"}
    await sandbox.control.unblock(user_id)
    await send(api, user, {"text": "welcome back"})


async def test_answer_with_message_replaces_keyboard_message_and_shows_notification(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict,
    sandbox_callback: tuple[str, str],
) -> None:
    callback_id, mid = sandbox_callback
    answered = await api.post("/answers", params={"callback_id": callback_id},
                              json={"message": {"text": "Thanks!", "attachments": []},
                                    "notification": "Liked"})
    assert answered.json() == {"success": True}
    log = await sandbox.control.chat_messages(chat_id=user["chat_id"])
    assert [(e["kind"], e.get("mid"), e["text"]) for e in log] == [
        ("message", mid, "Thanks!"), ("notification", None, "Liked")]


async def test_answer_to_unknown_callback_is_404(api: httpx.AsyncClient) -> None:
    response = await api.post("/answers", params={"callback_id": "nope"},
                              json={"notification": "x"})
    assert response.status_code == 404
    assert response.json() == {"code": "not.found", "message": "Callback nope not found"}


async def test_callback_update_embeds_the_keyboard_message(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict,
    sandbox_callback: tuple[str, str],
) -> None:
    callback_id, mid = sandbox_callback
    polled = (await api.get("/updates", params={"timeout": 0})).json()
    assert_valid("UpdateList", polled)
    (update,) = polled["updates"]
    assert update["update_type"] == "message_callback"
    assert update["callback"]["callback_id"] == callback_id
    assert update["callback"]["payload"] == "like"
    assert update["callback"]["user"]["user_id"] == user["user"]["user_id"]
    assert update["message"]["body"]["mid"] == mid
    assert update["message"]["body"]["attachments"][0]["callback_id"] == callback_id


async def test_commands_are_stored_echoed_and_cleared(api: httpx.AsyncClient) -> None:
    commands = [{"name": "start", "description": "Begin"}, {"name": "help"}]
    stored = await api.patch("/me/commands", json={"commands": commands})
    assert stored.json() == {"commands": commands}
    assert_valid("BotCommandsInfo", stored.json())
    assert (await api.get("/me")).json()["commands"] == commands
    cleared = await api.patch("/me/commands", json={"commands": []})
    assert cleared.json() == {"commands": []}


async def test_chat_actions_are_recorded(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    response = await api.post(f"/chats/{user['chat_id']}/actions",
                              json={"action": "typing_on"})
    assert response.json() == {"success": True}
    stats = await sandbox.control.stats()
    assert [(a["chat_id"], a["action"]) for a in stats["chat_actions"]] == [
        (user["chat_id"], "typing_on")]


async def test_reply_link_embeds_the_original(api: httpx.AsyncClient, user: JsonDict) -> None:
    original = (await send(api, user, {"text": "first"}))["body"]["mid"]
    reply = await send(api, user, {"text": "second", "link": {"type": "reply", "mid": original}})
    assert reply["link"]["type"] == "reply"
    assert reply["link"]["message"]["mid"] == original
