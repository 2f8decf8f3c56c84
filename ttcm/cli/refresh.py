"""`ttcm refresh` (with its progress bar) and `ttcm purge-legacy`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ttcm.cli.common import CLIError, csv_list, load_settings
from ttcm.domain import format as numfmt

if TYPE_CHECKING:
    from ttcm.refresh.progress import Progress


def _resources(text: str) -> list[str]:
    from ttcm.refresh.status import RESOURCES

    names = csv_list(text)
    if not names:
        raise argparse.ArgumentTypeError(f"name at least one of {','.join(RESOURCES)}")
    unknown = [n for n in names if n not in RESOURCES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown resource {unknown[0]!r}; choose from {','.join(RESOURCES)}"
        )
    return names


class ProgressBar:
    """A one-line progress bar on stderr (a line per second when stderr is not a terminal)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.width = 0
        self.printed_at = 0.0

    def __call__(self, p: Progress) -> None:
        import time

        from ttcm.api.transport import PAUSE_PREFIX

        if p.total:
            filled = int(24 * min(p.done, p.total) / p.total)
            done, total = numfmt.count(p.done), numfmt.count(p.total)
            bar = f"[{'#' * filled}{'.' * (24 - filled)}] {done}/{total}"
        else:
            bar = f"{numfmt.count(p.done)} rows"
        rate = numfmt.rate(p.rate)
        head = f"{p.resource:16} {bar}  {numfmt.count(p.requests)} requests, {rate}"
        if p.message.startswith(PAUSE_PREFIX):  # the notice whole, the counts shortened
            line = f"{head[: max(0, 118 - len(p.message))]}  {p.message}"
        else:
            line = f"{head}  {p.message}"[:120]
        if self.tty:
            sys.stderr.write("\r" + line.ljust(self.width))
            sys.stderr.flush()
            self.width = len(line)
        elif time.monotonic() - self.printed_at >= 1.0 or p.message.startswith(PAUSE_PREFIX):
            # a TikTok pause is followed by minutes of silence: never drop its notice
            print(line, file=sys.stderr)
            self.printed_at = time.monotonic()

    def close(self) -> None:
        """End the bar's line."""
        if self.tty and self.width:
            sys.stderr.write("\n")


def cmd_refresh(args: argparse.Namespace) -> int:
    """Refresh the store from the API."""
    from ttcm.refresh.run import Refresher
    from ttcm.refresh.status import RESOURCES, store_is_empty
    from ttcm.runtime import make_client, open_store
    from ttcm.services.alerts import alerts_on
    from ttcm.services.demo_time import app_now_or_utc
    from ttcm.services.history import history_policy

    resources = list(RESOURCES) if args.resources is None else args.resources
    settings = load_settings()
    store = open_store(settings)
    if args.if_empty and not store_is_empty(store):
        print("cache already filled; not refreshing (run `ttcm refresh` to update it)")
        return 0
    bar = ProgressBar()
    with make_client(settings) as client:
        refresher = Refresher(
            store,
            client,
            progress=bar,
            after=(alerts_on(lambda: app_now_or_utc(settings)[0]),),
            history=history_policy(settings),
        )
        report = refresher.run(resources, full=args.full)
    bar.close()
    parts = [
        f"{res}: " + ", ".join(f"{k} {numfmt.count(v)}" for k, v in counts.items())
        for res, counts in report.counts.items()
    ]
    resumed = f" (resumed run {report.resumed_from})" if report.resumed_from else ""
    print(
        f"refresh run {report.run_id} {report.status}{resumed} in "
        f"{numfmt.elapsed(report.seconds)}, {numfmt.count(report.requests)} requests"
    )
    for part in parts:
        print(f"  {part}")
    if report.status != "ok":
        raise CLIError(report.error or "refresh failed")
    return 0


def cmd_purge_legacy(args: argparse.Namespace) -> int:
    """Remove TikTok data that did not come from the API."""
    from ttcm.runtime import open_store
    from ttcm.store.purge import purge_legacy

    removed = purge_legacy(open_store(load_settings()))
    total = sum(removed.values())
    for table, n in removed.items():
        print(f"{table:24} {numfmt.count(n):>10} removed")
    print(f"purged {numfmt.count(total)} rows of non-API TikTok data; team records kept")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `refresh` and `purge-legacy`."""
    refresh = subparsers.add_parser("refresh", help="refresh the local cache from TikTok One")
    refresh.add_argument(
        "--resources", type=_resources, help="creators,campaigns,orders,posts,spark"
    )
    refresh.add_argument(
        "--full", action="store_true", help="re-fetch everything, not only changes"
    )
    refresh.add_argument(
        "--if-empty", action="store_true", help="only when the cache has no creators"
    )
    refresh.set_defaults(func=cmd_refresh)

    purge = subparsers.add_parser(
        "purge-legacy", help="remove TikTok data that did not come from the API"
    )
    purge.set_defaults(func=cmd_purge_legacy)
