"""Reading /metrics as Prometheus would: the text format parsed by prometheus_client itself."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from tests.webapp.helpers import ApiClient

# Every family the app exports (counters without their _total suffix, as the parser names them).
FAMILIES = {
    "gallery_http_requests": "counter",
    "gallery_http_request_duration_seconds": "histogram",
    "gallery_updates": "counter",
    "gallery_update_handler_seconds": "histogram",
    "gallery_update_lag_seconds": "histogram",
    "gallery_max_api_calls": "counter",
    "gallery_max_api_call_duration_seconds": "histogram",
    "gallery_outbox_pending": "gauge",
    "gallery_outbox_oldest_pending_age_seconds": "gauge",
    "gallery_outbox_dead": "gauge",
    "gallery_db_pool_size": "gauge",
    "gallery_db_pool_in_use": "gauge",
    "gallery_db_pool_waiting": "gauge",
    "gallery_image_pipeline_seconds": "histogram",
    "gallery_job_runs": "counter",
    "gallery_job_failures": "counter",
    "gallery_rate_limit_refusals": "counter",
}
Families = dict[str, tuple[str, list[Sample]]]


async def scrape(client: ApiClient, headers: dict[str, str] | None = None) -> Families:
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    text = await response.text()
    return {f.name: (f.type, f.samples) for f in text_string_to_metric_families(text)}


def total(families: Families, name: str, **labels: str) -> float:
    """The sum of a counter's samples, or a histogram's counts, matching `labels`."""
    kind, samples = families[name]
    suffix = {"counter": "_total", "histogram": "_count"}.get(kind, "")
    return sum(
        s.value for s in samples
        if s.name == name + suffix and all(s.labels.get(k) == v for k, v in labels.items())
    )  # fmt: skip


def label_values(families: Families, name: str, label: str) -> set[str]:
    return {s.labels[label] for s in families[name][1] if label in s.labels}


def gauge(families: Families, name: str) -> float:
    [sample] = families[name][1]
    return sample.value
