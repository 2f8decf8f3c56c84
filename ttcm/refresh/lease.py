"""The refresh lease: one row that makes a refresh single-flight across processes.

The lease is renewed with every committed page; a holder whose process is gone on this host
(see ttcm/store/holders.py) is taken over at once, any other only once its lease expired.

On PostgreSQL the lease is also a session advisory lock (`pg_try_advisory_lock`) held on a
connection of its own for the whole refresh, so several app processes and scheduled
`ttcm refresh` jobs on any number of machines run one refresh at a time even at the same
instant. The server lets the lock go when the holder's session ends (process killed, machine
gone), so on PostgreSQL a row left behind by such a holder is taken over at once; the row
stays, for the status it shows (who holds the refresh, until when) and for the renewals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Row, and_, delete, select, text, update

from ttcm.refresh.errors import RefreshBusy
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.holders import claim_id, holder_is_dead
from ttcm.store.tables import table_of
from ttcm.store.timestamps import as_utc
from ttcm.store.upsert import upsert

log = logging.getLogger(__name__)
LEASE_NAME = "refresh"
LEASE_SECONDS = 90
# the advisory lock's key: (ttcm's class id, hash of schema and lease name), so stores in several
# schemas of one database (or several leases) never lock each other out
_ADVISORY_CLASS = 0x7474636D  # "ttcm"
_KEY = "hashtext(coalesce(current_schema(), '') || ':' || :name)"
_TRY_LOCK = text(f"SELECT pg_try_advisory_lock({_ADVISORY_CLASS}, {_KEY})")
_UNLOCK = text(f"SELECT pg_advisory_unlock({_ADVISORY_CLASS}, {_KEY})")


class Lease:
    """The refresh lease as held by one refresher (`owner`)."""

    def __init__(
        self,
        store: Store,
        now: Callable[[], datetime],
        *,
        owner: str | None = None,
        seconds: int = LEASE_SECONDS,
    ) -> None:
        self.store = store
        self.now = now
        self.owner = owner or claim_id()
        self.seconds = seconds
        self._held_until: datetime | None = None  # a pause's end: no renewal may come before
        self._session: Connection | None = None  # PostgreSQL: the connection holding the lock

    def _mine(self) -> ColumnElement[bool]:
        return and_(m.Lease.name == LEASE_NAME, m.Lease.owner == self.owner)

    def acquire(self) -> None:
        """Take the lease, or raise RefreshBusy naming the host that holds it and until when."""
        now = self.now()
        locked = self._lock_session()
        try:
            with self.store.write() as conn:
                row = conn.execute(select(m.Lease).where(m.Lease.name == LEASE_NAME)).first()
                if not locked and _live_other(row, self.owner, now):
                    raise _busy(row)
                row_values = {
                    "name": LEASE_NAME,
                    "owner": self.owner,
                    "expires_at": now + timedelta(seconds=self.seconds),
                }
                upsert(conn, table_of(m.Lease), [row_values], key=["name"], compare=())
        except BaseException:
            self._unlock_session()
            raise

    def _lock_session(self) -> bool:
        """PostgreSQL: take the advisory lock on a connection of its own (True), or raise
        RefreshBusy when another session holds it. SQLite has none (False): the row decides."""
        if self.store.is_sqlite:
            return False
        if self._session is not None:  # already ours (acquired again without a release)
            return True
        conn = self.store.engine.connect()
        conn.detach()  # closing it ends the session, and with it the lock, never pools it
        try:
            got = bool(conn.execute(_TRY_LOCK, {"name": LEASE_NAME}).scalar())
            conn.commit()  # a session lock outlives the transaction that took it
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            with self.store.read() as read:
                row = read.execute(select(m.Lease).where(m.Lease.name == LEASE_NAME)).first()
            raise _busy(row)
        self._session = conn
        return True

    def _unlock_session(self) -> None:
        conn, self._session = self._session, None
        if conn is None:
            return
        try:
            conn.execute(_UNLOCK, {"name": LEASE_NAME})
            conn.commit()
        except Exception:  # noqa: BLE001 - closing the session below lets the lock go anyway
            log.warning("refresh lease: the advisory unlock failed; closing its session")
        finally:
            conn.close()

    def renew(self, conn: Connection) -> None:
        """Extend the lease inside the caller's transaction; RefreshBusy when it was lost.

        A renewal never shortens a lease held through a pause: the writer thread still commits
        queued pages while the fetching thread waits the pause out.
        """
        expires = self.now() + timedelta(seconds=self.seconds)
        if self._held_until is not None and self._held_until > expires:
            expires = self._held_until
        got = conn.execute(update(m.Lease).where(self._mine()).values(expires_at=expires)).rowcount
        if not got:
            raise RefreshBusy("this refresh lost its lease to another process and stopped")

    def hold_through(self, seconds: float) -> datetime:
        """Keep the lease through a pause of `seconds` (TikTok restricts the app); returns until."""
        until = self.now() + timedelta(seconds=seconds + self.seconds)
        self._held_until = until
        with self.store.write() as conn:
            conn.execute(update(m.Lease).where(self._mine()).values(expires_at=until))
        return until

    def release(self) -> None:
        """Give the lease up (only if still ours), and the advisory lock on PostgreSQL."""
        try:
            with self.store.write() as conn:
                conn.execute(delete(m.Lease).where(self._mine()))
        finally:
            self._unlock_session()


def _live_other(row: Row[m.Lease] | None, owner: str, now: datetime) -> bool:
    """True when the lease row is another holder's, unexpired, and not proved dead."""
    return (
        row is not None
        and row.owner != owner
        and as_utc(row.expires_at) > now
        and not holder_is_dead(row.owner)
    )


def _busy(row: Row[m.Lease] | None) -> RefreshBusy:
    """The refusal, naming the holder's host and until when when the row says so."""
    if row is None:  # PostgreSQL: the holder has its lock and is about to write its row
        return RefreshBusy("another refresh is running (it is starting); try again in a minute")
    return RefreshBusy(
        "another refresh is running (started by "
        f"{row.owner.split(':')[0]}); try again after {row.expires_at:%H:%M:%S} UTC"
    )
