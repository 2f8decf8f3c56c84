"""Two app processes and two refresh jobs on one PostgreSQL database (issue 15).

Separate OS processes (tests/services/discovery/pg_worker.py), as in a deployment: two app
processes share the database and the index folder (TTCM_INDEX_DIR); two refreshes are started
at the same instant. Exactly one refresh runs (the advisory lock refuses the other, clearly),
both app processes answer with the new data afterwards, and each index version is built once
on this host (the other process maps the published snapshot).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from tests.builders.creators import load, make_creators
from tests.conftest import pg_url_for
from ttcm.auth import SYSTEM
from ttcm.config import Settings
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter
from ttcm.services.discovery.search import Discovery
from ttcm.store import Store, upgrade, versions

pytestmark = pytest.mark.postgres
PROJECT = Path(__file__).resolve().parents[3]


class Worker:
    """One pg_worker process: send a command line, read its JSON answer."""

    def __init__(self, role: str, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._err: IO[bytes] = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.services.discovery.pg_worker", role],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            text=True,
        )

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(30)
            tail = self.log.read_text(errors="replace")[-3000:]
            pytest.fail(f"worker exited ({self.proc.returncode}) without answering:\n{tail}")
        return dict(json.loads(line))

    def close(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()  # an app worker ends at the end of its input
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)
        self._err.close()


@pytest.fixture
def pg_store(pg_schema: str) -> Iterator[Store]:
    st = Store.from_url(pg_url_for(pg_schema))
    upgrade(st.engine)
    yield st
    st.dispose()


def _ask_all(workers: list[Worker], line: str) -> list[dict[str, Any]]:
    """Send `line` to every worker first (they work at once), then read every answer."""
    for w in workers:
        w.send(line)
    return [w.answer() for w in workers]


def test_two_app_processes_and_two_refreshes_on_one_postgresql(
    pg_store: Store, pg_schema: str, tmp_path: Path
) -> None:
    load(pg_store, make_creators(40, seed=21))
    with pg_store.read() as conn:
        seeded = versions.current(conn, "creators")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TTCM_")} | {
        "TTCM_DATABASE_URL": pg_url_for(pg_schema),
        "TTCM_INDEX_DIR": str(tmp_path / "index"),  # one snapshot folder for both app processes
        "TTCM_DATA_DIR": str(tmp_path / "data"),
        "TTCM_SANDBOX_CREATORS": "200",
    }
    workers = [
        Worker(role, env, tmp_path / f"{role}{i}.log")
        for role in ("app", "refresh")
        for i in (1, 2)
    ]
    apps, refreshes = workers[:2], workers[2:]
    try:
        assert [w.answer() for w in workers] == [{"event": "ready"}] * 4

        cold = _ask_all(apps, "query")  # both cold-start at once
        assert [(a["version"], a["total"]) for a in cold] == [(seeded, 40)] * 2

        # two refreshes at the same instant: one runs (held at its first tick), one is refused
        started = _ask_all(refreshes, "go")
        running = [w for w, a in zip(refreshes, started, strict=True) if a.get("event")]
        refused = [a for a in started if a.get("outcome")]
        assert len(running) == 1, started
        assert refused == [{"outcome": "busy", "message": refused[0]["message"]}] and refused[0][
            "message"
        ].startswith("another refresh is running"), started
        running[0].send("continue")
        done = running[0].answer()
        assert done["outcome"] == "ok", done

        with pg_store.read() as conn:
            latest = versions.current(conn, "creators")
        assert latest > seeded
        during = _ask_all(apps, "query")  # answered at once by the last index, a build starts
        assert [a["version"] for a in during] == [seeded] * 2
        assert _ask_all(apps, "wait") == [{"event": "waited"}] * 2
        after = _ask_all(apps, "query")
    finally:
        for w in workers:
            w.close()

    index_cache.forget()  # the oracle: this process's own index, in its own folder
    own = Settings(index_dir=tmp_path / "oracle", data_dir=tmp_path)
    expected = Discovery(pg_store, own).search(SYSTEM, CreatorFilter(), limit=5)
    assert expected.total > 40
    for a in after:
        assert (a["version"], a["total"], a["handles"]) == (
            latest,
            expected.total,
            [r["handle_name"] for r in expected.rows],
        )
    # each version was built once on this host: by one process, mapped by the other
    built = sorted(v for a in after for v in a["built"])
    assert built == [seeded, latest], after
    for a in after:
        assert sorted(a["built"] + a["mapped"]) == [seeded, latest], a
