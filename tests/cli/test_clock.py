"""`ttcm sandbox clock advance --hours N | show` on the in-process sandbox's state file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ttcm.cli.main import main
from ttcm.store import Store
from ttcm.store import models as m


@pytest.fixture
def env(monkeypatch, tmp_path, sqlite_url) -> str:
    monkeypatch.setenv("TTCM_SANDBOX_STATE", str(tmp_path / "state.json"))
    monkeypatch.setenv("TTCM_SANDBOX_CREATORS", "300")
    monkeypatch.setenv("TTCM_DATABASE_URL", sqlite_url)
    return sqlite_url


def shown(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_advance_then_show(env: str, capsys) -> None:
    code, out, _ = shown(capsys, "sandbox", "clock", "show", "--format", "json")
    assert code == 0
    start = datetime.fromisoformat(json.loads(out)["now"])
    code, out, err = shown(capsys, "sandbox", "clock", "advance", "--hours", "72")
    assert code == 0 and err == ""
    assert out.startswith("sandbox time moved from ") and "(in-process sandbox)" in out
    code, out, _ = shown(capsys, "sandbox", "clock", "show", "--format", "json")
    moved = datetime.fromisoformat(json.loads(out)["now"])
    assert moved - start >= timedelta(hours=72)
    assert moved - datetime.now(UTC) > timedelta(hours=71)
    store = Store.from_url(env)
    try:
        with store.read() as conn:
            [(actor, detail)] = conn.execute(
                select(m.AuditEntry.actor, m.AuditEntry.detail).where(
                    m.AuditEntry.action == "sandbox.clock.advance"
                )
            ).all()
    finally:
        store.dispose()
    assert detail["hours"] == 72.0 and actor


@pytest.mark.parametrize(
    ("hours", "message"),
    [("-1", "only moves forward"), ("soon", "not 'soon'"), ("100000", "at most 8,784 hours")],
)
def test_bad_hours_are_one_line_and_move_nothing(env: str, capsys, hours: str, message) -> None:
    code, out, err = shown(capsys, "sandbox", "clock", "advance", "--hours", hours)
    assert code == 1 and out == ""
    assert err.startswith("ttcm: ") and message in err and err.count("\n") == 1
    code, out, _ = shown(capsys, "sandbox", "clock", "show", "--format", "json")
    now = datetime.fromisoformat(json.loads(out)["now"])
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=5)


def test_tiktok_one_has_no_clock(env: str, capsys, monkeypatch) -> None:
    monkeypatch.setenv("TTCM_API_BASE", "https://business-api.tiktok.com/open_api/v1.3")
    monkeypatch.setenv("TTCM_ACCESS_TOKEN", "t")
    code, out, err = shown(capsys, "sandbox", "clock", "show")
    assert code == 1 and "only the sandbox has a clock" in err
