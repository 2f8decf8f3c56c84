"""When and how long to wait before sending a request again (docs/decisions.md §3).

Modelled on the Anthropic/OpenAI SDKs: exponential backoff `min(0.5 * 2**n, 8)` shortened by up
to 25 % at random, and a server's `retry-after-ms` / `Retry-After` honoured when 0 < value <= 60 s.
TikTok throttling (40100 & co.) comes in a 200 envelope without a header: it waits at least 1 s
plus jitter, growing per throttled attempt, under its own bound.
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ttcm.api.errors import (
    APIConnectionError,
    MalformedResponseError,
    RateLimitError,
    TikTokAPIError,
)

_QPM = re.compile(r"\bQPM\b|per[- ]minute", re.IGNORECASE)
_QPD = re.compile(r"\bQPD\b|per[- ]day|daily", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry bounds and delays; one instance per client."""

    max_retries: int = 2  # transient failures of reads
    max_throttle_retries: int = 6  # throttled answers, reads and writes alike
    initial_delay: float = 0.5
    max_delay: float = 8.0
    throttle_delay: float = 1.0
    max_retry_after: float = 60.0
    qpm_penalty: float = 300.0  # TikTok restricts the app 5 minutes after a per-minute breach
    max_throttle_wait: float = 900.0  # total wait for throttling before a request fails

    def penalty(self, err: RateLimitError, now: datetime) -> float | None:
        """Seconds TikTok restricts the app after this throttle (QPM: 5 min, QPD: until 00:00 UTC).

        The kind is read from the message ("App reaches the QPM limit.") [assumed: the wording
        of the QPM/QPD messages is not documented; the QPS one is]. None for a per-second throttle.
        """
        text = err.message or ""
        if _QPD.search(text):
            midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
            return max(1.0, (midnight - now).total_seconds())
        if _QPM.search(text):
            return self.qpm_penalty
        return None

    def backoff(self, retries: int, rng: Callable[[], float]) -> float:
        """Delay before retry number `retries` (0-based) of a transient failure."""
        delay = min(self.initial_delay * 2.0**retries, self.max_delay)
        return delay * (1.0 - 0.25 * rng())

    def throttle_backoff(self, throttles: int, rng: Callable[[], float]) -> float:
        """Delay after throttled answer number `throttles` (0-based): at least 1 s, plus jitter."""
        return min(self.throttle_delay * 2.0**throttles, self.max_delay) + rng()

    def honoured(self, retry_after: float | None) -> float | None:
        """The server's requested wait when it is usable (0 < value <= 60 s), else None."""
        if retry_after is None or not 0 < retry_after <= self.max_retry_after:
            return None
        return retry_after

    def delay(
        self,
        err: TikTokAPIError,
        *,
        write: bool,
        retries: int,
        throttles: int,
        malformed_retried: bool,
        rng: Callable[[], float],
    ) -> float | None:
        """Seconds to wait before sending again, or None when `err` must be raised.

        A throttled request was not executed, so it is retried for writes too. Any other failure
        of a write is ambiguous (it may have been executed) unless the connection never opened.
        """
        if isinstance(err, RateLimitError):
            if throttles >= self.max_throttle_retries:
                return None
            wait = self.honoured(err.retry_after)
            return wait if wait is not None else self.throttle_backoff(throttles, rng)
        if not err.transient or retries >= self.max_retries:
            return None
        if write and not (isinstance(err, APIConnectionError) and not err.sent):
            return None
        if isinstance(err, MalformedResponseError) and malformed_retried:
            return None
        wait = self.honoured(err.retry_after)
        return wait if wait is not None else self.backoff(retries, rng)


def parse_retry_after(
    headers: Mapping[str, str], now: Callable[[], float] = time.time
) -> float | None:
    """Seconds from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date; else None."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000.0
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        return when.timestamp() - now()
    return value if math.isfinite(value) else None
