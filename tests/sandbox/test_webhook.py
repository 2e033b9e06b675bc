import httpx

from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox, run_sandbox
from tests.sandbox.conftest import JsonDict, WebhookReceiver, eventually
from tests.sandbox.schema import assert_valid


async def subscribe(api: httpx.AsyncClient, body: JsonDict) -> None:
    response = await api.post("/subscriptions", json=body)
    assert response.json() == {"success": True}
    assert_valid("SimpleQueryResult", response.json())


async def test_subscription_is_listed_and_removed(api: httpx.AsyncClient) -> None:
    await subscribe(api, {"url": "https://bot.example/hook", "update_types": ["bot_started"]})
    listed = (await api.get("/subscriptions")).json()
    assert_valid("GetSubscriptionsResult", listed)
    (sub,) = listed["subscriptions"]
    assert (sub["url"], sub["update_types"]) == ("https://bot.example/hook", ["bot_started"])
    assert isinstance(sub["time"], int)
    missing = await api.delete("/subscriptions", params={"url": "https://other.example/"})
    assert missing.json() == {"success": False,
                              "message": "No subscription for url https://other.example/"}
    removed = await api.delete("/subscriptions", params={"url": "https://bot.example/hook"})
    assert removed.json() == {"success": True}
    assert (await api.get("/subscriptions")).json() == {"subscriptions": []}


async def test_delivery_carries_update_json_and_secret_header(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict, receiver: WebhookReceiver
) -> None:
    await subscribe(api, {"url": receiver.url, "secret": "s3cret_value"})
    await sandbox.control.send_text(user["user"]["user_id"], "hello hook")
    await receiver.wait_for(1)
    ((headers, update),) = receiver.received
    assert headers["X-Max-Bot-Api-Secret"] == "s3cret_value"
    assert headers["Content-Type"].startswith("application/json")
    assert_valid("Update", update)
    assert update["message"]["body"]["text"] == "hello hook"


async def test_no_secret_header_without_secret(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict, receiver: WebhookReceiver
) -> None:
    await subscribe(api, {"url": receiver.url})
    await sandbox.control.start_bot(user["user"]["user_id"])
    await receiver.wait_for(1)
    ((headers, update),) = receiver.received
    assert "X-Max-Bot-Api-Secret" not in headers
    assert_valid("Update", update)


async def test_failed_delivery_is_retried_in_order(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict, receiver: WebhookReceiver
) -> None:
    receiver.statuses = [500, 403]
    await subscribe(api, {"url": receiver.url})
    user_id = user["user"]["user_id"]
    await sandbox.control.send_text(user_id, "first")
    await sandbox.control.send_text(user_id, "second")
    await receiver.wait_for(4)
    texts = [u["message"]["body"]["text"] for _, u in receiver.received]
    assert texts == ["first", "first", "first", "second"]
    deliveries = await sandbox.control.webhook_deliveries()
    assert [(d["attempt"], d["status"]) for d in deliveries] == [(0, 500), (1, 403), (2, 200),
                                                                (0, 200)]


async def test_unreachable_webhook_gives_up_after_max_retries(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await subscribe(api, {"url": "http://127.0.0.1:9/hook"})
    await sandbox.control.send_text(user["user"]["user_id"], "lost")

    async def four_attempts() -> bool:
        return len(await sandbox.control.webhook_deliveries()) >= 4

    await eventually(four_attempts)
    deliveries = await sandbox.control.webhook_deliveries()
    assert [d["attempt"] for d in deliveries] == [0, 1, 2, 3]
    assert all(d["status"] is None and d["error"] for d in deliveries)


async def test_duplicate_delivery_fault(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict, receiver: WebhookReceiver
) -> None:
    await sandbox.control.inject_fault("webhook_duplicates", count=2)
    await subscribe(api, {"url": receiver.url})
    await sandbox.control.send_text(user["user"]["user_id"], "twice")
    await receiver.wait_for(3)
    assert [u for _, u in receiver.received] == [receiver.received[0][1]] * 3


async def test_update_types_filter_on_subscription(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict, receiver: WebhookReceiver
) -> None:
    await subscribe(api, {"url": receiver.url, "update_types": ["bot_started"]})
    user_id = user["user"]["user_id"]
    await sandbox.control.send_text(user_id, "ignored")
    await sandbox.control.start_bot(user_id, "go")
    await receiver.wait_for(1)
    assert [u["update_type"] for _, u in receiver.received] == ["bot_started"]


async def test_unsubscribed_after_failing_for_too_long(receiver: WebhookReceiver) -> None:
    config = SandboxConfig(retry_base_s=0.02, retry_factor=1.0, max_retries=50,
                           unsubscribe_after_s=0.1)
    async with run_sandbox(config) as sandbox, httpx.AsyncClient(
        base_url=sandbox.base_url, headers={"Authorization": sandbox.token}
    ) as client:
        receiver.statuses = [500] * 100
        await subscribe(client, {"url": receiver.url})
        created = await sandbox.control.create_user("Bob")
        await sandbox.control.send_text(created["user"]["user_id"], "x")

        async def unsubscribed() -> bool:
            return not (await client.get("/subscriptions")).json()["subscriptions"]

        await eventually(unsubscribed)
        deliveries = await sandbox.control.webhook_deliveries()
        assert deliveries[-1]["error"] == "unsubscribed after failures"
