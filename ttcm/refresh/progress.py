"""Where a running refresh is: the `Progress` it reports and the ticker that builds it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ttcm.api.client import TikTokOneClient


@dataclass
class Progress:
    """Where a running refresh is, for progress bars."""

    resource: str
    done: int
    total: int | None
    requests: int
    elapsed: float
    message: str = ""

    @property
    def rate(self) -> float:
        """Requests per second so far."""
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0


ProgressFn = Callable[[Progress], None]


class Ticker:
    """Reports a run's progress to a listener (if any), counting requests from the run's start."""

    def __init__(self, listener: ProgressFn | None, client: TikTokOneClient) -> None:
        self.listener = listener
        self.client = client
        self.resource = "account"  # the step now running, for a pause notice
        self.seen = 0  # creators seen by the discover sweep so far
        self._t0 = time.monotonic()
        self._sent_at_start = client.requests_sent

    @property
    def requests(self) -> int:
        """HTTP requests this run has sent (retries included)."""
        return self.client.requests_sent - self._sent_at_start

    @property
    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.monotonic() - self._t0

    def tick(self, resource: str, done: int, total: int | None, message: str = "") -> None:
        """Tell the listener where the run is."""
        if self.listener is not None:
            self.listener(
                Progress(
                    resource=resource,
                    done=done,
                    total=total,
                    requests=self.requests,
                    elapsed=self.elapsed,
                    message=message,
                )
            )
