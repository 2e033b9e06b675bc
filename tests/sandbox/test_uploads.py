import httpx

from sandbox.runner import RunningSandbox
from tests.sandbox.conftest import JsonDict
from tests.sandbox.schema import assert_valid

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"


async def upload(api: httpx.AsyncClient, kind: str, data: bytes, name: str) -> tuple[JsonDict,
                                                                                  httpx.Response]:
    endpoint = await api.post("/uploads", params={"type": kind})
    assert endpoint.status_code == 200
    assert_valid("UploadEndpoint", endpoint.json())
    # Clients post to the upload host without the Authorization header (docs/max-platform.md).
    async with httpx.AsyncClient() as plain:
        uploaded = await plain.post(endpoint.json()["url"], files={"data": (name, data)})
    assert uploaded.status_code == 200
    return endpoint.json(), uploaded


async def test_image_upload_then_send(api: httpx.AsyncClient, user: JsonDict) -> None:
    _, uploaded = await upload(api, "image", JPEG, "cat.jpg")
    assert_valid("PhotoTokens", uploaded.json())
    ((photo_id, token),) = [(k, v["token"]) for k, v in uploaded.json()["photos"].items()]
    sent = await api.post("/messages", params={"chat_id": user["chat_id"]}, json={
        "text": "a cat", "attachments": [{"type": "image", "payload": {"token": token}}]})
    assert_valid("SendMessageResult", sent.json())
    (image,) = sent.json()["message"]["body"]["attachments"]
    assert image["type"] == "image"
    assert (str(image["payload"]["photo_id"]), image["payload"]["token"]) == (photo_id, token)
    media = await api.get(image["payload"]["url"])
    assert media.content == JPEG
    assert media.headers["Content-Type"] == "image/jpeg"
    assert media.headers["Content-Length"] == str(len(JPEG))


async def test_upload_url_is_single_use(api: httpx.AsyncClient) -> None:
    endpoint, _ = await upload(api, "image", JPEG, "a.jpg")
    async with httpx.AsyncClient() as plain:
        again = await plain.post(endpoint["url"], files={"data": ("a.jpg", JPEG)})
    assert again.status_code == 404


async def test_file_and_video_upload_answers(api: httpx.AsyncClient, user: JsonDict) -> None:
    _, file_answer = await upload(api, "file", b"%PDF-1.4", "doc.pdf")
    assert_valid("FileUploadResult", file_answer.json())
    endpoint, video_answer = await upload(api, "video", b"\x00\x00\x00\x18ftypmp42", "v.mp4")
    assert video_answer.text == "<retval>1</retval>"
    assert "token" in endpoint
    sent = await api.post("/messages", params={"chat_id": user["chat_id"]}, json={
        "attachments": [{"type": "file", "payload": {"token": file_answer.json()["token"]}}]})
    assert_valid("SendMessageResult", sent.json())
    (attached,) = sent.json()["message"]["body"]["attachments"]
    assert (attached["filename"], attached["size"]) == ("doc.pdf", 8)


async def test_file_token_is_not_a_photo_token(api: httpx.AsyncClient, user: JsonDict) -> None:
    _, file_answer = await upload(api, "file", b"data", "x.bin")
    token = file_answer.json()["token"]
    sent = await api.post("/messages", params={"chat_id": user["chat_id"]}, json={
        "attachments": [{"type": "image", "payload": {"token": token}}]})
    assert sent.status_code == 400
    assert sent.json() == {"code": "proto.payload",
                           "message": f"Invalid photo token provided: {token}"}


async def test_attachment_not_ready_on_first_send_then_accepted(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await sandbox.control.inject_fault("attachment_not_ready", count=1)
    _, uploaded = await upload(api, "image", JPEG, "a.jpg")
    token = next(iter(uploaded.json()["photos"].values()))["token"]
    body = {"attachments": [{"type": "image", "payload": {"token": token}}]}
    first = await api.post("/messages", params={"chat_id": user["chat_id"]}, json=body)
    assert first.status_code == 400
    assert first.json() == {"code": "attachment.not.ready",
                            "message": "Key: errors.process.attachment.file.not.processed"}
    second = await api.post("/messages", params={"chat_id": user["chat_id"]}, json=body)
    assert second.status_code == 200
    assert_valid("SendMessageResult", second.json())


async def test_user_photos_arrive_as_image_attachments_served_with_or_without_auth(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    sent = await sandbox.control.send_photos(user["user"]["user_id"], [JPEG, JPEG + b"2"],
                                             caption="my photos")
    update = sent["update"]
    assert_valid("Update", update)
    assert update["message"]["body"]["text"] == "my photos"
    urls = [a["payload"]["url"] for a in update["message"]["body"]["attachments"]]
    assert len(urls) == 2
    with_auth = await api.get(urls[1])
    async with httpx.AsyncClient() as plain:
        without_auth = await plain.get(urls[1])
    assert with_auth.content == without_auth.content == JPEG + b"2"
    polled = (await api.get("/updates", params={"timeout": 0})).json()
    assert polled["updates"] == [update]
