"""/metrics is not public: a stranger's address is refused unless it brings the bearer token,
and the refusal says nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from config.loading import SettingsError, load_settings
from config.settings import Settings
from config.telemetry import MetricsSettings
from tests.metrics.scrape import FAMILIES, scrape
from tests.webapp.helpers import ApiClient

TOKEN = "metrics-token-for-tests"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test client connects from 127.0.0.1, which these networks leave out."""
    metrics = MetricsSettings(allow_networks=("10.20.0.0/16", "fd00::/8"), token=SecretStr(TOKEN))
    return settings.model_copy(update={"metrics": metrics})


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong", f"Bearer {TOKEN}x", TOKEN, f"bearer  {TOKEN}"],
)
async def test_a_stranger_is_refused_without_a_word(
    client: ApiClient, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = await client.get("/metrics", headers=headers)
    assert response.status == 403
    assert await response.read() == b""
    assert "WWW-Authenticate" not in response.headers


async def test_forwarded_headers_do_not_make_a_stranger_local(client: ApiClient) -> None:
    response = await client.get(
        "/metrics", headers={"X-Forwarded-For": "10.20.0.5", "X-Real-IP": "10.20.0.5",
                             "Forwarded": "for=10.20.0.5"},
    )  # fmt: skip
    assert response.status == 403


async def test_the_bearer_token_opens_it_from_anywhere(client: ApiClient) -> None:
    families = await scrape(client, headers={"Authorization": f"Bearer {TOKEN}"})
    assert set(FAMILIES) <= set(families)


# A peer in allow_networks needs no token: tests/metrics/test_metrics.py scrapes from 127.0.0.1
# under the default networks.


def test_the_token_is_refused_in_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[metrics]\ntoken = "in the file"\n')
    with pytest.raises(SettingsError, match=r"\[metrics\] token is a secret; set "
                                            r"GALLERY_METRICS__TOKEN instead"):  # fmt: skip
        load_settings(config)


def test_the_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("GALLERY_METRICS__TOKEN", "from-the-environment")
    settings = load_settings(tmp_path / "absent.toml")
    assert settings.metrics.token.get_secret_value() == "from-the-environment"
    assert "from-the-environment" not in repr(settings.metrics)
