"""Discovery query latency while a refresh writes (issue 15): queries must never wait for a build.

Builds (or reuses) a SQLite store of N creators, warms the index, measures the typical
Discovery query for --quiet seconds with nothing writing, then runs a refresh-like writer
(batches of 1,000 changed creators, each committed with a bump of the creators data version, as
the refresh commits a page) while one reader issues the query in a loop. Every second it prints
the server-side query latency (the service call a page rerun makes) p50 / p95 / max of that
second, the data version the answers came from and the store's version. After the last batch
it goes on until the served version has caught up with the store (at most --catch-up seconds),
so the lag (how long new data takes to show) can be read off too; then a summary against the
quiet figures of the same run.

    .venv/bin/python bench/refresh_discovery.py --creators 20000 --seconds 6 --batches 4  # smoke
    .venv/bin/python bench/refresh_discovery.py --creators 1000000 --seconds 40           # figure

Target at 1M: max latency stays near the quiet p95 (no 10 s stall when a batch lands); the
served version catches up with the store within ~30 s of a batch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

from ttcm.auth import SYSTEM
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.search import Discovery
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.upsert import upsert

sys.path.insert(0, str(Path(__file__).parent))
from _gen import make_rows  # noqa: E402
from discovery import TYPICAL, build_store  # noqa: E402


def writer(
    store: Store, n: int, batches: int, pause: float, stop: threading.Event, commits: list[float]
) -> None:
    """Rewrite `batches` batches of 1,000 existing creators, bumping the version each time;
    appends each commit's perf_counter time to `commits`."""
    rng = np.random.default_rng(3)
    template = make_rows(1000, seed=99)
    for _ in range(batches):
        if stop.is_set():
            return
        start = int(rng.integers(0, max(1, n - 1000)))
        with store.read() as conn:
            handles = [
                h
                for (h,) in conn.execute(
                    m.Creator.__table__.select()
                    .with_only_columns(m.Creator.handle_name)
                    .where(m.Creator.id > start)
                    .order_by(m.Creator.id)
                    .limit(1000)
                )
            ]
        rows = [
            t | {"handle_name": h, "followers_count": int(t["followers_count"] or 0) + 1}
            for t, h in zip(template, handles, strict=False)
        ]
        with store.write() as conn:
            upsert(conn, m.Creator.__table__, rows, key=["handle_name"])
            versions.bump(conn, "creators")
        commits.append(time.perf_counter())
        stop.wait(pause)


def second_of_queries(discovery: Discovery) -> list[float]:
    """Milliseconds of each typical query run back to back for about one second."""
    samples: list[float] = []
    second_end = time.perf_counter() + 1
    while time.perf_counter() < second_end:
        q0 = time.perf_counter()
        discovery.search(SYSTEM, TYPICAL, limit=50)
        samples.append((time.perf_counter() - q0) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    """Measure, print one line per second, then the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=12, help="seconds measured while writing")
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between batches")
    parser.add_argument("--quiet", type=float, default=3, help="seconds measured before writing")
    parser.add_argument("--catch-up", type=float, default=180, help="longest wait for the lag")
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/ttcm-bench-refresh-{args.creators}.db")
    store = build_store(db, args.creators)
    discovery = Discovery(store)
    index_cache.forget()
    t0 = time.perf_counter()
    discovery.search(SYSTEM, TYPICAL, limit=50)
    print(f"index ready in {time.perf_counter() - t0:.2f} s ({args.creators:,} creators)")
    quiet: list[float] = []
    for _ in range(max(1, round(args.quiet))):
        quiet += second_of_queries(discovery)
    print(
        f"quiet: {len(quiet)} queries, p50 {statistics.median(quiet):.1f} ms, "
        f"p95 {p95(quiet):.1f} ms, max {max(quiet):.1f} ms",
        flush=True,
    )

    stop = threading.Event()
    commits: list[float] = []
    feed = threading.Thread(
        target=writer,
        args=(store, args.creators, args.batches, args.pause, stop, commits),
        daemon=True,
    )
    feed.start()
    print(f"{'t (s)':>6} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  served/store")
    begin = time.perf_counter()
    during: list[float] = []
    caught_up_at: float | None = None
    while True:
        samples = second_of_queries(discovery)
        during += samples
        served = discovery.index(SYSTEM).version
        with store.read() as conn:
            latest = versions.current(conn, "creators")
        now = time.perf_counter() - begin
        print(
            f"{now:6.1f} {len(samples):8d} {statistics.median(samples):8.1f} "
            f"{p95(samples):8.1f} {max(samples):8.1f}  {served}/{latest}",
            flush=True,
        )
        if feed.is_alive():
            if now >= args.seconds:
                stop.set()
            continue
        if served >= latest:
            caught_up_at = time.perf_counter()
            break
        if not commits or time.perf_counter() - commits[-1] > args.catch_up:
            break
    feed.join()
    worst = max(during)
    print(
        f"during the refresh: {len(during)} queries, p50 {statistics.median(during):.1f} ms, "
        f"p95 {p95(during):.1f} ms, max {worst:.1f} ms = {worst / p95(quiet):.1f}x the quiet p95"
    )
    if not commits:
        print("no batch was written (raise --seconds)")
    elif caught_up_at is None:
        print(f"the served index had not caught up {args.catch_up:.0f} s after the last batch")
    else:  # to within the second of queries that noticed it
        print(
            f"{len(commits)} batches; the last one was served {caught_up_at - commits[-1]:.1f} s "
            "after its commit"
        )


if __name__ == "__main__":
    main()
