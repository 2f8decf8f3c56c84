"""Refresh: TikTok One API -> store, in short batches, resumable, one refresh at a time.

Shape of a run (docs/decisions.md §5):
* a lease row makes the refresh single-flight across processes; it is renewed with every batch;
* every batch (one API page) is written in one short write transaction together with the run's
  checkpoint, so a reader never sees half a batch and a run killed at any point resumes exactly
  after its last committed batch;
* rows are only rewritten when a value changed, so a second run over unchanged data writes
  nothing but its own bookkeeping;
* a run that dies leaves the previous data whole: nothing is deleted by a refresh.

Each resource's fetch lives in its own module (creators, campaigns, orders, posts, spark) as a
step taking the run's context; this module orders the steps and keeps the run's books.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ttcm.api import errors as api_errors
from ttcm.api.client import TikTokOneClient
from ttcm.refresh.account import refresh_account_and_labels
from ttcm.refresh.campaigns import refresh_campaigns
from ttcm.refresh.context import RunContext
from ttcm.refresh.creators import refresh_creators
from ttcm.refresh.errors import RefreshBusy, RefreshError
from ttcm.refresh.history import KEEP_ALL, HistoryPolicy, prune, write_post_history
from ttcm.refresh.lease import LEASE_SECONDS, Lease
from ttcm.refresh.orders import refresh_orders
from ttcm.refresh.posts import refresh_posts
from ttcm.refresh.progress import ProgressFn, Ticker
from ttcm.refresh.runs import RunState, finish_run, start_run
from ttcm.refresh.spark import refresh_spark
from ttcm.refresh.status import RESOURCES
from ttcm.refresh.writer import PageWriter
from ttcm.store import Store
from ttcm.store.timestamps import utcnow

Step = Callable[[RunContext], None]
AfterStep = Callable[[Store, Callable[[], datetime]], object]

STEPS: dict[str, Step] = {
    "creators": refresh_creators,
    "campaigns": refresh_campaigns,
    "orders": refresh_orders,
    "posts": refresh_posts,
    "spark": refresh_spark,
}


@dataclass
class RunReport:
    """What a refresh run did."""

    run_id: int
    status: str
    counts: dict[str, dict[str, int]]
    requests: int
    seconds: float
    error: str | None = None
    resumed_from: int | None = None


def _failure(exc: Exception) -> str:
    """The run's error line for a failure that ends it."""
    if isinstance(exc, api_errors.TokenExpiredError | api_errors.TokenInvalidError):
        return (
            f"access token rejected by TikTok: {exc.message} "
            "(renew TTCM_ACCESS_TOKEN, then run the refresh again; it resumes)"
        )
    if isinstance(exc, api_errors.TikTokAPIError):
        return f"TikTok API error: {exc}"
    return str(exc)


class Refresher:
    """Runs refreshes of a store from a TikTok One client."""

    def __init__(
        self,
        store: Store,
        client: TikTokOneClient,
        *,
        progress: ProgressFn | None = None,
        now: Callable[[], datetime] = utcnow,
        owner: str | None = None,
        lease_seconds: int = LEASE_SECONDS,
        actor: str = "system",
        after: Sequence[AfterStep] = (),
        history: HistoryPolicy = KEEP_ALL,
    ) -> None:
        # `after` runs at the end of every refresh that got to finish its books (ok or failed,
        # not one stopped by the user), still under the lease, with the store and the clock; the
        # caller passes the services' steps (the alerts), which the refresh may not import
        self.store = store
        self.after = tuple(after)
        self.history = history
        self.actor = actor
        self.client = client
        self.progress = progress
        self.now = now
        self.lease = Lease(store, now, owner=owner, seconds=lease_seconds)
        self._ticker = Ticker(progress, client)

    @property
    def owner(self) -> str:
        """The lease holder id of this refresher."""
        return self.lease.owner

    def _paused(self, notice: str, seconds: float) -> None:
        """TikTok restricts the app: keep the lease through the pause and say until when."""
        self.lease.hold_through(seconds)
        self._ticker.tick(self._ticker.resource, self._ticker.seen, None, notice)

    def run(self, resources: Sequence[str] = RESOURCES, *, full: bool = False) -> RunReport:
        """Refresh `resources`; resumes an interrupted run's checkpoint when there is one."""
        unknown = [r for r in resources if r not in RESOURCES]
        if unknown:
            raise RefreshError(
                f"unknown resource {unknown[0]!r}; choose from {', '.join(RESOURCES)}"
            )
        self._ticker = Ticker(self.progress, self.client)
        self.lease.acquire()
        # while TikTok restricts the app, the progress line says until when (issue 14)
        previous_listener = self.client.on_pause
        self.client.on_pause = self._paused
        try:
            run = start_run(self.store, self.owner, resources, full, self.now())
            status, error = self._steps(run, resources, full)
            if status == "ok":
                self._history(run, resources)
            self._finish(run, status, error, resources)
            for after in self.after:
                after(self.store, self.now)
            return RunReport(
                run_id=run.id,
                status=status,
                counts=run.counts,
                requests=self._ticker.requests,
                seconds=self._ticker.elapsed,
                error=error,
                resumed_from=run.resumed_from,
            )
        finally:
            self.client.on_pause = previous_listener
            self.lease.release()

    def _today(self) -> date:
        clock = self.history.day_clock
        return clock() if clock is not None else self.now().date()

    def _history(self, run: RunState, resources: Sequence[str]) -> None:
        """The day's post snapshots (when this run reported posts) and the retention's prune."""
        day = self._today()
        with self.store.write() as conn:
            if "posts" in resources:
                reported = run.checkpoint.get("posts", {}).get("reported", [])
                shown, continued = write_post_history(conn, day, reported)
                run.add("history", "reported", shown)
                run.add("history", "continued", continued)
            pruned = prune(conn, day, self.history.retention_days)
            if pruned:
                run.add("history", "pruned", pruned)

    def _steps(self, run: RunState, resources: Sequence[str], full: bool) -> tuple[str, str | None]:
        """Run the account step and each resource's step; returns the run's status and error."""
        writer = PageWriter(self.store)
        ctx = RunContext(
            self.store,
            self.client,
            self.now,
            self.lease,
            run,
            writer,
            self._ticker,
            full,
            self.history.day_clock,
        )
        try:
            refresh_account_and_labels(ctx)
            for resource in resources:
                if run.is_completed(resource):
                    continue
                self._ticker.resource = resource
                STEPS[resource](ctx)
        except (api_errors.TikTokAPIError, RefreshBusy) as exc:
            return "failed", _failure(exc)
        except KeyboardInterrupt:
            writer.close()  # keep the pages already fetched
            self._finish(run, "interrupted", "stopped by the user", resources)
            raise
        finally:
            writer.close()
        return "ok", None

    def _finish(
        self, run: RunState, status: str, error: str | None, resources: Sequence[str]
    ) -> None:
        finish_run(
            self.store,
            run,
            status=status,
            error=error,
            resources=resources,
            actor=self.actor,
            now=self.now(),
        )
