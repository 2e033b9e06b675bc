"""rules.hold_hours: a day as shipped, 0 allowed (no holds), nothing negative or past 30 days."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config.loading import load_settings
from config.settings import RulesSettings

REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_config_holds_for_a_day() -> None:
    assert load_settings(REPO / "config.toml").rules.hold_hours == 24
    assert RulesSettings().hold_hours == 24


@pytest.mark.parametrize("hours", [0, 1, 720])
def test_a_hold_from_none_to_thirty_days(hours: int) -> None:
    assert RulesSettings(hold_hours=hours).hold_hours == hours


@pytest.mark.parametrize("hours", [-1, 721])
def test_a_hold_outside_that_is_refused(hours: int) -> None:
    with pytest.raises(ValidationError, match="hold_hours"):
        RulesSettings(hold_hours=hours)
