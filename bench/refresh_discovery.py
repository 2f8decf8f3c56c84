"""Discovery query latency while a refresh writes (issue 15): queries must never wait for a build.

Builds (or reuses) a SQLite store of N creators, warms the index, then runs a refresh-like
writer (batches of changed creators, each bumping the creators data version, as the refresh
does) while one reader issues the typical Discovery query in a loop. Every second it prints the
query latency p50 / p95 / max of that second, the data version the answers came from and the
store's version, so the lag (how long new data takes to show) can be read off too.

    .venv/bin/python bench/refresh_discovery.py [--creators 1000000] [--seconds 40]

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


def writer(store: Store, n: int, batches: int, pause: float, stop: threading.Event) -> None:
    """Rewrite `batches` batches of 1,000 existing creators, bumping the version each time."""
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
        stop.wait(pause)


def main() -> None:
    """Measure, print one line per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between batches")
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/ttcm-bench-refresh-{args.creators}.db")
    store = build_store(db, args.creators)
    discovery = Discovery(store)
    index_cache.forget()
    t0 = time.perf_counter()
    discovery.search(SYSTEM, TYPICAL, limit=50)
    print(f"index ready in {time.perf_counter() - t0:.2f} s ({args.creators:,} creators)")

    stop = threading.Event()
    feed = threading.Thread(
        target=writer, args=(store, args.creators, args.batches, args.pause, stop), daemon=True
    )
    feed.start()
    print(f"{'t (s)':>6} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  served/store")
    begin = time.perf_counter()
    worst = 0.0
    while time.perf_counter() - begin < args.seconds:
        second_end = time.perf_counter() + 1
        samples: list[float] = []
        while time.perf_counter() < second_end:
            q0 = time.perf_counter()
            discovery.search(SYSTEM, TYPICAL, limit=50)
            samples.append((time.perf_counter() - q0) * 1000)
        served = discovery.index(SYSTEM).version
        with store.read() as conn:
            latest = versions.current(conn, "creators")
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        worst = max(worst, ordered[-1])
        print(
            f"{time.perf_counter() - begin:6.1f} {len(samples):8d} "
            f"{statistics.median(ordered):8.1f} {p95:8.1f} {ordered[-1]:8.1f}  {served}/{latest}",
            flush=True,
        )
    stop.set()
    feed.join()
    print(f"worst query during the refresh: {worst:.1f} ms")


if __name__ == "__main__":
    main()
