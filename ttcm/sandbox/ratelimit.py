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

    def allow(self, key: str) -> bool:
        """Count one request for `key` and say whether it is within the limits."""
        now = self._time()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - 60.0:
            hits.popleft()
        last_second = len(hits) - bisect_right(hits, now - 1.0)
        if last_second >= self.qps or len(hits) >= self.qpm:
            return False
        hits.append(now)
        return True
