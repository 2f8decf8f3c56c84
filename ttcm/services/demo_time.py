"""Demo time: the sandbox's clock, read and moved by an admin, and the "now" the app shows.

When the API is the sandbox — in-process (`TTCM_API_BASE=sandbox`) or served on loopback
(`ttcm sandbox serve`) — invitations, orders, posts and Spark Ads move with the sandbox's clock,
so the app reads "now" from it too: days left, stats as of and pacing then match what the
sandbox reports. Against TikTok One, "now" is the real UTC time and there is no clock to move.
Every move is audited (who, how many hours, the time before and after).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from ttcm.auth import Principal, require
from ttcm.config import Settings
from ttcm.domain import format as numfmt
from ttcm.errors import InputError
from ttcm.runtime import in_process_sandbox, is_loopback_host, sandbox_clock_offset_hours
from ttcm.store import Store
from ttcm.store.audit import record

MAX_HOURS = 24 * 366  # one move covers at most a year (a typo of 10000 is refused, not done)
_TIMEOUT = 10.0


class ClockError(InputError):
    """The sandbox clock cannot be read or moved; the message says why and what to do."""


@dataclass(frozen=True)
class SandboxTime:
    """The sandbox's current time and where that sandbox runs."""

    now: datetime
    where: str


def served_root(settings: Settings) -> str | None:
    """The root URL of a sandbox served on loopback, or None (in-process, or not a sandbox)."""
    if settings.is_sandbox:
        return None
    parts = urlsplit(settings.api_base)
    return f"{parts.scheme}://{parts.netloc}" if is_loopback_host(parts.hostname or "") else None


def has_clock(settings: Settings) -> bool:
    """True when the configured API is a sandbox (in-process or on loopback)."""
    return settings.is_sandbox or served_root(settings) is not None


def _state_file_now(settings: Settings) -> datetime:
    """The in-process sandbox's time: real time plus the offset its state file keeps (every
    process on that file, the app and the CLI, reads the same offset)."""
    try:
        offset = sandbox_clock_offset_hours(settings)
    except ValueError as exc:
        raise ClockError(f"The sandbox state file cannot be read: {exc}") from None
    return datetime.now(UTC) + timedelta(hours=offset)


def _parse_now(raw: Any, where: str) -> datetime:
    try:
        now = datetime.fromisoformat(str(raw))
    except ValueError:
        raise ClockError(f"The sandbox at {where} answered a time ttcm cannot read.") from None
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def _served(method: str, url: str, where: str, body: dict[str, Any] | None = None) -> Any:
    try:
        answer = httpx.request(method, url, json=body, timeout=_TIMEOUT)
    except httpx.HTTPError as exc:
        raise ClockError(
            f"The sandbox at {where} did not answer ({exc.__class__.__name__})."
        ) from None
    if answer.status_code == 404:
        raise ClockError(f"{where} is not a ttcm sandbox: it has no clock to move.")
    try:
        payload = answer.json()
    except ValueError:
        payload = None
    if answer.status_code != 200 or not isinstance(payload, dict) or "now" not in payload:
        reason = payload.get("error") if isinstance(payload, dict) else None
        raise ClockError(
            f"The sandbox at {where} refused: {reason or f'HTTP {answer.status_code}'}."
        )
    return payload


def _not_a_sandbox(settings: Settings) -> ClockError:
    host = urlsplit(settings.api_base).hostname or settings.api_base
    return ClockError(
        f"The API is TikTok One at {host}, not the sandbox: only the sandbox has a clock to move."
    )


def sandbox_time(settings: Settings) -> SandboxTime:
    """The sandbox's current time (ClockError when the API is not a sandbox or does not answer)."""
    if settings.is_sandbox:
        return SandboxTime(_state_file_now(settings), "in-process sandbox")
    root = served_root(settings)
    if root is None:
        raise _not_a_sandbox(settings)
    payload = _served("GET", f"{root}/_sandbox/state", root)
    return SandboxTime(_parse_now(payload["now"], root), f"sandbox at {root}")


def app_now(settings: Settings) -> datetime:
    """The "now" the app shows: the sandbox's clock when the API is a sandbox, else real UTC."""
    if not has_clock(settings):
        return datetime.now(UTC)
    return sandbox_time(settings).now


def app_now_or_utc(settings: Settings) -> tuple[datetime, ClockError | None]:
    """`app_now`, or real UTC and the reason when the sandbox clock cannot be read."""
    try:
        return app_now(settings), None
    except ClockError as exc:
        return datetime.now(UTC), exc


def app_today(settings: Settings) -> date:
    """The UTC day of `app_now`."""
    return app_now(settings).astimezone(UTC).date()


def parse_hours(raw: Any) -> float:
    """Hours to move the clock by: a number above 0, at most MAX_HOURS; ClockError otherwise."""
    shown = str(raw)[:40]
    if isinstance(raw, bool) or raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ClockError("Give the hours to move the sandbox clock by, for example 24.")
    try:
        hours = float(raw)
    except (TypeError, ValueError):
        raise ClockError(f"Hours must be a number such as 24 or 1.5, not {shown!r}.") from None
    if math.isnan(hours):
        raise ClockError(f"Hours must be a number such as 24 or 1.5, not {shown!r}.")
    if hours <= 0:
        raise ClockError(f"The sandbox clock only moves forward: give hours above 0, not {shown}.")
    if hours > MAX_HOURS:
        raise ClockError(
            f"One move is at most {numfmt.count(MAX_HOURS)} hours (a year); {shown} is more. "
            "Move in steps."
        )
    return hours


def advance(
    store: Store, settings: Settings, actor: Principal, raw_hours: Any
) -> tuple[SandboxTime, SandboxTime]:
    """Move the sandbox's clock forward (admins only); returns the time before and after."""
    require(actor, "sandbox.clock")
    hours = parse_hours(raw_hours)
    before = sandbox_time(settings)
    if settings.is_sandbox:
        moved = in_process_sandbox(settings).advance(hours)
        after = SandboxTime(moved.astimezone(UTC), before.where)
    else:
        root = served_root(settings)
        assert root is not None  # sandbox_time refused every other API
        payload = _served("POST", f"{root}/_sandbox/clock/advance", root, {"hours": hours})
        after = SandboxTime(_parse_now(payload["now"], root), before.where)
    with store.write() as conn:
        record(
            conn,
            actor.username,
            "sandbox.clock.advance",
            before.where,
            {"hours": hours, "before": before.now.isoformat(), "after": after.now.isoformat()},
            None,
        )
    return before, after
