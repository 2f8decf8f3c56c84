"""What every refresh step works with: store, client, clock, lease, run, writer and ticker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from ttcm.api.client import TikTokOneClient
from ttcm.refresh.lease import Lease
from ttcm.refresh.progress import Ticker
from ttcm.refresh.runs import RunState, save_progress
from ttcm.refresh.writer import PageWriter
from ttcm.store import Store

PAGE_SIZE = 200


@dataclass
class RunContext:
    """One running refresh, handed to each resource's step."""

    store: Store
    client: TikTokOneClient
    now: Callable[[], datetime]
    lease: Lease
    run: RunState
    writer: PageWriter
    ticker: Ticker
    full: bool
    # the day snapshots are kept under (the API's day: the sandbox clock in a demo); None: now's
    day_clock: Callable[[], date] | None = None

    def today(self) -> date:
        """The day this run's snapshots are written for."""
        return self.day_clock() if self.day_clock is not None else self.now().date()

    def renew(self, conn: Connection) -> None:
        """Renew the lease and save the run's checkpoint and counts in `conn`'s transaction."""
        self.lease.renew(conn)
        save_progress(conn, self.run, self.now())

    def complete(self, conn: Connection, resource: str) -> None:
        """Mark `resource` finished for this run, in `conn`'s transaction."""
        self.run.mark_completed(resource)
        self.renew(conn)

    def complete_now(self, resource: str) -> None:
        """Mark `resource` finished in a transaction of its own."""
        with self.store.write() as conn:
            self.complete(conn, resource)
