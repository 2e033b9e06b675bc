"""/metrics: every family exported, and each one moving when the service does what it counts."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
from aiohttp import web

from sandbox.runner import RunningSandbox
from server.jobs import Job, run_job
from tests.bot.helpers import wait_for_bot_messages
from tests.metrics.scrape import FAMILIES, Families, gauge, label_values, scrape, total
from tests.photos.conftest import jpeg, post_photo
from tests.webapp.helpers import ApiClient, login

DEAD_PUSH = """
INSERT INTO outbox (chat_id, kind, body, status, attempts, last_error, created_at)
VALUES (42, 'answer', '{}', 'dead', 6, 'HTTP 503', now() - interval '1 hour')
"""
PENDING_PUSH = """
INSERT INTO outbox (chat_id, kind, body, next_attempt_at, created_at)
VALUES (43, 'answer', '{}', now() + interval '1 day', now() - interval '90 seconds')
"""


async def a_job_that_works(app: web.Application) -> int:
    return 0


async def a_job_that_fails(app: web.Application) -> int:
    raise OSError("the disk is gone")


async def test_every_family_is_exported_with_its_type(client: ApiClient) -> None:
    families = await scrape(client)
    assert {name: families[name][0] for name in FAMILIES} == FAMILIES


async def test_each_family_moves_when_the_service_works(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    before = await scrape(client)
    alice = await login(client, sandbox, first_name="Alice", language_code="en")
    status, _ = await post_photo(client, alice, jpeg())
    assert status == 201
    await sandbox.control.inject_fault("http", status=429, method="POST", path="/messages")
    await sandbox.control.start_bot(alice.user_id)
    await wait_for_bot_messages(sandbox.control, alice.user_id)
    await run_job(client.app, Job("metrics test ok", timedelta(seconds=1), a_job_that_works))
    await run_job(client.app, Job("metrics test fails", timedelta(seconds=1), a_job_that_fails))
    after = await scrape(client)

    def rose(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert rose("gallery_http_requests", route="/api/auth", method="POST", status="200") == 1
    assert rose("gallery_http_requests", route="/api/photos", method="POST", status="201") == 1
    assert rose("gallery_http_request_duration_seconds", route="/api/photos") == 1
    assert rose("gallery_updates", type="bot_started", outcome="handled") == 1
    assert rose("gallery_update_handler_seconds", type="bot_started") == 1
    assert rose("gallery_update_lag_seconds") == 1
    assert rose("gallery_max_api_calls", method="POST /messages", status="429") == 1
    assert rose("gallery_max_api_calls", method="POST /messages", status="200") >= 1
    assert rose("gallery_max_api_call_duration_seconds", method="POST /messages") >= 2
    assert rose("gallery_image_pipeline_seconds", outcome="ok") == 1
    assert rose("gallery_job_runs", job="metrics test ok") == 1
    assert rose("gallery_job_runs", job="metrics test fails") == 1
    assert rose("gallery_job_failures", job="metrics test fails") == 1
    assert rose("gallery_job_failures", job="metrics test ok") == 0


async def test_routes_are_labelled_by_template_never_by_raw_path(client: ApiClient) -> None:
    for path in ("/api/objects/12345", "/api/objects/67890", "/no/such/page/31337"):
        await client.get(path)
    families = await scrape(client)
    routes = label_values(families, "gallery_http_requests", "route")
    assert "/api/objects/{object_id}" in routes
    assert "unmatched" in routes
    assert not [route for route in routes if any(n in route for n in ("12345", "31337"))]
    assert total(families, "gallery_http_requests", route="/metrics", status="200") >= 1


async def test_outbox_depth_age_and_dead_letters_are_read_from_the_database(
    client: ApiClient, db: asyncpg.Connection
) -> None:
    await db.execute(DEAD_PUSH)
    await db.execute(DEAD_PUSH)
    await db.execute(PENDING_PUSH)
    families = await scrape(client)
    assert gauge(families, "gallery_outbox_dead") == 2
    assert gauge(families, "gallery_outbox_pending") == 1
    assert 90 <= gauge(families, "gallery_outbox_oldest_pending_age_seconds") < 120


async def test_the_pool_is_measured_as_the_scrape_finds_it(client: ApiClient) -> None:
    families: Families = await scrape(client)
    assert gauge(families, "gallery_db_pool_size") >= 1
    assert 0 <= gauge(families, "gallery_db_pool_in_use") <= gauge(families, "gallery_db_pool_size")
    assert gauge(families, "gallery_db_pool_waiting") == 0
