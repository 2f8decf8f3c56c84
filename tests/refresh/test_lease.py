"""The refresh lease: one holder at a time, a gone holder is taken over at once."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select, update

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
