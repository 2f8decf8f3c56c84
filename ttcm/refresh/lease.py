"""The refresh lease: one row that makes a refresh single-flight across processes.

The lease is renewed with every committed page; a holder whose process is gone on this host
(see ttcm/store/holders.py) is taken over at once, any other only once its lease expired.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, and_, delete, select, update

from ttcm.refresh.errors import RefreshBusy
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.holders import claim_id, holder_is_dead
from ttcm.store.tables import table_of
from ttcm.store.timestamps import as_utc
from ttcm.store.upsert import upsert

LEASE_NAME = "refresh"
LEASE_SECONDS = 90


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

    def _mine(self) -> ColumnElement[bool]:
        return and_(m.Lease.name == LEASE_NAME, m.Lease.owner == self.owner)

    def acquire(self) -> None:
        """Take the lease, or raise RefreshBusy naming the host that holds it and until when."""
        now = self.now()
        with self.store.write() as conn:
            row = conn.execute(select(m.Lease).where(m.Lease.name == LEASE_NAME)).first()
            if (
                row is not None
                and row.owner != self.owner
                and as_utc(row.expires_at) > now
                and not holder_is_dead(row.owner)
            ):
                raise RefreshBusy(
                    "another refresh is running (started by "
                    f"{row.owner.split(':')[0]}); try again after {row.expires_at:%H:%M:%S} UTC"
                )
            row_values = {
                "name": LEASE_NAME,
                "owner": self.owner,
                "expires_at": now + timedelta(seconds=self.seconds),
            }
            upsert(conn, table_of(m.Lease), [row_values], key=["name"], compare=())

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
        """Give the lease up (only if still ours)."""
        with self.store.write() as conn:
            conn.execute(delete(m.Lease).where(self._mine()))
