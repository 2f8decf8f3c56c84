"""The refresh's history step: the day's snapshot of every tracked post, kept past TikTok's window.

TikTok stops reporting a post 21 days after it was posted or once the creator posted 30 newer
videos (docs/contract.md). Every refresh that reported posts writes, for each post TikTok returned,
that day's lifetime counters (`reported` true); a post TikTok reported before but no longer
returns gets the day's row too, with the last values TikTok gave (`reported` false), so its series
goes on. One row per (post, day): a second refresh the same day updates the row, never adds one,
and never turns a day TikTok reported into an unreported one. Creator snapshots are written with
each page of creators (`ttcm.store.rows_creators`); this step prunes both kinds by the retention.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select

from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert

# the `posts` values a snapshot keeps (the same names in both tables)
SNAPSHOT_VALUES = (
    "video_views",
    "likes",
    "comments",
    "shares",
    "favorites",
    "reach",
    "total_play_time",
    "video_completion_rate",
)


@dataclass(frozen=True)
class HistoryPolicy:
    """Which day a refresh's snapshots belong to, and how many days of them are kept."""

    # the API's day (the sandbox's clock in a demo); None: the refresh's own clock
    day_clock: Callable[[], date] | None = None
    retention_days: int | None = None  # None keeps every day


KEEP_ALL = HistoryPolicy()  # the refresh's own day, every day kept


def write_post_history(conn: Connection, day: date, reported: Collection[str]) -> tuple[int, int]:
    """The day's snapshot of each post TikTok returned (`reported`) and of each post it reported
    on an earlier day but no longer returns; returns (reported, continued)."""
    p, s = m.Post, m.PostSnapshot
    wanted = set(reported)
    already = set(
        conn.execute(select(s.video_id).where(s.day == day, s.reported.is_(True))).scalars()
    )
    earlier = set(conn.execute(select(s.video_id).where(s.day < day).distinct()).scalars())
    ids = wanted | earlier | already
    if not ids:
        return 0, 0
    rows: list[dict[str, Any]] = []
    cols = [getattr(p, name) for name in SNAPSHOT_VALUES]
    for chunk in _chunks(sorted(ids), 500):
        for vid, *values in conn.execute(select(p.video_id, *cols).where(p.video_id.in_(chunk))):
            row = dict(zip(SNAPSHOT_VALUES, values, strict=True))
            row.update(video_id=vid, day=day, reported=vid in wanted or vid in already)
            rows.append(row)
    if not rows:
        return 0, 0
    upsert(conn, table_of(s), rows, key=["video_id", "day"])
    shown = sum(1 for r in rows if r["reported"])
    return shown, len(rows) - shown


def prune(conn: Connection, day: date, retention_days: int | None) -> int:
    """Remove post and creator snapshots older than `retention_days` days before `day` (that day
    and the `retention_days - 1` before it are kept); None keeps everything."""
    if retention_days is None:
        return 0
    oldest = day - timedelta(days=retention_days - 1)
    removed = 0
    for model in (m.PostSnapshot, m.CreatorSnapshot):
        result = conn.execute(delete(model).where(model.day < oldest))
        removed += max(result.rowcount or 0, 0)
    return removed


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
