"""Demo time: reading and moving the sandbox clock (in-process and served), and the app's now."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from tests.builders import ADMIN, MANAGER
from ttcm.auth import PermissionDenied
from ttcm.config import Settings
from ttcm.sandbox import SandboxApp
from ttcm.sandbox.server import create_app
from ttcm.services import demo_time
from ttcm.services.demo_time import ClockError
from ttcm.store import Store
from ttcm.store import models as m

with warnings.catch_warnings():  # starlette 1.x would prefer httpx2 for its test client
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def in_process(monkeypatch, tmp_path) -> Settings:
    """Settings of the in-process sandbox with its own state file."""
    monkeypatch.setenv("TTCM_SANDBOX_STATE", str(tmp_path / "state.json"))
    monkeypatch.setenv("TTCM_SANDBOX_CREATORS", "300")
    return Settings.load()


@pytest.fixture
def served(monkeypatch) -> SandboxApp:
    """A sandbox served on loopback (httpx requests go to its Starlette app)."""
    sandbox = SandboxApp(300, 7)
    client = TestClient(create_app(sandbox))

    def request(method, url, json=None, timeout=None):
        assert url.startswith("http://127.0.0.1:8765/_sandbox/")
        return client.request(method, url.removeprefix("http://127.0.0.1:8765"), json=json)

    monkeypatch.setattr(demo_time.httpx, "request", request)
    monkeypatch.setenv("TTCM_API_BASE", "http://127.0.0.1:8765/open_api/v1.3")
    monkeypatch.setenv("TTCM_ACCESS_TOKEN", "t")
    return sandbox


def clock_moves(store: Store) -> list[tuple]:
    with store.read() as conn:
        return list(
            conn.execute(
                select(m.AuditEntry.actor, m.AuditEntry.target, m.AuditEntry.detail).where(
                    m.AuditEntry.action == "sandbox.clock.advance"
                )
            )
        )


def test_an_admin_moves_the_in_process_clock_and_it_is_audited(
    sqlite_store: Store, in_process: Settings
) -> None:
    start = demo_time.sandbox_time(in_process)
    assert start.where == "in-process sandbox"
    assert abs(start.now - datetime.now(UTC)) < timedelta(minutes=5)
    before, after = demo_time.advance(sqlite_store, in_process, ADMIN, "48")
    assert after.now - before.now >= timedelta(hours=48)
    assert demo_time.app_now(in_process) - datetime.now(UTC) > timedelta(hours=47)
    assert demo_time.app_today(in_process) == after.now.date()
    # another process on the same state file (the app, the CLI) sees the same time
    other = SandboxApp(300, 7, state_path=in_process.sandbox_state)
    assert other.clock.now() - datetime.now(UTC) > timedelta(hours=47)
    [(actor, target, detail)] = clock_moves(sqlite_store)
    assert (actor, target, detail["hours"]) == ("ada", "in-process sandbox", 48.0)
    assert detail["before"] == before.now.isoformat() and detail["after"] == after.now.isoformat()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Give the hours"),
        (None, "Give the hours"),
        (True, "Give the hours"),
        ("abc", "Hours must be a number such as 24 or 1.5, not 'abc'"),
        ("=1+1", "not '=1+1'"),
        ("<b>5</b>", "not '<b>5</b>'"),
        ("😀", "not '😀'"),
        ("nan", "not 'nan'"),
        ("inf", "at most 8,784 hours"),
        ("0", "only moves forward"),
        ("-3", "only moves forward: give hours above 0, not -3"),
        ("1e9", "at most 8,784 hours"),
        ("9" * 400, "at most 8,784 hours"),
    ],
)
def test_bad_hours_are_refused_and_nothing_moves(
    sqlite_store: Store, in_process: Settings, raw, message: str
) -> None:
    with pytest.raises(ClockError, match=message.replace("+", r"\+").replace("(", r"\(")):
        demo_time.advance(sqlite_store, in_process, ADMIN, raw)
    assert demo_time.app_now(in_process) - datetime.now(UTC) < timedelta(minutes=5)
    assert clock_moves(sqlite_store) == []


def test_hours_may_be_fractions() -> None:
    assert demo_time.parse_hours("1.5") == 1.5 and demo_time.parse_hours(24) == 24.0


def test_only_admins_move_the_clock(sqlite_store: Store, in_process: Settings) -> None:
    with pytest.raises(PermissionDenied, match="needs the admin role"):
        demo_time.advance(sqlite_store, in_process, MANAGER, 24)
    assert demo_time.app_now(in_process) - datetime.now(UTC) < timedelta(minutes=5)
    assert clock_moves(sqlite_store) == []


def test_a_served_sandbox_is_moved_over_its_control_endpoint(
    sqlite_store: Store, served: SandboxApp
) -> None:
    settings = Settings.load()
    assert demo_time.has_clock(settings)
    before, after = demo_time.advance(sqlite_store, settings, ADMIN, 24)
    assert after.where == "sandbox at http://127.0.0.1:8765"
    assert after.now - before.now >= timedelta(hours=24)
    assert served.clock.offset_hours == 24.0
    assert demo_time.app_now(settings) - datetime.now(UTC) > timedelta(hours=23)


def test_a_loopback_server_that_is_not_a_sandbox_is_named(monkeypatch) -> None:
    def request(method, url, json=None, timeout=None):
        return httpx.Response(404, text="not found")

    monkeypatch.setattr(demo_time.httpx, "request", request)
    monkeypatch.setenv("TTCM_API_BASE", "http://127.0.0.1:9999/open_api/v1.3")
    monkeypatch.setenv("TTCM_ACCESS_TOKEN", "t")
    with pytest.raises(ClockError, match="127.0.0.1:9999 is not a ttcm sandbox"):
        demo_time.sandbox_time(Settings.load())


def test_a_served_sandbox_that_does_not_answer_is_a_clear_error(monkeypatch) -> None:
    def request(method, url, json=None, timeout=None):
        raise httpx.ConnectError("refused")

    monkeypatch.setattr(demo_time.httpx, "request", request)
    monkeypatch.setenv("TTCM_API_BASE", "http://localhost:8765/open_api/v1.3")
    monkeypatch.setenv("TTCM_ACCESS_TOKEN", "t")
    with pytest.raises(ClockError, match="did not answer \\(ConnectError\\)"):
        demo_time.app_now(Settings.load())


def test_tiktok_one_has_no_clock_to_move(sqlite_store: Store, monkeypatch) -> None:
    monkeypatch.setenv("TTCM_API_BASE", "https://business-api.tiktok.com/open_api/v1.3")
    monkeypatch.setenv("TTCM_ACCESS_TOKEN", "t")
    settings = Settings.load()
    assert not demo_time.has_clock(settings)
    assert abs(demo_time.app_now(settings) - datetime.now(UTC)) < timedelta(minutes=1)
    with pytest.raises(ClockError, match="not the sandbox: only the sandbox has a clock"):
        demo_time.advance(sqlite_store, settings, ADMIN, 24)
    assert clock_moves(sqlite_store) == []
