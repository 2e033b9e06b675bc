"""Every response says no sniffing and names no framework version; the mini-app may be framed by
MAX's web client only."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.media.images import encode, photo
from tests.webapp.helpers import ApiClient, LoggedIn

SERVER = "max-photo-gallery"


@pytest.fixture
def webapp_overrides() -> dict[str, Any]:
    """Parametrize this to change the webapp settings for one test."""
    return {}


@pytest.fixture
def settings(settings: Settings, webapp_overrides: dict[str, Any]) -> Settings:
    return settings.model_copy(
        update={"webapp": settings.webapp.model_copy(update=webapp_overrides)}
    )


def assert_plain_headers(response: aiohttp.ClientResponse, what: str) -> None:
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.getall("Server") == [SERVER], what


async def test_every_kind_of_response_carries_the_headers(
    client: ApiClient, anna: LoggedIn
) -> None:
    requests: list[tuple[str, str, dict[str, str]]] = [
        ("GET", "/api/openapi.json", {}),
        ("GET", "/api/me", anna.headers),
        ("GET", "/api/me", {}),  # 401
        ("GET", "/api/objects/999", anna.headers),  # 404 from the rules
        ("GET", "/api/objects/99999999999999999999", anna.headers),  # 400
        ("GET", "/api/no-such-route", {}),  # the API's JSON 404
        ("DELETE", "/api/me", anna.headers),  # 405
        ("GET", "/app", {}),
        ("GET", "/app/static/app.js", {}),
        ("GET", "/health", {}),
        ("GET", "/no-such-page", {}),  # aiohttp's own 404
        ("POST", "/max/webhook", {}),  # no secret: refused
        ("GET", "/media/1/thumb.webp?exp=1&sig=x", {}),  # a forged media link: 403
    ]
    for method, path, headers in requests:
        response = await client.request(method, path, headers=headers)
        assert_plain_headers(response, f"{method} {path} ({response.status})")


async def test_a_media_file_carries_the_headers(client: ApiClient, anna: LoggedIn) -> None:
    form = aiohttp.FormData()
    form.add_field("file", encode(photo(31), "JPEG"), filename="p.jpg", content_type="image/jpeg")
    created = await client.post("/api/photos", data=form, headers=anna.headers)
    assert created.status == 201
    media = (await created.json())["media"]

    for url in (media["thumb"], media["preview"], media["full"]):
        response = await client.get(url)
        assert response.status == 200
        assert response.content_type.startswith("image/")
        assert_plain_headers(response, url)


async def csp(client: ApiClient) -> dict[str, str]:
    response = await client.get("/app")
    assert response.status == 200
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


async def test_only_max_s_web_client_may_frame_the_mini_app(client: ApiClient) -> None:
    assert (await csp(client))["frame-ancestors"] == "https://web.max.ru"


@pytest.mark.parametrize(
    ("webapp_overrides", "expected"),
    [
        ({"frame_ancestors": ("https://web.max.ru", "https://*.example.org")},
         "https://web.max.ru https://*.example.org"),
        ({"frame_ancestors": ()}, "'none'"),
    ],
)
async def test_the_framing_origins_are_a_setting(client: ApiClient, expected: str) -> None:
    assert (await csp(client))["frame-ancestors"] == expected


@pytest.mark.parametrize(
    "origin", ["http://web.max.ru", "https://a.ru; script-src *", "*", "https://a.ru/path"]
)
def test_a_framing_origin_that_could_bend_the_policy_is_refused(origin: str) -> None:
    with pytest.raises(ValueError, match="is not an https origin"):
        Settings(webapp={"frame_ancestors": [origin]})


async def test_the_sandbox_names_no_framework_version(sandbox: RunningSandbox) -> None:
    async with aiohttp.ClientSession() as session:
        for path in ("/me", "/_sandbox/", "/_sandbox/users", "/no-such-path"):
            async with session.get(sandbox.base_url + path) as response:
                assert response.headers.getall("Server") == ["max-sandbox"], path
