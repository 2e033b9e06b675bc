"""Every Prometheus family the service exports, in one registry, for `/metrics` to serve.

Here, at the lowest layer that counts something (the pool's waiters are counted in
`storage/db.py`), so every layer above may import it. Families are process-wide on purpose, as
prometheus_client intends: a scrape reads one replica, and the dashboard sums the replicas. The
gauges read from the database and the pool are set when `/metrics` is scraped
(`server/metrics.py`), never on a request's path.

Label values are kept few: a route is its template (`/api/objects/{object_id}`), never the raw
path; a MAX call is named by its verb and path without ids or query.
"""

from __future__ import annotations

from functools import cache

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)

# No `_created` series beside every counter and histogram: Prometheus ignores them in the text
# format, and they would double the series each replica exports.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)

_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_SLOW = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

# HTTP (webapp, the webhook, health, media): one request counted once, when its answer is known.
HTTP_REQUESTS = Counter(
    "gallery_http_requests", "HTTP requests answered, by route template and status",
    ["route", "method", "status"], registry=REGISTRY,
)  # fmt: skip
HTTP_SECONDS = Histogram(
    "gallery_http_request_duration_seconds", "Time to answer an HTTP request, by route template",
    ["route", "method"], buckets=_FAST, registry=REGISTRY,
)  # fmt: skip

# Chat updates from MAX (webhook or long polling).
UPDATES = Counter(
    "gallery_updates", "Chat updates received, by update type and outcome",
    ["type", "outcome"], registry=REGISTRY,
)  # fmt: skip
UPDATE_SECONDS = Histogram(
    "gallery_update_handler_seconds", "Time to handle one chat update, by update type",
    ["type"], buckets=_FAST, registry=REGISTRY,
)  # fmt: skip
UPDATE_LAG = Histogram(
    "gallery_update_lag_seconds", "From MAX's timestamp on an update to its handling starting",
    buckets=_SLOW, registry=REGISTRY,
)  # fmt: skip

# Calls to the MAX Bot API (pushes, replies, uploads); status "429" is MAX slowing us down,
# "network" a call that got no answer.
MAX_CALLS = Counter(
    "gallery_max_api_calls", "Calls to the MAX Bot API, by method and HTTP status",
    ["method", "status"], registry=REGISTRY,
)  # fmt: skip
MAX_CALL_SECONDS = Histogram(
    "gallery_max_api_call_duration_seconds", "Time of one call to the MAX Bot API, by method",
    ["method"], buckets=_FAST, registry=REGISTRY,
)  # fmt: skip

# The outbox, read from the database at scrape time (a short cache keeps scrapes cheap).
OUTBOX_PENDING = Gauge(
    "gallery_outbox_pending", "Pushes waiting to be sent", registry=REGISTRY,
)  # fmt: skip
OUTBOX_OLDEST_AGE = Gauge(
    "gallery_outbox_oldest_pending_age_seconds", "Age of the oldest push still waiting",
    registry=REGISTRY,
)  # fmt: skip
OUTBOX_DEAD = Gauge(
    "gallery_outbox_dead", "Pushes dead-lettered after their last attempt", registry=REGISTRY,
)  # fmt: skip

# This replica's connection pool, read at scrape time.
POOL_SIZE = Gauge("gallery_db_pool_size", "Connections open in the pool", registry=REGISTRY)
POOL_IN_USE = Gauge("gallery_db_pool_in_use", "Connections lent out", registry=REGISTRY)
POOL_WAITING = Gauge(
    "gallery_db_pool_waiting", "Tasks waiting for a connection", registry=REGISTRY,
)  # fmt: skip

# The image pipeline (decode, orient, derivatives, hashes), by outcome: "ok" or "refused".
IMAGE_SECONDS = Histogram(
    "gallery_image_pipeline_seconds", "Time to turn one uploaded image into its stored forms",
    ["outcome"], buckets=_SLOW, registry=REGISTRY,
)  # fmt: skip

# Scheduled jobs (server/jobs.py).
JOB_RUNS = Counter("gallery_job_runs", "Scheduled job runs", ["job"], registry=REGISTRY)
JOB_FAILURES = Counter(
    "gallery_job_failures", "Scheduled job runs that raised", ["job"], registry=REGISTRY,
)  # fmt: skip

# Abuse limits: one refusal (HTTP 429 or a chat refusal) counted under the rule that refused.
RATE_LIMIT_REFUSALS = Counter(
    "gallery_rate_limit_refusals", "Requests and updates refused by a rate limit, by rule",
    ["rule"], registry=REGISTRY,
)  # fmt: skip


@cache
def http_children(route: str, method: str, status: int) -> tuple[Counter, Histogram]:
    """The request counter and latency histogram for one label set, looked up once: `labels()`
    takes a lock and checks its arguments, too much for every request. Callers pass bounded
    values only (templates, known verbs), so the cache stays small."""
    return (
        HTTP_REQUESTS.labels(route, method, str(status)),
        HTTP_SECONDS.labels(route, method),
    )


@cache
def update_children(update_type: str, outcome: str) -> tuple[Counter, Histogram]:
    """As http_children, for chat updates: the types reaching it are the ones the app parses."""
    return UPDATES.labels(update_type, outcome), UPDATE_SECONDS.labels(update_type)


@cache
def max_call_children(method: str, status: str) -> tuple[Counter, Histogram]:
    return MAX_CALLS.labels(method, status), MAX_CALL_SECONDS.labels(method)
