"""The client address: the peer, unless the peer is a trusted proxy; then the rightmost
X-Forwarded-For hop that is not a trusted proxy. Never the header of an untrusted peer."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import make_mocked_request

from gallery.limits import address_subject
from tests.limits.conftest import assert_refused
from tests.webapp.helpers import ApiClient
from webapp.limits import client_address

PROXIES = ("10.0.0.0/8", "fd00::/8")


def address(peer: str, *forwarded: str, proxies: tuple[str, ...] = PROXIES) -> str | None:
    headers = [("X-Forwarded-For", value) for value in forwarded]
    request = make_mocked_request("GET", "/", headers=headers).clone(remote=peer)
    return client_address(request, proxies)


def test_a_stranger_s_header_is_ignored() -> None:
    assert address("203.0.113.5", "198.51.100.1") == "203.0.113.5"
    assert address("203.0.113.5", "10.0.0.1") == "203.0.113.5"
    assert address("10.0.0.7", "198.51.100.1", proxies=()) == "10.0.0.7"


def test_a_trusted_proxy_names_the_client() -> None:
    assert address("10.0.0.7", "198.51.100.1") == "198.51.100.1"
    assert address("10.0.0.7") == "10.0.0.7"  # no header: the proxy is all we know


def test_what_the_client_wrote_on_the_left_is_ignored() -> None:
    # the client sent "X-Forwarded-For: 192.0.2.66"; the proxy appended the address it saw
    assert address("10.0.0.7", "192.0.2.66, 198.51.100.1") == "198.51.100.1"
    assert address("10.0.0.7", "192.0.2.66", "198.51.100.1") == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked() -> None:
    assert address("10.0.0.7", "192.0.2.66, 198.51.100.1, 10.1.1.1") == "198.51.100.1"
    assert address("fd00::1", "2001:db8::1, fd00::2") == "2001:db8::1"


def test_nonsense_counts_as_one_unknown_client() -> None:
    assert address_subject(address("10.0.0.7", "not-an-ip")) == "a:unknown"
    assert address_subject("2001:db8:1:2:3:4:5:6") == address_subject("2001:db8:1:2::9")
    assert address_subject("2001:db8:1:2::1") != address_subject("2001:db8:1:3::1")


async def refresh(client: ApiClient, forwarded: str) -> int:
    response = await client.post("/api/auth/refresh", json={"refresh_token": "nope"},
                                 headers={"X-Forwarded-For": forwarded})  # fmt: skip
    if response.status == 429:
        await assert_refused(response, "auth")
    return response.status


@pytest.mark.parametrize("limits_overrides", [{"auth": {"person": 100, "address": 2}}])
async def test_forged_headers_from_an_untrusted_peer_share_its_budget(client: ApiClient) -> None:
    statuses = [await refresh(client, f"198.51.100.{n}") for n in range(3)]
    assert statuses == [401, 401, 429]


@pytest.mark.parametrize("limits_overrides", [
    {"auth": {"person": 100, "address": 2}, "trusted_proxies": ["127.0.0.1/32"]},
])  # fmt: skip
async def test_behind_a_trusted_proxy_each_client_has_its_own_budget(client: ApiClient) -> None:
    assert [await refresh(client, "198.51.100.1") for _ in range(3)] == [401, 401, 429]
    assert await refresh(client, "198.51.100.2") == 401
    # a forged hop on the left does not buy a new budget
    assert await refresh(client, "192.0.2.1, 198.51.100.1") == 429
