"""Sending, editing, deleting, reading messages and answering button presses, over real HTTP."""

import pytest

from bot import keyboards
from bot.client import MaxClient
from bot.errors import MaxBadRequest, MaxNotFound
from bot.types import (
    CallbackButton,
    InlineKeyboardAttachment,
    MarkupElement,
    MessageCallbackUpdate,
    NewMessageBody,
    NewMessageLink,
    Recipient,
)
from sandbox.runner import RunningSandbox
from tests.client.conftest import SandboxUser, poll_one

BOT_ID = 229229229


async def test_send_to_user_returns_the_message_as_sent(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    sent = await max_client.send_message(
        user_id=user.user_id, text="**Hello**", format="markdown", notify=False
    )

    assert sent.sender is not None
    assert (sent.sender.user_id, sent.sender.is_bot) == (BOT_ID, True)
    assert sent.recipient == Recipient(
        chat_id=user.chat_id, chat_type="dialog", user_id=user.user_id
    )
    # MAX answers with the text as shown and the formatting as markup (docs/max-platform.md)
    assert sent.text == "Hello"
    assert sent.body is not None
    assert sent.body.markup == [MarkupElement(type="strong", from_=0, length=5)]
    assert sent.mid is not None
    assert sent.mid.startswith("mid.")
    [event] = await sandbox.control.chat_messages(user_id=user.user_id)
    assert (event["from"], event["mid"], event["format"]) == ("bot", sent.mid, "markdown")


async def test_send_to_chat_id_with_a_keyboard_and_a_reply_link(
    max_client: MaxClient, user: SandboxUser
) -> None:
    first = await max_client.send_message(chat_id=user.chat_id, text="pick one")
    assert first.mid is not None
    keyboard = keyboards.inline_keyboard([[keyboards.callback("Like", "like:7")]])

    second = await max_client.send_message(
        chat_id=user.chat_id,
        text="with buttons",
        keyboard=keyboard,
        link=NewMessageLink(type="reply", mid=first.mid),
    )

    assert second.body is not None
    received = second.body.keyboard
    assert isinstance(received, InlineKeyboardAttachment)
    # MAX adds the deprecated intent="default" to received buttons.
    assert received.payload.buttons == [
        [CallbackButton(text="Like", payload="like:7", intent="default")]
    ]
    assert second.link is not None
    assert (second.link.type, second.link.message.mid) == ("reply", first.mid)


async def test_recipient_must_be_exactly_one_of_user_and_chat(max_client: MaxClient) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        await max_client.send_message(text="to nobody")


async def test_edit_replaces_text_and_drops_the_keyboard(
    max_client: MaxClient, user: SandboxUser
) -> None:
    keyboard = keyboards.inline_keyboard([[keyboards.callback("Go", "go")]])
    sent = await max_client.send_message(user_id=user.user_id, text="v1", keyboard=keyboard)
    assert sent.mid is not None

    await max_client.edit_message(sent.mid, text="v2", attachments=[])

    edited = await max_client.get_message(sent.mid)
    assert (edited.text, edited.attachments) == ("v2", [])


async def test_edit_without_attachments_keeps_them(
    max_client: MaxClient, user: SandboxUser
) -> None:
    keyboard = keyboards.inline_keyboard([[keyboards.callback("Go", "go")]])
    sent = await max_client.send_message(user_id=user.user_id, text="v1", keyboard=keyboard)
    assert sent.mid is not None

    await max_client.edit_message(sent.mid, text="v2")

    edited = await max_client.get_message(sent.mid)
    assert edited.text == "v2"
    assert edited.body is not None
    assert edited.body.keyboard is not None


async def test_deleted_message_is_gone(max_client: MaxClient, user: SandboxUser) -> None:
    sent = await max_client.send_message(user_id=user.user_id, text="soon gone")
    assert sent.mid is not None

    await max_client.delete_message(sent.mid)

    with pytest.raises(MaxNotFound):
        await max_client.get_message(sent.mid)


async def test_get_messages_by_chat_newest_first_and_by_ids(
    max_client: MaxClient, user: SandboxUser
) -> None:
    first = await max_client.send_message(user_id=user.user_id, text="first")
    second = await max_client.send_message(user_id=user.user_id, text="second")
    assert first.mid is not None
    assert second.mid is not None

    in_chat = await max_client.get_messages(chat_id=user.chat_id, count=10)
    by_ids = await max_client.get_messages(message_ids=[first.mid])

    assert [m.mid for m in in_chat] == [second.mid, first.mid]
    assert [m.text for m in by_ids] == ["first"]


async def test_send_action_is_recorded(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    await max_client.send_action(user.chat_id, "typing_on")

    stats = await sandbox.control.stats()
    assert [(a["chat_id"], a["action"]) for a in stats["chat_actions"]] == [
        (user.chat_id, "typing_on")
    ]


async def test_answer_callback_after_a_press_toasts_and_replaces_the_message(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    keyboard = keyboards.inline_keyboard([[keyboards.callback("Like", "like:7")]])
    sent = await max_client.send_message(user_id=user.user_id, text="art", keyboard=keyboard)
    assert sent.mid is not None
    await sandbox.control.press_button(user.user_id, sent.mid, "like:7")
    update, _ = await poll_one(max_client)
    assert isinstance(update, MessageCallbackUpdate)
    assert (update.callback.payload, update.callback.user.user_id) == ("like:7", user.user_id)

    await max_client.answer_callback(
        update.callback.callback_id, notification="Liked", message=NewMessageBody(text="art ♥")
    )

    events = await sandbox.control.chat_messages(user_id=user.user_id)
    assert [(e["kind"], e["text"]) for e in events] == [
        ("message", "art ♥"),
        ("notification", "Liked"),
    ]


async def test_answer_callback_with_nothing_is_bad_request(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    keyboard = keyboards.inline_keyboard([[keyboards.callback("Like", "like:7")]])
    sent = await max_client.send_message(user_id=user.user_id, text="art", keyboard=keyboard)
    assert sent.mid is not None
    pressed = await sandbox.control.press_button(user.user_id, sent.mid, "like:7")

    with pytest.raises(MaxBadRequest) as caught:
        await max_client.answer_callback(pressed["callback_id"])

    assert caught.value.code == "proto.payload"
    assert caught.value.message == "Invalid request. `message` or `notification` required"
