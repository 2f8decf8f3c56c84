"""Exactly-once writes to TikTok: an intent row is claimed before a request is sent.

TikTok's write endpoints take no idempotency key (reliability.md §1.5, §5.3), so each write has a
business key (e.g. "order:<campaign>:<handle>") with a unique row in `write_intents`:
* the first caller inserts it as `pending` and sends; the unique key means only one thread or
  process can win, and the others wait for its result instead of sending again;
* a clean answer marks it `done` with the result, in the same transaction that records it;
* an ambiguous failure (timeout or 5xx after sending) marks it `unknown`; so does a crash,
  detected as a `pending` row older than `stale_after`; the next caller is told to look the
  object up on TikTok before re-sending (`resumed`);
* a definite rejection marks it `failed`, and a later call may simply send again.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from ttcm.auth import Principal
from ttcm.store import Store
from ttcm.store import models as m

STALE_AFTER = timedelta(seconds=120)


class WriteInProgress(RuntimeError):
    """Another session is sending the same write right now."""


@dataclass(frozen=True)
class Claim:
    """The right to send one write (or its earlier result)."""

    id: str
    resumed: bool = False  # an earlier attempt may have reached TikTok: look up first
    done_result: dict[str, Any] | None = None
    request_id: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def stale_or_missing(row: Any, now: datetime, stale_after: timedelta = STALE_AFTER) -> bool:
    """True when a pending intent's sender is presumed dead."""
    return row is None or _aware(row.updated_at) + stale_after < now


def claim(
    store: Store,
    key: str,
    kind: str,
    payload: dict[str, Any],
    actor: Principal,
    *,
    wait_seconds: float = 30.0,
    stale_after: timedelta = STALE_AFTER,
    poll: float = 0.1,
) -> Claim:
    """Claim the business key `key` for sending, or return the finished result."""
    deadline = time.monotonic() + wait_seconds
    while True:
        now = _now()
        try:
            with store.write() as conn:
                row = conn.execute(
                    select(m.WriteIntent).where(m.WriteIntent.business_key == key)
                ).first()
                if row is None:
                    intent_id = str(uuid.uuid4())
                    conn.execute(
                        m.WriteIntent.__table__.insert().values(
                            id=intent_id,
                            kind=kind,
                            business_key=key,
                            payload=_jsonable(payload),
                            status="pending",
                            actor=actor.username,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    return Claim(id=intent_id)
                if row.status == "done":
                    return Claim(id=row.id, done_result=row.result, request_id=row.request_id)
                takeover = row.status in ("unknown", "failed") or (
                    row.status == "pending" and stale_or_missing(row, now, stale_after)
                )
                if takeover:
                    conn.execute(
                        update(m.WriteIntent)
                        .where(m.WriteIntent.id == row.id, m.WriteIntent.status == row.status)
                        .values(status="pending", updated_at=now, actor=actor.username)
                    )
                    return Claim(
                        id=row.id, resumed=row.status != "failed", request_id=row.request_id
                    )
        except IntegrityError:
            continue  # another caller inserted the key first: read its row
        if time.monotonic() > deadline:
            raise WriteInProgress(
                "The same request is being sent from another session; try again in a moment."
            )
        time.sleep(poll)


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
            updated_at=_now(),
        )
    )


def mark(store: Store, intent_id: str, status: str, error: str | None = None) -> None:
    """Record `unknown` or `failed` in its own transaction (the send did not complete)."""
    with store.write() as conn:
        finish(conn, intent_id, status, None, None, error)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def mark_outcome(store: Store, intent_id: str, exc: BaseException) -> None:
    """After a failed send: `failed` when TikTok definitely refused, else `unknown`."""
    from ttcm.api import errors as api_errors

    never_left = isinstance(exc, api_errors.APIConnectionError) and not exc.sent
    refused = isinstance(exc, api_errors.APIStatusError) and not exc.transient
    throttled = isinstance(exc, api_errors.RateLimitError)  # a throttled request was not executed
    status = "failed" if never_left or refused or throttled else "unknown"
    mark(store, intent_id, status, f"{exc.__class__.__name__}: {exc}"[:500])
