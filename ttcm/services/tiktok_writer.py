"""What every service that writes to TikTok holds: the store, a way to open a client, and how
long a second sender waits for the first (ttcm.services.writes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from ttcm.api.client import TikTokOneClient
from ttcm.services.writes import STALE_AFTER
from ttcm.store import Store


class TikTokWriter:
    """The base of services whose changes reach TikTok exactly once."""

    def __init__(
        self,
        store: Store,
        client_factory: Callable[[], TikTokOneClient],
        *,
        wait_seconds: float = 30.0,
        stale_after: timedelta = STALE_AFTER,
        poll: float = 0.05,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.wait_seconds = wait_seconds  # how long a second sender waits for the first
        self.stale_after = stale_after  # a silent sender after this is taken over
        self.poll = poll
