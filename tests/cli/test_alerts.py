"""`ttcm alerts --since <date|ISO> [--json]`: plain lines or JSON, oldest first; bad input."""

from __future__ import annotations

import json

import pytest

from tests.services import board_builders as b
from ttcm.auth import SYSTEM
from ttcm.cli.main import main
from ttcm.services.alerts import Alerts
from ttcm.store import Store, upgrade

HOSTILE = "=cmd|' /C calc'!A0\nsecond line <b>"


@pytest.fixture
def env(monkeypatch, sqlite_url) -> str:
    monkeypatch.setenv("TTCM_DATABASE_URL", sqlite_url)
    store = Store.from_url(sqlite_url)
    upgrade(store.engine)
    pk = b.campaign(store, "Spring")
    b.order(store, "o-1", "ben", pk, status="DECLINED", decline_reason=HOSTILE)
    b.invitation(store, "cat", "JOINED")
    Alerts(store, now=lambda: b.NOW).derive(SYSTEM)
    store.dispose()
    return sqlite_url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["alerts", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_lines_since_a_day(env: str, capsys) -> None:
    code, out, err = run(capsys, "--since", "2026-12-01")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines == [
        "2026-12-02 12:00 UTC  Order declined  [Spring]  @ben declined order o-1: "
        "=cmd|' /C calc'!A0 second line <b>",
        "2026-12-02 12:00 UTC  Invitation accepted  [no campaign]  "
        "@cat accepted the TTCM invitation and joined.",
    ]


def test_json_and_a_later_since(env: str, capsys) -> None:
    code, out, _ = run(capsys, "--since", "2026-12-02T11:00:00Z", "--json")
    assert code == 0
    items = json.loads(out)
    assert [i["kind"] for i in items] == ["order_declined", "invitation_accepted"]
    assert items[0]["campaign_name"] == "Spring" and items[0]["message"].endswith(HOSTILE)
    assert items[0]["created_at"] == "2026-12-02T12:00:00+00:00" and items[0]["read"] is False
    code, out, _ = run(capsys, "--since", "2026-12-03", "--format", "json")
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize("since", ["yesterday", "2026-02-30", ""])
def test_a_bad_since_is_one_line(env: str, capsys, since: str) -> None:
    code, out, err = run(capsys, "--since", since)
    assert code == 1 and out == ""
    assert err.startswith("ttcm: --since: ") and len(err.splitlines()) == 1
