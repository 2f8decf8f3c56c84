"""A separate OS process for test_two_processes_pg: one app process or one refresh job.

    python -m tests.services.discovery.pg_worker app      # answers `query`, `wait`, `quit` lines
    python -m tests.services.discovery.pg_worker refresh  # on `go` refreshes; holds its first
                                                          # progress tick until `continue`

Settings come from the environment (TTCM_DATABASE_URL, TTCM_INDEX_DIR, ...) as an app process's
do; every command is answered by one JSON line on stdout.
"""

from __future__ import annotations

import json
import sys

from ttcm.refresh.progress import Progress


def say(**fields: object) -> None:
    """One JSON line to the test."""
    print(json.dumps(fields), flush=True)


def command() -> str:
    """The next line from the test ('' when it closed stdin)."""
    return sys.stdin.readline().strip()


def app() -> None:
    """An app process: the page's Services on the shared store, answering discovery queries."""
    from ttcm.auth import SYSTEM
    from ttcm.config import Settings
    from ttcm.runtime import shared_store
    from ttcm.services.discovery import index_cache
    from ttcm.services.discovery.filters import CreatorFilter
    from ttcm.web.context import Services

    settings = Settings.load()
    services = Services(shared_store(settings), settings)
    say(event="ready")
    while cmd := command():
        if cmd == "query":
            index = services.discovery.index(SYSTEM)
            result = services.discovery.search(SYSTEM, CreatorFilter(), limit=5)
            built, mapped = index_cache.builds()
            say(
                version=index.version,
                total=result.total,
                handles=[r["handle_name"] for r in result.rows],
                built=built,
                mapped=mapped,
            )
        elif cmd == "wait":
            index_cache.CACHE.wait(services.store)
            say(event="waited")
        else:
            say(error=f"unknown command {cmd!r}")


def refresh() -> None:
    """A refresh job, as `ttcm refresh` runs it, held at its first progress tick (lease taken)."""
    from ttcm.config import Settings
    from ttcm.refresh.errors import RefreshBusy
    from ttcm.refresh.run import Refresher
    from ttcm.runtime import make_client, open_store
    from ttcm.services.alerts import after_refresh

    settings = Settings.load()
    store = open_store(settings)
    held = False

    def hold(_progress: Progress) -> None:
        nonlocal held
        if not held:
            held = True
            say(event="running")
            if command() != "continue":
                raise SystemExit("the test did not say `continue`")

    with make_client(settings) as client:
        refresher = Refresher(store, client, progress=hold, after=(after_refresh,))
        say(event="ready")
        if command() != "go":
            raise SystemExit("the test did not say `go`")
        try:
            report = refresher.run()
        except RefreshBusy as exc:
            say(outcome="busy", message=str(exc))
            return
    say(outcome=report.status, run_id=report.run_id, error=report.error)


if __name__ == "__main__":
    {"app": app, "refresh": refresh}[sys.argv[1]]()
