"""The refresh lease: one holder at a time, a gone holder is taken over at once."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from ttcm.refresh.errors import RefreshBusy
from ttcm.refresh.lease import Lease
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.timestamps import as_utc, utcnow


def _holder(store: Store) -> str | None:
    with store.read() as conn:
        return conn.execute(select(m.Lease.owner)).scalar_one_or_none()


def test_another_claim_of_this_process_waits_for_the_lease(sqlite_store: Store) -> None:
    first, second = Lease(sqlite_store, utcnow), Lease(sqlite_store, utcnow)
    first.acquire()
    with pytest.raises(RefreshBusy, match="another refresh is running"):
        second.acquire()
    first.release()
    second.acquire()
    assert _holder(sqlite_store) == second.owner


def test_a_holder_whose_process_is_gone_is_taken_over_at_once(sqlite_store: Store) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    Lease(sqlite_store, utcnow, owner=f"{socket.gethostname()}:{int(gone.stdout)}:-/1").acquire()
    mine = Lease(sqlite_store, utcnow)
    mine.acquire()
    assert _holder(sqlite_store) == mine.owner


def test_an_expired_lease_of_another_host_is_taken_over(sqlite_store: Store) -> None:
    past = utcnow() - timedelta(seconds=Lease(sqlite_store, utcnow).seconds + 1)
    Lease(sqlite_store, lambda: past, owner="other-host:1:1").acquire()
    mine = Lease(sqlite_store, utcnow)
    mine.acquire()
    assert _holder(sqlite_store) == mine.owner


def test_a_lost_lease_stops_the_renewal(sqlite_store: Store) -> None:
    mine = Lease(sqlite_store, utcnow)
    mine.acquire()
    with sqlite_store.write() as conn:
        conn.execute(update(m.Lease).values(owner="other-host:1:1"))
    with pytest.raises(RefreshBusy, match="lost its lease"), sqlite_store.write() as conn:
        mine.renew(conn)


def test_a_renewal_during_a_pause_keeps_the_lease_through_the_pause(sqlite_store: Store) -> None:
    start = utcnow()
    mine = Lease(sqlite_store, lambda: start)
    mine.acquire()
    until = mine.hold_through(300)
    with sqlite_store.write() as conn:  # the writer thread commits a queued page meanwhile
        mine.renew(conn)
    with sqlite_store.read() as conn:
        expires = conn.execute(select(m.Lease.expires_at)).scalar_one()
    assert as_utc(expires) == until > start + timedelta(seconds=300)


# ---------------------------------------------------------------- PostgreSQL: advisory lock


@pytest.fixture
def pg_store(pg_schema: str):
    from tests.conftest import pg_url_for
    from ttcm.store import upgrade

    st = Store.from_url(pg_url_for(pg_schema))
    upgrade(st.engine)
    yield st
    st.dispose()


def _pg_locks_held(store: Store) -> int:
    """Sessions holding the refresh's advisory lock of this store's schema (0 or 1)."""
    from sqlalchemy import text

    with store.read() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND classid = :c AND objid::text::bigint ="
                    " (hashtext(current_schema() || :name)::bigint + 4294967296) % 4294967296"
                ),
                {"c": 0x7474636D, "name": ":refresh"},
            ).scalar_one()
        )


@pytest.mark.postgres
def test_postgresql_refuses_a_second_holder_by_advisory_lock(pg_store: Store) -> None:
    first = Lease(pg_store, utcnow)
    first.acquire()
    with pg_store.write() as conn:  # even with the row gone, the session lock refuses
        conn.execute(delete(m.Lease))
    second = Lease(pg_store, utcnow)
    with pytest.raises(RefreshBusy, match="another refresh is running"):
        second.acquire()
    first.release()
    second.acquire()
    assert _holder(pg_store) == second.owner
    second.release()
    assert _holder(pg_store) is None


@pytest.mark.postgres
def test_postgresql_takes_over_a_row_whose_session_is_gone(pg_store: Store) -> None:
    # a holder on another machine that died: its row is live, but its session (and lock) ended
    with pg_store.write() as conn:
        conn.execute(
            m.Lease.__table__.insert().values(
                name="refresh", owner="other-host:1:1", expires_at=utcnow() + timedelta(hours=1)
            )
        )
    mine = Lease(pg_store, utcnow)
    mine.acquire()
    assert _holder(pg_store) == mine.owner
    mine.release()


@pytest.mark.postgres
def test_postgresql_lock_is_per_schema_and_ends_with_the_release(pg_store: Store) -> None:
    from sqlalchemy import create_engine, text

    from tests.conftest import PG_ADMIN_URL, pg_url_for
    from ttcm.store import upgrade

    other_schema = f"{pg_store.engine.url.query['options'].split('=')[1].split(',')[0]}_b"
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{other_schema}"'))
    other = Store.from_url(pg_url_for(other_schema))
    try:
        upgrade(other.engine)
        here, there = Lease(pg_store, utcnow), Lease(other, utcnow)
        assert (_pg_locks_held(pg_store), _pg_locks_held(other)) == (0, 0)
        here.acquire()
        there.acquire()  # another store in the same database: not locked out
        assert (_pg_locks_held(pg_store), _pg_locks_held(other)) == (1, 1)
        here.release()
        assert (_pg_locks_held(pg_store), _pg_locks_held(other)) == (0, 1)
        there.release()
        assert (_pg_locks_held(pg_store), _pg_locks_held(other)) == (0, 0)
    finally:
        other.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{other_schema}" CASCADE'))
        admin.dispose()
