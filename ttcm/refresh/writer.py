"""Pipelined page writes: one thread commits pages in order while the run fetches the next."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from sqlalchemy import Connection

from ttcm.store import Store

Job = Callable[[Connection], None]


class PageWriter:
    """Commits page jobs in order on one thread while the caller fetches the next page.

    Each job runs in its own short write transaction and updates the run's checkpoint inside
    it, so what a crash leaves behind is always a committed page plus the checkpoint that
    follows it. Only this thread touches the run's counts and checkpoint while jobs are queued.
    """

    def __init__(self, store: Store, depth: int = 2) -> None:
        self.store = store
        self._jobs: queue.Queue[Job | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="ttcm-refresh-writer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    with self.store.write() as conn:
                        job(conn)
            except BaseException as exc:  # noqa: BLE001 - handed to the fetching thread
                self._error = exc
            finally:
                self._jobs.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def submit(self, job: Job) -> None:
        """Queue a job (blocks while `depth` jobs wait); re-raises an earlier job's failure."""
        self._raise()
        self._jobs.put(job)

    def flush(self) -> None:
        """Wait until every queued job is committed; re-raises a failure."""
        self._jobs.join()
        self._raise()

    def close(self) -> None:
        """Commit what is queued and stop the thread (a second call does nothing)."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
