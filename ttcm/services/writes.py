"""Exactly-once writes to TikTok: claim an intent and record the request before sending it.

TikTok's write endpoints take no idempotency key (docs/decisions.md §2), so each write has a
business key (e.g. "order:<campaign>:<handle>") with a unique row in `write_intents`:
* the first caller inserts it as `pending`; the unique key means only one thread or process can
  win, and the others wait for its result instead of sending again (`WriteInProgress` when the
  wait runs out);
* just before the POST the exact request is written into the row (`note`), so a later caller
  knows what may have reached TikTok;
* a clean answer marks it `done` with the result, in the same transaction that records it;
* an ambiguous failure (timeout or 5xx after sending) marks it `unknown`; so does a crash,
  detected at once when the row's holder process (host:pid:start, `ttcm.store.holders`) is gone
  from this host, else as a `pending` row untouched for `stale_after`; the next caller takes it
  over with `resumed=True` and must look the object up on TikTok before re-sending;
* a definite refusal (or a request that never left) marks it `failed`: a later call sends again.
Take-overs are compare-and-set on (status, updated_at), so two callers never both win one row.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from ttcm.auth import Principal
from ttcm.errors import Busy
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.holders import holder_id, holder_is_dead
from ttcm.store.timestamps import as_utc, utcnow

STALE_AFTER = timedelta(seconds=120)
OPEN = ("pending", "unknown")
_CHUNK = 500  # keys per IN (...) list: well under SQLite's parameter limit
_MAX_RACES = 50


class WriteInProgress(Busy):
    """Another session is sending the same write right now."""


@dataclass(frozen=True)
class Claim:
    """The right to send one write (or its earlier result)."""

    id: str
    key: str
    resumed: bool = False  # an earlier attempt may have reached TikTok: look up first
    done_result: dict[str, Any] | None = None
    request_id: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)  # what the last attempt recorded

    @property
    def done(self) -> bool:
        """True when the write already happened and `done_result` holds its result."""
        return self.done_result is not None


def stale_or_missing(row: Any, now: datetime, stale_after: timedelta = STALE_AFTER) -> bool:
    """True when a pending intent's sender is dead (its process is gone) or presumed dead."""
    return (
        row is None
        or holder_is_dead(getattr(row, "holder", None))
        or as_utc(row.updated_at) + stale_after < now
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _take(conn: Connection, row: Any, key: str, now: datetime, actor: Principal) -> Claim | None:
    """Compare-and-set take-over of an open or failed row; None when someone else won it."""
    took = conn.execute(
        update(m.WriteIntent)
        .where(
            m.WriteIntent.id == row.id,
            m.WriteIntent.status == row.status,
            m.WriteIntent.updated_at == row.updated_at,
        )
        .values(status="pending", updated_at=now, actor=actor.username, holder=holder_id())
    ).rowcount
    if not took:
        return None
    return Claim(
        id=row.id,
        key=key,
        resumed=row.status != "failed",
        request_id=row.request_id,
        payload=dict(row.payload or {}),
    )


def claim_many(
    store: Store,
    items: Mapping[str, dict[str, Any]],
    kind: str,
    actor: Principal,
    *,
    stale_after: timedelta = STALE_AFTER,
) -> dict[str, Claim | None]:
    """One pass over business keys -> payloads: a Claim per key, None where another sender is busy.

    All keys are claimed in one transaction, in key order, so two callers with overlapping keys
    never split them between each other half-way.
    """
    keys = sorted(items)
    for _ in range(_MAX_RACES):
        now = utcnow()
        out: dict[str, Claim | None] = {}
        try:
            with store.write() as conn:
                rows: dict[str, Any] = {}
                for i in range(0, len(keys), _CHUNK):
                    chunk = keys[i : i + _CHUNK]
                    for r in conn.execute(
                        select(m.WriteIntent).where(m.WriteIntent.business_key.in_(chunk))
                    ):
                        rows[r.business_key] = r
                for key in keys:
                    row = rows.get(key)
                    if row is None:
                        intent_id = str(uuid.uuid4())
                        payload = _jsonable(items[key])
                        conn.execute(
                            insert(m.WriteIntent).values(
                                id=intent_id,
                                kind=kind,
                                business_key=key,
                                payload=payload,
                                status="pending",
                                actor=actor.username,
                                holder=holder_id(),
                                created_at=now,
                                updated_at=now,
                            )
                        )
                        out[key] = Claim(id=intent_id, key=key, payload=payload)
                    elif row.status == "done":
                        out[key] = Claim(
                            id=row.id,
                            key=key,
                            done_result=dict(row.result or {}),
                            request_id=row.request_id,
                            payload=dict(row.payload or {}),
                        )
                    elif row.status in ("unknown", "failed") or (
                        row.status == "pending" and stale_or_missing(row, now, stale_after)
                    ):
                        out[key] = _take(conn, row, key, now, actor)
                    else:
                        out[key] = None
            return out
        except IntegrityError:
            continue  # another caller inserted one of the keys first: read again
    raise WriteInProgress("Too many sessions are sending the same request; try again.")


def claim(
    store: Store,
    key: str,
    kind: str,
    payload: dict[str, Any],
    actor: Principal,
    *,
    wait_seconds: float = 30.0,
    stale_after: timedelta = STALE_AFTER,
    poll: float = 0.05,
) -> Claim:
    """Claim the business key `key` for sending, or return the finished result."""
    deadline = time.monotonic() + wait_seconds
    while True:
        got = claim_many(store, {key: payload}, kind, actor, stale_after=stale_after)[key]
        if got is not None:
            return got
        if time.monotonic() >= deadline:
            raise WriteInProgress(
                "The same request is being sent from another session; try again in a moment."
            )
        time.sleep(poll)


def note(store: Store, payloads: Mapping[str, dict[str, Any]]) -> None:
    """Record the exact request in each claimed intent (id -> payload) just before sending it."""
    now = utcnow()
    with store.write() as conn:
        for intent_id, payload in payloads.items():
            conn.execute(
                update(m.WriteIntent)
                .where(m.WriteIntent.id == intent_id)
                .values(payload=_jsonable(payload), updated_at=now)
            )


def finish(
    conn: Connection,
    intent_id: str,
    status: str,
    request_id: str | None,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """Record an intent's outcome inside the caller's write transaction."""
    conn.execute(
        update(m.WriteIntent)
        .where(m.WriteIntent.id == intent_id)
        .values(
            status=status,
            request_id=request_id,
            result=_jsonable(result) if result is not None else None,
            error=error,
            updated_at=utcnow(),
        )
    )


def mark(store: Store, intent_ids: Sequence[str], status: str, error: str | None = None) -> None:
    """Record `unknown` or `failed` in its own transaction (the send did not complete)."""
    with store.write() as conn:
        for intent_id in intent_ids:
            finish(conn, intent_id, status, None, None, error)


def outcome_status(exc: BaseException) -> str:
    """`failed` when TikTok definitely did not act on the request, else `unknown`."""
    from ttcm.api import errors as api_errors

    never_left = isinstance(exc, api_errors.APIConnectionError) and not exc.sent
    refused = isinstance(exc, api_errors.APIStatusError) and not exc.transient
    throttled = isinstance(exc, api_errors.RateLimitError)  # a throttled request was not executed
    return "failed" if never_left or refused or throttled else "unknown"


def mark_outcome(store: Store, intent_ids: Sequence[str], exc: BaseException) -> str:
    """After a failed send: mark the intents `failed` or `unknown`; returns which."""
    status = outcome_status(exc)
    mark(store, intent_ids, status, f"{exc.__class__.__name__}: {exc}"[:500])
    return status


def open_intents(store: Store, key_prefix: str) -> list[dict[str, Any]]:
    """Intents under `key_prefix` that were sent (or are being sent) without a known outcome."""
    escaped = key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    with store.read() as conn:
        rows = conn.execute(
            select(m.WriteIntent)
            .where(
                m.WriteIntent.business_key.like(escaped + "%", escape="\\"),
                m.WriteIntent.status.in_(OPEN),
            )
            .order_by(m.WriteIntent.business_key)
        ).all()
    return [
        {
            "key": r.business_key,
            "status": r.status,
            "payload": dict(r.payload or {}),
            "error": r.error,
            "updated_at": r.updated_at,
        }
        for r in rows
    ]
