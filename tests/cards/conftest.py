"""A cast for card tests: Anna owns a photo, Bob and Eve look at it."""

from __future__ import annotations

import pytest

from sandbox.runner import RunningSandbox
from tests.browser.conftest import browser, mini_app, shots_dir  # noqa: F401 - the screens' fixtures
from tests.webapp.helpers import ApiClient, LoggedIn, login


@pytest.fixture
async def anna(client: ApiClient, sandbox: RunningSandbox) -> LoggedIn:
    return await login(client, sandbox, first_name="Анна", language_code="ru")


@pytest.fixture
async def bob(client: ApiClient, sandbox: RunningSandbox) -> LoggedIn:
    return await login(client, sandbox, first_name="Bob", language_code="en")


@pytest.fixture
async def eve(client: ApiClient, sandbox: RunningSandbox) -> LoggedIn:
    return await login(client, sandbox, first_name="Eve", language_code="en")
