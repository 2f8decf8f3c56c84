"""Bytes on disk of a month of metric history on SQLite: 200 campaign posts and 50,000 creators.

Builds a fresh migrated SQLite file with `--creators` creators and `--posts` campaign posts, then
writes `--days` days of snapshots through the refresh's own code paths (the creator snapshot
upsert of `ttcm.store.rows_creators` and `ttcm.refresh.history.write_post_history`), one write
transaction a day as a daily refresh would, and prints the size the snapshots added.

    .venv/bin/python bench/history_size.py [--creators 50000] [--posts 200] [--days 30]

Prints `snapshot rows`, `bytes added` (file growth, after VACUUM on both sides) and bytes per
snapshot row. Sizes do not depend on machine load, so the full-size figure is meaningful here.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select

from ttcm.refresh.history import write_post_history
from ttcm.store import Store, upgrade
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert

START = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def vacuumed_size(path: Path) -> int:
    """The file's size once SQLite compacted it (and folded the WAL in)."""
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.execute("VACUUM")
    return path.stat().st_size


def build(store: Store, creators: int, posts: int) -> list[int]:
    """The cached creators and campaign posts the snapshots are about; returns creator pks."""
    with store.write() as conn:
        conn.execute(
            table_of(m.Creator).insert(),
            [
                {"handle_name": f"creator_{i:06d}", "first_seen_at": NOW, "fetched_at": NOW}
                for i in range(creators)
            ],
        )
        conn.execute(
            table_of(m.Post).insert(),
            [
                {"video_id": str(7_300_000_000_000_000_000 + i), "handle_name": "creator_000001",
                 "tracking": "order", "create_time": NOW, "fetched_at": NOW}
                for i in range(posts)
            ],
        )  # fmt: skip
        return list(
            conn.execute(table_of(m.Creator).select().with_only_columns(m.Creator.id)).scalars()
        )


def snapshot_day(store: Store, pks: list[int], day: date, k: int, rng: np.random.Generator) -> None:
    """One daily refresh's snapshots: every creator's counters and every post's."""
    n = len(pks)
    followers = rng.integers(1_000, 5_000_000, n)
    with store.write() as conn:
        upsert(
            conn,
            table_of(m.CreatorSnapshot),
            [
                {"creator_pk": pk, "day": day, "followers_count": int(f), "likes_count": int(f) * 9,
                 "videos_count": 120 + k, "avg_views": int(f) // 8, "median_views": int(f) // 11,
                 "engagement_rate": round(float(e), 4)}
                for pk, f, e in zip(pks, followers, rng.beta(2, 30, n), strict=True)
            ],
            key=["creator_pk", "day"],
        )  # fmt: skip
        p = table_of(m.Post)
        conn.execute(
            p.update().values(
                video_views=1000 + 500 * min(k, 20),
                likes=100 + k,
                comments=10 + k,
                shares=5 + k,
                favorites=7 + k,
                reach=800 + 40 * k,
                total_play_time=3500.5 * (k + 1),
                video_completion_rate=0.31,
            )
        )
        ids = list(conn.execute(select(p.c.video_id)).scalars())
        write_post_history(conn, day, ids if k < 21 else [])  # TikTok stops after day 21


def main() -> None:
    """Build the history and print its size."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--creators", type=int, default=50_000)
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--days", type=int, default=30)
    args = ap.parse_args()
    rng = np.random.default_rng(5)
    with tempfile.TemporaryDirectory(prefix="ttcm-history-") as folder:
        path = Path(folder) / "history.db"
        store = Store.from_url(f"sqlite:///{path}")
        upgrade(store.engine)
        pks = build(store, args.creators, args.posts)
        store.dispose()
        before = vacuumed_size(path)
        store = Store.from_url(f"sqlite:///{path}")
        for k in range(args.days):
            snapshot_day(store, pks, START + timedelta(days=k), k, rng)
        store.dispose()
        after = vacuumed_size(path)
    rows = args.days * (args.creators + args.posts)
    added = after - before
    print(
        f"{args.days} days x ({args.creators:,} creators + {args.posts:,} posts): "
        f"snapshot rows={rows:,} bytes added={added:,} ({added / 2**20:.1f} MiB) "
        f"bytes/row={added / rows:.1f}"
    )


if __name__ == "__main__":
    main()
