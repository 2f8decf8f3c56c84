"""Sliding-window request limits per token, like the real API's QPS / QPM buckets."""

from __future__ import annotations

import time
from bisect import bisect_right
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """At most `qps` requests in any 1 s window and `qpm` in any 60 s window, per key.

    Rejected requests are not counted, so a client that backs off is let through again as soon
    as the window has room.
    """

    def __init__(
        self, qps: float, qpm: float, time_fn: Callable[[], float] = time.monotonic
    ) -> None:
        self.qps, self.qpm = qps, qpm
        self._time = time_fn
        self._hits: dict[str, deque[float]] = {}
        self._blocked: dict[str, float] = {}  # key -> end of a QPM penalty

    def allow(self, key: str, penalty: float = 0.0) -> bool:
        """Count one request for `key` and say whether it is within the limits."""
        return self.check(key, penalty) is None

    def check(self, key: str, penalty: float = 0.0) -> str | None:
        """Count one request for `key`: None when allowed, else "qps", "qpm" or "penalty".

        With `penalty` > 0 a per-minute breach restricts the key for that many seconds, as
        TikTok does for 5 minutes (docs/contract.md, "Rate limits"); requests meanwhile are refused.
        """
        now = self._time()
        if now < self._blocked.get(key, float("-inf")):
            return "penalty"
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - 60.0:
            hits.popleft()
        if len(hits) >= self.qpm:
            if penalty > 0:
                self._blocked[key] = now + penalty
            return "qpm"
        last_second = len(hits) - bisect_right(hits, now - 1.0)
        if last_second >= self.qps:
            return "qps"
        hits.append(now)
        return None
