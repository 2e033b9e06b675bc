"""Image upload (three steps), the attachment.not.ready retry, and capped downloads."""

import pytest

from bot.client import MaxClient
from bot.errors import AttachmentNotReady, MaxNotFound, MediaTooLarge
from bot.types import ImageAttachment, ImageAttachmentRequest, MessageCreatedUpdate
from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox, run_sandbox
from tests.client.conftest import FAST_RETRY, SandboxUser, poll_one

PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


async def send_statuses(sandbox: RunningSandbox) -> list[int]:
    log = await sandbox.control.requests_log()
    return [e["status"] for e in log if (e["method"], e["path"]) == ("POST", "/messages")]


async def test_uploaded_image_is_sent_and_served_back_unchanged(
    max_client: MaxClient, user: SandboxUser
) -> None:
    attachment = await max_client.upload_image(PICTURE, "art.png")

    sent = await max_client.send_message(user_id=user.user_id, attachments=[attachment])

    assert isinstance(attachment, ImageAttachmentRequest)
    assert attachment.payload.token
    [image] = sent.attachments
    assert isinstance(image, ImageAttachment)
    assert image.payload.token == attachment.payload.token
    assert await max_client.download(image.payload.url, max_bytes=len(PICTURE)) == PICTURE


async def test_send_right_after_upload_is_retried_once_on_attachment_not_ready(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    attachment = await max_client.upload_image(PICTURE, "art.png")
    await sandbox.control.inject_fault("attachment_not_ready", count=1)

    sent = await max_client.send_message(user_id=user.user_id, text="new", attachments=[attachment])

    assert sent.text == "new"
    assert await send_statuses(sandbox) == [400, 200]
    assert len(await sandbox.control.chat_messages(user_id=user.user_id)) == 1


async def test_attachment_never_ready_gives_up_after_the_configured_waits() -> None:
    # Test waits are milliseconds, so lift the 2 sends/s chat limit the real waits respect.
    config = SandboxConfig(token="t", rate_per_chat=100)
    async with (
        run_sandbox(config, host="127.0.0.1", port=0) as sandbox,
        MaxClient(sandbox.token, base_url=sandbox.base_url, retry=FAST_RETRY) as client,
    ):
        created = await sandbox.control.create_user("Oleg")
        user_id = created["user"]["user_id"]
        attachment = await client.upload_image(PICTURE, "art.png")
        await sandbox.control.inject_fault("attachment_not_ready", count=50)

        with pytest.raises(AttachmentNotReady) as caught:
            await client.send_message(user_id=user_id, attachments=[attachment])

        assert caught.value.code == "attachment.not.ready"
        attempts = len(FAST_RETRY.attachment_not_ready_delays) + 1
        assert await send_statuses(sandbox) == [400] * attempts
        assert await sandbox.control.chat_messages(user_id=user_id) == []


async def received_photo_url(sandbox: RunningSandbox, client: MaxClient, user: SandboxUser) -> str:
    await sandbox.control.send_photos(user.user_id, [PICTURE], caption="mine")
    update, _ = await poll_one(client)
    assert isinstance(update, MessageCreatedUpdate)
    [photo] = update.message.attachments
    assert isinstance(photo, ImageAttachment)
    return photo.payload.url


async def test_user_photo_downloads_within_the_limit(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    url = await received_photo_url(sandbox, max_client, user)

    assert await max_client.download(url, max_bytes=len(PICTURE)) == PICTURE


async def test_user_photo_over_the_limit_is_refused_by_its_declared_size(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    url = await received_photo_url(sandbox, max_client, user)

    with pytest.raises(MediaTooLarge) as caught:
        await max_client.download(url, max_bytes=len(PICTURE) - 1)

    assert (caught.value.limit, caught.value.size) == (len(PICTURE) - 1, len(PICTURE))


async def test_missing_media_is_not_found(sandbox: RunningSandbox, max_client: MaxClient) -> None:
    with pytest.raises(MaxNotFound):
        await max_client.download(f"{sandbox.base_url}/_media/nothing-here", max_bytes=1000)
