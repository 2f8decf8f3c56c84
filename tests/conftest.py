"""Fixtures shared by every test: stores on a temporary SQLite file and on PostgreSQL."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.leakguard import KeepAll, scan
from ttcm.store import Store, upgrade

PG_ADMIN_URL = os.environ.get(
    "TTCM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

# Tests never read a developer's secrets file or environment by accident.
for _name in list(os.environ):
    if _name.startswith("TTCM_") and _name != "TTCM_TEST_PG_URL":
        del os.environ[_name]
# index snapshots of test stores go to a temporary folder, never into the project's data/
os.environ["TTCM_INDEX_DIR"] = tempfile.mkdtemp(prefix="ttcm-index-")


def _pg_reason() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        return f"no PostgreSQL answers at {PG_ADMIN_URL}: {exc.__class__.__name__}: {exc}"
    return None


_PG_REASON = _pg_reason()
if _PG_REASON:
    print(f"\n[ttcm tests] PostgreSQL tests will be skipped: {_PG_REASON}\n")


def pg_url_for(schema: str) -> str:
    """A URL whose connections use `schema` first (and public for the pg_trgm extension)."""
    return f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema},public"


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards; skips with the reason when no server."""
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    schema = f"ttcm_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """URL of an empty SQLite file in a temporary folder."""
    return f"sqlite:///{tmp_path / 'ttcm.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    """An empty database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ttcm.db'}"
    schema = request.getfixturevalue("pg_schema")
    return pg_url_for(schema)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file migrated to head once a session; tests get a copy (0.2 s a store saved)."""
    path = tmp_path_factory.mktemp("migrated") / "ttcm.db"
    st = Store.from_url(f"sqlite:///{path}")
    upgrade(st.engine)
    st.dispose()  # the last connection's close folds any WAL into the file
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the migrated template kept a WAL"
    return path


def migrated_store(url: str, template: Path) -> Store:
    """A store at `url` on the head schema: a copy of the migrated file on SQLite, else upgraded."""
    prefix = "sqlite:///"
    if url.startswith(prefix):
        shutil.copyfile(template, url.removeprefix(prefix))
        return Store.from_url(url)
    st = Store.from_url(url)
    upgrade(st.engine)
    return st


@pytest.fixture
def store(store_url, migrated_sqlite) -> Iterator[Store]:
    """A migrated store on each backend."""
    st = migrated_store(store_url, migrated_sqlite)
    yield st
    st.dispose()


@pytest.fixture
def sandbox():
    """A small in-process sandbox (1,500 creators) whose limits never throttle the tests."""
    from ttcm.sandbox import SandboxApp

    return SandboxApp(n_creators=1500, seed=11, qps=100_000, qpm=10_000_000)


@pytest.fixture
def sqlite_store(sqlite_url, migrated_sqlite) -> Iterator[Store]:
    """A migrated store on a temporary SQLite file."""
    st = migrated_store(sqlite_url, migrated_sqlite)
    yield st
    st.dispose()


# ---------------------------------------------------------------- no secret in any log line

_KEEP = KeepAll()


def pytest_configure(config) -> None:  # noqa: ANN001 - pytest hook
    """Record every log line of the run (DEBUG and up) for the secret scan."""
    root = logging.getLogger()
    root.addHandler(_KEEP)
    root.setLevel(logging.DEBUG)
    for noisy in ("matplotlib", "PIL", "asyncio", "watchdog", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


# under pytest-xdist each worker keeps its own lines: it hands its count and leaks to the
# controller (xdist's workeroutput), which scans its own lines too and decides the run
_FROM_WORKERS: dict[str, Any] = {"lines": 0, "leaks": []}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # noqa: ANN001 - xdist hook, controller side
    """Collect a finished worker's secret-scan figures."""
    out = getattr(node, "workeroutput", {})
    _FROM_WORKERS["lines"] += out.get("ttcm_log_lines", 0)
    _FROM_WORKERS["leaks"] += out.get("ttcm_leaks", [])


def pytest_sessionfinish(session, exitstatus) -> None:  # noqa: ANN001 - pytest hook
    """Fail the run when a token or password reached any log line."""
    leaks = scan(_KEEP.lines)
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports
        workeroutput["ttcm_log_lines"] = len(_KEEP.lines)
        workeroutput["ttcm_leaks"] = [line[:200] for line in leaks]
        return
    leaks = leaks + _FROM_WORKERS["leaks"]
    lines = len(_KEEP.lines) + _FROM_WORKERS["lines"]
    if leaks:
        print(f"\n[ttcm tests] {len(leaks)} log line(s) contain a secret, e.g.: {leaks[0][:200]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    else:
        print(f"\n[ttcm tests] secret scan: {lines:,} log lines, no token or password")
