"""Refresh started from the app: runs on a background thread, reports live progress."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from ttcm.api.client import TikTokOneClient
from ttcm.auth import Principal, require
from ttcm.refresh.errors import RefreshError
from ttcm.refresh.history import KEEP_ALL, HistoryPolicy
from ttcm.refresh.progress import Progress
from ttcm.refresh.run import AfterStep, Refresher, RunReport
from ttcm.refresh.status import RESOURCES
from ttcm.store import Store
from ttcm.store.audit import record

ClientFactory = Callable[[], TikTokOneClient]


@dataclass
class JobState:
    """What the page shows about the current or last refresh started here."""

    running: bool = False
    started_by: str | None = None
    started_at: float | None = None
    progress: Progress | None = None
    report: RunReport | None = None
    error: str | None = None
    resources: list[str] = field(default_factory=list)


_SHARED: dict[str, RefreshJobs] = {}
_SHARED_LOCK = threading.Lock()


class RefreshJobs:
    """One background refresh at a time per process (the lease covers other processes)."""

    @classmethod
    def shared(
        cls,
        store: Store,
        client_factory: ClientFactory,
        after: Sequence[AfterStep] = (),
        history: HistoryPolicy = KEEP_ALL,
    ) -> RefreshJobs:
        """The job runner of this process for a store (every session sees the same job)."""
        key = store.engine.url.render_as_string(hide_password=True)
        with _SHARED_LOCK:
            jobs = _SHARED.get(key)
            if jobs is None:
                jobs = _SHARED[key] = cls(store, client_factory, after, history)
            return jobs

    def __init__(
        self,
        store: Store,
        client_factory: ClientFactory,
        after: Sequence[AfterStep] = (),
        history: HistoryPolicy = KEEP_ALL,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        # every run here is the same kind of refresh: this store, these after-steps and history
        self._refresher = partial(Refresher, store, after=tuple(after), history=history)
        self._lock = threading.Lock()
        self._state = JobState()
        self._thread: threading.Thread | None = None

    def state(self) -> JobState:
        """A copy of the current state."""
        with self._lock:
            return JobState(**vars(self._state))

    def start(
        self, principal: Principal, resources: Sequence[str] = RESOURCES, *, full: bool = False
    ) -> bool:
        """Start a refresh unless one is running here; returns False when one already is."""
        require(principal, "refresh")
        with self._lock:
            if self._state.running:
                return False
            self._state = JobState(
                running=True,
                started_by=principal.username,
                started_at=time.time(),
                resources=list(resources),
            )
        with self.store.write() as conn:
            record(
                conn, principal.username, "refresh.start", ",".join(resources), {"full": full}, None
            )
        self._thread = threading.Thread(
            target=self._run,
            args=(list(resources), full, principal.username),
            name="ttcm-refresh",
            daemon=True,
        )
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running refresh ends (tests and the CLI)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _progress(self, p: Progress) -> None:
        with self._lock:
            self._state.progress = p

    def _run(self, resources: list[str], full: bool, actor: str) -> None:
        report, error = None, None
        try:
            with self.client_factory() as client:
                refresher = self._refresher(client, progress=self._progress, actor=actor)
                report = refresher.run(resources, full=full)
            error = report.error
        except RefreshError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - the page must learn that the thread died
            error = f"refresh stopped: {exc.__class__.__name__}"
        with self._lock:
            self._state.running = False
            self._state.report = report
            self._state.error = error
