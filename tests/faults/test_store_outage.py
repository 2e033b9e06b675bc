"""The object store stopped during uploads (issue 14): SeaweedFS stopped while people upload in
the mini-app and send photos in the chat, then started again on the same data and ports.

While it is away an upload is refused at once with a JSON 503 `media_unavailable` and the chat
apologises and asks to try again; browsing (database only) goes on; /ready says media false.
A refused upload leaves no row, and once the store is back the orphan sweep leaves no object
without its photo. Uploads succeed again without a restart of the app."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest

from gallery.photos.sweep import sweep_orphans
from sandbox.runner import RunningSandbox
from server.health import MEDIA_CHECK_CACHE_S
from tests.faults.app import base_url, errors_logged, running_app
from tests.faults.integrity import (
    bot_texts,
    deliveries_settled,
    half_written,
    outbox_drained,
    titles,
)
from tests.faults.load import CLIENT_TIMEOUT_S, Load, during, new_session, poll_ready, read, upload
from tests.faults.load import send_chat_photos as chat
from tests.faults.outage import Timeline, broken, figures, not_refused_cleanly, phase, run_outage
from tests.faults.seaweed import RestartableSeaweed, media_store

pytestmark = pytest.mark.s3

# once the store is gone; while it stops (weed holds connections open, unanswered, until its
# SIGKILL) or starts (writes wait for its volume server) a call may take longer, never forever
ANSWER_WITHIN_S = 2.5
RECOVERED_WITHIN_S = 10.0  # from the store taking writes again to each kind succeeding
DOWN_READY = {"database": True, "migrations": True, "media": False}
CARD = "is now your art object."
# the refusal names the store and asks to send again; never the error handler's apology
APOLOGY = "Photo not added: photos cannot be stored right now, please send it again in a minute."


async def test_the_store_stopped_during_uploads(
    seaweed_server: RestartableSeaweed, private_database: str, sandbox: RunningSandbox,
    tmp_path: Path,
) -> None:  # fmt: skip
    media = seaweed_server.server.environment()
    async with running_app(tmp_path / "app", private_database, sandbox, media) as app:
        async with httpx.AsyncClient(base_url=base_url(app), timeout=CLIENT_TIMEOUT_S) as http:
            load = Load(http, sandbox.control)
            ann, bob, dan = [await new_session(load, name) for name in ("ann", "bob", "dan")]
            workers = [read(load, ann), upload(load, ann), upload(load, bob), chat(load, dan),
                       poll_ready(load)]  # fmt: skip
            timeline = await run_outage(load, workers, seaweed_server.stop, seaweed_server.restart)
        print("\nSeaweedFS stopped and started again:")  # noqa: T201
        print(json.dumps(figures(load, timeline, ("upload", "ready")), indent=1))  # noqa: T201
        assert app.alive
        check_answers(load, timeline)
        deliveries = await deliveries_settled(sandbox.control, timeout_s=30.0)
        assert {d["status"] for d in deliveries} == {200}, "refused in the chat, not to MAX"
        await check_whole(load, seaweed_server, private_database)
        await check_chat(load, sandbox, private_database, dan.user_id)
        errors = dict(errors_logged(app))
        print("app ERROR lines:", errors)  # noqa: T201
        assert not [line for line in errors if "handler failed" in line], errors


def check_answers(load: Load, timeline: Timeline) -> None:
    reads, uploads = load.of("read"), load.of("upload")
    assert broken(reads + uploads) == [], "no 500s, no hangs"
    slowest = max(reads + uploads, key=lambda o: o.seconds)
    print(f"slowest call: {slowest.seconds:.3f} s, {slowest.kind} {slowest.status}, "  # noqa: T201
          f"started while {phase(slowest, timeline)}")  # fmt: skip
    assert {o.status for o in reads} == {200}, "browsing needs the database only"
    refused = during(uploads, timeline.down, timeline.restore_called)
    assert len(refused) >= 5
    assert max(o.seconds for o in refused) < ANSWER_WITHIN_S
    assert not_refused_cleanly(refused) == []
    assert {o.body["error"] for o in refused} == {"media_unavailable"}
    settled = timeline.down + MEDIA_CHECK_CACHE_S  # /ready may answer from its cache until then
    ready_down = during(load.of("ready"), settled, timeline.restore_called)
    assert ready_down
    assert {(o.status, json.dumps(o.body["checks"])) for o in ready_down} == {
        (503, json.dumps(DOWN_READY))
    }
    for kind in ("upload", "ready"):
        recovery = figures(load, timeline, (kind,))[kind]["first success after the restore (s)"]
        assert recovery is not None, kind
        assert recovery < RECOVERED_WITHIN_S, (kind, recovery)


async def check_whole(load: Load, seaweed: RestartableSeaweed, database: str) -> None:
    """Refused uploads left no row; what their clean-up could not delete while the store was
    away, the orphan sweep removes; then every photo has its objects and nothing else is there."""
    store = media_store(seaweed.server)
    pool = await asyncpg.create_pool(database, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            outbox = await outbox_drained(conn, timeout_s=30.0)
            swept = await sweep_orphans(pool, store, grace=timedelta(0))
            found = await half_written(conn, store)
            taken = await titles(conn)
    finally:
        await pool.close()
    stored = {t for t, o in load.uploads.items() if o.status == 201}
    refused = {t for t, o in load.uploads.items() if o.status == 503}
    print(f"uploads: {len(stored)} stored, {len(refused)} refused; outbox {outbox}; "  # noqa: T201
          f"{len(swept)} stray objects swept after the restart")  # fmt: skip
    assert set(outbox) <= {"sent"}, "nothing pending or dead"
    assert all(not keys for keys in found.values()), found
    assert {t: taken[t] for t in stored} == dict.fromkeys(stored, 1)
    assert {t: taken[t] for t in refused} == dict.fromkeys(refused, 0)


async def check_chat(load: Load, sandbox: RunningSandbox, database: str, dan_id: int) -> None:
    """Each photo sent in the chat became one object with its card, or was refused with an
    apology that asks to try again, and left no object."""
    conn = await asyncpg.connect(database)
    try:
        taken = await titles(conn)
    finally:
        await conn.close()
    texts = bot_texts(await sandbox.control.chat_messages(user_id=dan_id))
    cards = sorted(text for text in texts if text.endswith(CARD))
    apologies = [text for text in texts if text == APOLOGY]
    became = sorted(t for t in load.chat_titles if taken[t])
    print(f"chat: {len(load.chat_titles)} photos sent, {len(became)} taken, "  # noqa: T201
          f"{len(apologies)} refused with an apology")  # fmt: skip
    assert all(taken[t] == 1 for t in became)
    assert cards == sorted(f"«{t}» {CARD}" for t in became)
    assert apologies
    assert len(became) + len(apologies) == len(load.chat_titles)
