"""kill -9 of a refresh process mid-run: the store stays whole and the next run resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tests.refresh.conftest import cli_env, loopback_sandbox
from ttcm.store import Store, check
from ttcm.store import models as m

BIN = Path(sys.executable).parent
TOKEN = "tok-SECRET-crash-test"


@pytest.fixture
def server() -> Iterator[str]:
    """`ttcm sandbox serve` on loopback, answering slowly enough to be killed mid-run."""
    with loopback_sandbox(
        "--creators", "3000", "--seed", "5", "--qps", "1000", "--faults", "slow_ms=25"
    ) as base:
        yield base


def _env(store_url: str, base: str) -> dict[str, str]:
    return cli_env(store_url, base, TOKEN)


def _refresh(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "ttcm"), "refresh", "--resources", "creators", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _handles(store: Store) -> set[str]:
    with store.read() as conn:
        return set(conn.execute(select(m.Creator.handle_name)).scalars())


def _kill_mid_run(store: Store, proc: subprocess.Popen, min_rows: int) -> None:
    """Wait until the run has committed some batches (beyond min_rows), then kill -9."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with store.read() as conn:
            run = conn.execute(
                select(m.SyncRun.status, m.SyncRun.counts).order_by(m.SyncRun.id.desc()).limit(1)
            ).first()
        seen = ((run.counts or {}).get("creators") or {}).get("seen", 0) if run else 0
        if run is not None and run.status == "running" and seen > min_rows:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            return
        if proc.poll() is not None:
            pytest.fail(f"the refresh ended before it could be killed: {proc.stderr.read()}")
        time.sleep(0.05)
    pytest.fail("the refresh never got going")


def test_kill_9_mid_refresh_then_resume(store: Store, store_url: str, server: str) -> None:
    env = _env(store_url, server)
    # 1. a first run killed half-way through an empty store
    first = _refresh(env)
    _kill_mid_run(store, first, min_rows=200)
    report = check(store.engine)
    assert report.ok, report.problems
    partial = _handles(store)
    assert partial  # what was committed is there and readable
    # 2. the next run resumes and completes
    done = subprocess.run(
        [str(BIN / "ttcm"), "refresh", "--resources", "creators"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "resumed run" in done.stdout
    complete = _handles(store)
    assert partial < complete
    # 3. a full re-refresh killed mid-way leaves every previous row in place
    again = _refresh(env, "--full")
    _kill_mid_run(store, again, min_rows=200)
    assert check(store.engine).ok
    assert _handles(store) == complete
    with store.read() as conn:
        statuses = list(conn.execute(select(m.SyncRun.status).order_by(m.SyncRun.id)).scalars())
        n = conn.execute(select(func.count()).select_from(m.Creator)).scalar_one()
    assert statuses[:2] == ["interrupted", "ok"] and statuses[-1] == "running"
    assert n == len(complete)
    # 4. and a new run still completes (the dead run's lease expires or is taken over)
    final = subprocess.run(
        [str(BIN / "ttcm"), "refresh", "--resources", "creators", "--full"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert final.returncode == 0, final.stderr  # the dead run's lease was taken over
    state = httpx.get(f"{server}/_sandbox/state", timeout=5).json()
    assert state["creators"] == 3000
