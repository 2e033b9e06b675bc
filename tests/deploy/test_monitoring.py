"""The monitoring profile: Prometheus scrapes exactly the replicas, Grafana is provisioned with the
dashboard, and every query on the dashboard names a family and labels the app really exports
(read from a running app's /metrics, not from a list kept by hand)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families

from storage import metrics
from tests.deploy.test_compose import ROOT, app_services, compose
from tests.webapp.helpers import ApiClient

DEPLOY = ROOT / "deploy"
PROMETHEUS = DEPLOY / "prometheus.yml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "gallery.json"
DATASOURCES = DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml"
PROVIDERS = DEPLOY / "grafana" / "provisioning" / "dashboards" / "gallery.yml"
MONITORING = {"prometheus", "grafana"}
_METRIC = re.compile(r"\bgallery_[a-z_]+\b")
_GROUPING = re.compile(r"\bby \(([^)]*)\)")
# added by Prometheus to every series, and the histogram's own bucket label
SCRAPE_LABELS = {"instance", "job", "le"}
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def load_yaml(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def expressions() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    exprs += [v["definition"] for v in dashboard["templating"]["list"]]
    return exprs


def test_monitoring_runs_only_in_its_profile() -> None:
    services = compose()["services"]
    profiled = {name for name, s in services.items() if "profiles" in s}
    assert profiled == MONITORING
    assert all(services[name]["profiles"] == ["monitoring"] for name in MONITORING)


def test_prometheus_scrapes_exactly_the_replicas_on_their_port() -> None:
    [job] = load_yaml(PROMETHEUS)["scrape_configs"]
    [static] = job["static_configs"]
    replicas = app_services(compose())
    assert sorted(static["targets"]) == sorted(
        f"{name}:{port}" for name, s in replicas.items() for port in s["expose"]
    )
    assert job["metrics_path"] == "/metrics"
    assert (
        job["authorization"]["credentials_file"]
        in compose()["services"]["prometheus"]["command"][0]
    )


def test_grafana_loads_the_dashboard_from_its_data_source() -> None:
    [source] = load_yaml(DATASOURCES)["datasources"]
    assert source["url"] == "http://prometheus:9090"
    [provider] = load_yaml(PROVIDERS)["providers"]
    mounts = compose()["services"]["grafana"]["volumes"]
    assert f"./deploy/grafana/dashboards:{provider['options']['path']}:ro" in mounts
    dashboard = json.loads(DASHBOARD.read_text())
    used = {t["datasource"]["uid"] for p in dashboard["panels"] for t in p.get("targets", [])}
    assert used == {source["uid"]}


async def test_every_query_names_families_and_labels_the_app_exports(client: ApiClient) -> None:
    response = await client.get("/metrics")
    assert response.status == 200
    families = list(text_string_to_metric_families(await response.text()))
    exported = {f.name + suffix for f in families for suffix in SUFFIXES.get(f.type, ())}
    exported = {name for name in exported if name.startswith("gallery_")}
    labels = {name for f in families for s in f.samples for name in s.labels} | SCRAPE_LABELS
    # a labelled family nobody has incremented yet has no samples to read its labels from
    labels |= {name for family in declared() for name in family._labelnames}
    named = {name for expr in expressions() for name in _METRIC.findall(expr)}
    grouped = {
        label.strip()
        for expr in expressions()
        for group in _GROUPING.findall(expr)
        for label in group.split(",")
    }
    assert named - exported == set()
    assert grouped - labels == set()
    # and the dashboard shows every family there is
    shown = {re.sub(r"_(total|bucket|count|sum)$", "", name) for name in named}
    assert shown == {f.name for f in families if f.name.startswith("gallery_")}


def declared() -> list[MetricWrapperBase]:
    return [v for v in vars(metrics).values() if isinstance(v, MetricWrapperBase)]


def test_promtool_accepts_the_prometheus_config() -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("`promtool` is not installed (Debian package prometheus)")
    result = subprocess.run(
        [promtool, "check", "config", "--syntax-only", str(PROMETHEUS)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
