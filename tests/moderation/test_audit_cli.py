"""`python -m gallery audit`: every operator action, newest first, one line each."""

from __future__ import annotations

import argparse
import asyncio
import re

import pytest

from config.settings import Settings
from server.audit_cli import run_audit_command
from server.cli import build_parser
from tests.moderation.conftest import OPERATOR, Person, call, moderate, report
from tests.webapp.helpers import ApiClient

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(\d+)\s+(\w+)\s+(\w+ \d+)\s+(.*)$")


async def printed(settings: Settings, capsys: pytest.CaptureFixture[str], *argv: str
                  ) -> list[str]:  # fmt: skip
    """What the command prints, run as the CLI runs it: its own event loop, in a thread."""
    args = build_parser().parse_args(["audit", *argv])
    assert await asyncio.to_thread(run_audit_command, settings, args) == 0
    return capsys.readouterr().out.splitlines()


async def test_the_audit_lists_every_action_newest_first(
    client: ApiClient, settings: Settings, capsys: pytest.CaptureFixture[str],
    alice: Person, bob: Person, oper: Person,
) -> None:  # fmt: skip
    assert await printed(settings, capsys) == ["no operator actions yet"]
    _, filed = await report(client, alice, bob.objects[0])
    await call(client, oper, "POST", f"/moderation/reports/{filed['id']}/dismiss", {})
    await moderate(client, oper, f"objects/{bob.objects[0]}", "hide", "nudity\nsecond line")
    await moderate(client, oper, f"users/{bob.id}", "ban", "spam")
    lines = await printed(settings, capsys)
    assert lines[0].split() == ["at", "(UTC)", "operator", "action", "target", "reason"]
    rows = [LINE.match(line) for line in lines[1:]]
    assert [m.groups() if m else None for m in rows] == [
        (str(OPERATOR), "ban", f"user {bob.id}", "spam"),
        (str(OPERATOR), "hide", f"object {bob.objects[0]}", "nudity second line"),
        (str(OPERATOR), "dismiss", f"report {filed['id']}", "-"),
    ]
    assert len(await printed(settings, capsys, "--limit", "1")) == 2


def test_the_audit_command_is_on_the_command_line() -> None:
    assert build_parser().parse_args(["audit", "--limit", "5"]) == argparse.Namespace(
        config=None, command="audit", limit=5
    )
