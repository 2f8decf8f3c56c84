"""Sign-in rate buckets in the store, reserved atomically before any password is hashed.

Each bucket (a client, an account, or a browser that signed in to that account before) is a
GCRA cell: one stored "theoretical arrival time" `tat`. An attempt is allowed when
`tat - now <= (burst - 1) * interval`, and taking it moves `tat` to `max(tat, now) + interval`.
Check and take are one conditional UPDATE, so parallel attempts cannot all pass a check before
any of them is recorded (SQLite serialises writers; PostgreSQL re-evaluates the WHERE of an
UPDATE on the row it locked). All buckets of one attempt are taken in one transaction: if any
refuses, none is taken.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ttcm import rules
from ttcm.store import Store
from ttcm.store import models as m


@dataclass(frozen=True)
class Rate:
    """At most `per_minute` attempts a minute after a first burst of `burst`."""

    per_minute: float
    burst: int

    @property
    def interval(self) -> float:
        """Seconds between attempts at the sustained rate."""
        return 60.0 / self.per_minute

    @property
    def tolerance(self) -> float:
        """How far ahead of now a bucket's time may run and still allow an attempt."""
        return (self.burst - 1) * self.interval


def rates() -> dict[str, Rate]:
    """The configured rate of each bucket kind (data/roles.json `throttle`)."""
    cfg: dict[str, Any] = rules.load("roles")["throttle"]
    return {
        kind: Rate(float(cfg[f"{kind}_per_minute"]), int(cfg[f"{kind}_burst"]))
        for kind in ("client", "account", "device")
    }


def bucket_key(kind: str, value: str) -> str:
    """A fixed-length key for a bucket (user input never reaches the table as such)."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:48]
    return f"{kind}:{digest}"


class _Refused(Exception):
    def __init__(self, wait: float) -> None:
        self.wait = wait


_CHECKS_LOCK = threading.Lock()
_CHECKS: list[threading.BoundedSemaphore] = []  # one per process, made on first use


def _check_slots() -> threading.BoundedSemaphore:
    with _CHECKS_LOCK:
        if not _CHECKS:
            _CHECKS.append(
                threading.BoundedSemaphore(rules.load("roles")["throttle"]["concurrent_checks"])
            )
        return _CHECKS[0]


class SigninThrottle:
    """Stored rate buckets plus a process-wide bound on how many password checks run at once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.check_wait = float(rules.load("roles")["throttle"]["check_wait_seconds"])

    def reserve(self, buckets: Sequence[tuple[str, str]], now: float) -> float:
        """Take one attempt from every (kind, key) bucket; 0.0 when taken, else seconds to wait."""
        limits = rates()
        # a guess that a bucket already refuses costs a read, not a write (a flood of refused
        # guesses never queues behind the store's writer); the write below stays the only way
        # to take an attempt, so a stale read can at worst refuse early, never allow one more
        wait = self._refused(buckets, limits, now)
        if wait is not None:
            return max(wait, 0.001)
        try:
            with self.store.write() as conn:
                for kind, key in buckets:
                    self._take(conn, key, limits[kind], now)
        except _Refused as refused:
            return max(refused.wait, 0.001)
        return 0.0

    def _refused(
        self, buckets: Sequence[tuple[str, str]], limits: dict[str, Rate], now: float
    ) -> float | None:
        """Seconds to wait when a stored bucket already refuses an attempt, else None."""
        keys = [key for _, key in buckets]
        with self.store.read() as conn:
            found = select(m.SigninBucket.key, m.SigninBucket.tat).where(
                m.SigninBucket.key.in_(keys)
            )
            tats = {row.key: row.tat for row in conn.execute(found)}
        for kind, key in buckets:
            tat = tats.get(key)
            if tat is not None and tat > now + limits[kind].tolerance:
                return float(tat - limits[kind].tolerance - now)
        return None

    def _take(self, conn: Connection, key: str, rate: Rate, now: float) -> None:
        insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
        conn.execute(insert(m.SigninBucket).values(key=key, tat=now).on_conflict_do_nothing())
        tat = m.SigninBucket.tat
        taken = conn.execute(
            update(m.SigninBucket)
            .where(m.SigninBucket.key == key, tat <= now + rate.tolerance)
            .values(tat=case((tat < now, now), else_=tat) + rate.interval)
            .returning(m.SigninBucket.tat)
        ).first()
        if taken is None:
            current = conn.execute(
                select(m.SigninBucket.tat).where(m.SigninBucket.key == key)
            ).scalar_one()
            raise _Refused(current - rate.tolerance - now)

    def refund(self, buckets: Sequence[tuple[str, str]]) -> None:
        """Give back the attempt of a sign-in that had the right password: only guesses count."""
        limits = rates()
        with self.store.write() as conn:
            for kind, key in buckets:
                conn.execute(
                    update(m.SigninBucket)
                    .where(m.SigninBucket.key == key)
                    .values(tat=m.SigninBucket.tat - limits[kind].interval)
                )

    def prune(self, now: float) -> None:
        """Drop buckets that are full again (they behave exactly like missing ones)."""
        with self.store.write() as conn:
            conn.execute(delete(m.SigninBucket).where(m.SigninBucket.tat < now))

    @contextmanager
    def checking(self) -> Iterator[None]:
        """Hold one of the few password-check slots; raise TimeoutError when none frees up."""
        slots = _check_slots()
        if not slots.acquire(timeout=self.check_wait):
            raise TimeoutError("too many sign-ins are being checked")
        try:
            yield
        finally:
            slots.release()
