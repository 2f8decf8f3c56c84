"""A process-wide request limiter: `qps` per second and `qpm` per 60 s, shared by every thread.

The per-second limit is a token bucket in its GCRA form (one "theoretical arrival time"):
with `burst=1` requests are spaced `1/qps` apart, so the API's 1-second sliding window never
sees more than `qps`. The per-minute limit is exact: a log of the last `qpm` send times, so
no 60-second window holds more than `qpm` (a bucket refilling per second would allow twice that
across a window boundary). Callers reserve a slot under a lock and sleep outside it, which makes
the limiter fair (first come, first served) and cheap to share.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

WINDOW_SECONDS = 60.0


class RateLimiter:
    """Thread-safe limiter; `acquire()` blocks until one request may be sent."""

    def __init__(
        self,
        qps: float = 10.0,
        qpm: int = 600,
        *,
        burst: int = 1,
        safety: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not qps > 0:
            raise ValueError(f"qps must be positive, got {qps!r}")
        if int(qpm) < 1:
            raise ValueError(f"qpm must be at least 1, got {qpm!r}")
        if int(burst) < 1:
            raise ValueError(f"burst must be at least 1, got {burst!r}")
        self.qps = float(qps)
        self.qpm = int(qpm)
        self.burst = int(burst)
        if not 0 <= safety < 1:
            raise ValueError(f"safety must be in [0, 1), got {safety!r}")
        # spacing a little wider than 1/qps absorbs network jitter: the server counts arrivals,
        # and a late request k plus an on-time request k+qps would otherwise share its window
        self._interval = (1.0 + safety) / self.qps
        self._window = WINDOW_SECONDS * (1.0 + safety)
        self._tolerance = (self.burst - 1) * self._interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tat = float("-inf")  # theoretical arrival time of the next request (GCRA)
        self._last = float("-inf")  # latest slot handed out: slots never go backwards
        self._sent: deque[float] = deque()  # slots of the last 60 s, oldest first
        self._paused_until = float("-inf")
        self._notice: str | None = None  # "paused by TikTok until HH:MM UTC" while it lasts
        self._epoch = 0  # bumped by penalize(), so sleepers notice a pause that began meanwhile

    def reserve(self) -> float:
        """Reserve the next free slot and return its time (on `clock`); does not sleep."""
        with self._lock:
            return self._reserve_locked()

    def _reserve_locked(self) -> float:
        now = self._clock()
        slot = max(now, self._last, self._paused_until, self._tat - self._tolerance)
        sent = self._sent
        while sent and sent[0] <= slot - self._window:
            sent.popleft()
        if len(sent) >= self.qpm:
            slot = max(slot, sent[-self.qpm] + self._window)
            while sent and sent[0] <= slot - self._window:
                sent.popleft()
        sent.append(slot)
        self._tat = max(self._tat, slot) + self._interval
        self._last = slot
        return slot

    def acquire(self) -> float:
        """Wait for a slot; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                epoch = self._epoch
                delay = self._reserve_locked() - self._clock()
            if delay > 0:
                self._sleep(delay)
                waited += delay
            with self._lock:
                if self._epoch == epoch or self._clock() >= self._paused_until:
                    return waited
            # a penalty began while we slept: queue again behind it

    def penalize(self, seconds: float, *, notice: str | None = None) -> None:
        """Pause every caller for `seconds` from now (after the API said 'too many requests').

        `notice` is what people are shown while the pause lasts (see `pause_notice`).
        """
        if not seconds > 0:
            return
        with self._lock:
            until = self._clock() + seconds
            if until >= self._paused_until:
                self._notice = notice
            self._paused_until = max(self._paused_until, until)
            self._epoch += 1

    def pause_notice(self) -> str | None:
        """'paused by TikTok until HH:MM UTC' while a TikTok restriction lasts, else None."""
        with self._lock:
            if self._notice is None or self._clock() >= self._paused_until:
                return None
            return self._notice

    @property
    def paused_until(self) -> float:
        """Clock time before which no request is let through (-inf when not paused)."""
        with self._lock:
            return self._paused_until


_registry: dict[tuple[Hashable, float, int], RateLimiter] = {}
_registry_lock = threading.Lock()


SAFETY = 0.08  # at most 1/1.08 of the API limits: absorbs send delays (GIL, writer thread)


def shared_limiter(key: Hashable, qps: float = 10.0, qpm: int = 600) -> RateLimiter:
    """The process-wide limiter for `key` (e.g. API base + token digest) at these limits."""
    slot = (key, float(qps), int(qpm))
    with _registry_lock:
        limiter = _registry.get(slot)
        if limiter is None:
            limiter = _registry[slot] = RateLimiter(qps, qpm, safety=SAFETY)
        return limiter
