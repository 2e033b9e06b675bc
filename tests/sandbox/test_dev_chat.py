import httpx

from sandbox.runner import RunningSandbox


async def test_developer_chat_page_and_script_are_served(sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
        page = await client.get("/_sandbox/")
        script = await client.get("/_sandbox/static/chat.js")
    assert page.status_code == 200
    assert "/_sandbox/static/chat.js" in page.text
    assert script.status_code == 200
    assert "function refreshLog" in script.text


async def test_control_users_listing(sandbox: RunningSandbox) -> None:
    created = await sandbox.control.create_user("Ivan", user_id=555, language_code="en")
    assert created["user"]["user_id"] == 555
    assert created["chat_id"] > 0
    assert created["chat_id"] != 555
    async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
        listed = (await client.get("/_sandbox/users")).json()
    assert listed == {"users": [{"user": created["user"], "chat_id": created["chat_id"],
                                 "blocked": False}]}
