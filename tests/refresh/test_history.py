"""The refresh's history step: one snapshot per post and day, continued after TikTok stops
reporting a post, and pruned by the retention."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, update

from ttcm.refresh.history import prune, write_post_history
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.tables import table_of

DAY1 = date(2026, 11, 2)
NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _post(store: Store, vid: str, views: int, tracking: str = "order") -> None:
    with store.write() as conn:
        conn.execute(
            table_of(m.Post)
            .insert()
            .values(
                video_id=vid,
                handle_name="maya",
                tracking=tracking,
                video_views=views,
                likes=views // 10,
                reach=views // 2,
                total_play_time=views * 3.5,
                video_completion_rate=0.31,
                create_time=NOW - timedelta(days=3),
                fetched_at=NOW,
            )
        )


def _views(store: Store, vid: str, views: int) -> None:
    with store.write() as conn:
        conn.execute(update(m.Post).where(m.Post.video_id == vid).values(video_views=views))


def _rows(store: Store, vid: str) -> list[tuple[date, bool, int | None]]:
    s = m.PostSnapshot
    with store.read() as conn:
        return [
            (r.day, r.reported, r.video_views)
            for r in conn.execute(
                select(s.day, s.reported, s.video_views).where(s.video_id == vid).order_by(s.day)
            )
        ]


def test_a_second_write_the_same_day_updates_that_days_row(store: Store) -> None:
    _post(store, "101", 1000)
    with store.write() as conn:
        assert write_post_history(conn, DAY1, ["101"]) == (1, 0)
    _views(store, "101", 1500)
    with store.write() as conn:
        assert write_post_history(conn, DAY1, ["101"]) == (1, 0)
    assert _rows(store, "101") == [(DAY1, True, 1500)]
    with store.read() as conn:
        snap = conn.execute(select(table_of(m.PostSnapshot))).one()
    assert (snap.likes, snap.reach, snap.total_play_time) == (100, 500, 3500.0)


def test_a_post_tiktok_no_longer_returns_goes_on_with_its_last_values(store: Store) -> None:
    _post(store, "101", 1000)
    _post(store, "202", 40)
    with store.write() as conn:
        write_post_history(conn, DAY1, ["101", "202"])
    day2, day3 = DAY1 + timedelta(days=1), DAY1 + timedelta(days=2)
    with store.write() as conn:
        assert write_post_history(conn, day2, ["202"]) == (1, 1)
    with store.write() as conn:
        assert write_post_history(conn, day3, []) == (0, 2)
    assert _rows(store, "101") == [(DAY1, True, 1000), (day2, False, 1000), (day3, False, 1000)]
    assert [r[1] for r in _rows(store, "202")] == [True, True, False]


def test_a_day_tiktok_reported_stays_reported(store: Store) -> None:
    _post(store, "101", 1000)
    with store.write() as conn:
        write_post_history(conn, DAY1 - timedelta(days=1), ["101"])
        write_post_history(conn, DAY1, ["101"])
    with store.write() as conn:  # a later refresh the same day that did not get the post
        assert write_post_history(conn, DAY1, []) == (1, 0)
    assert _rows(store, "101")[-1] == (DAY1, True, 1000)


def test_posts_tiktok_never_reported_get_no_history(store: Store) -> None:
    _post(store, "303", 70, tracking="manual")
    with store.write() as conn:
        assert write_post_history(conn, DAY1, []) == (0, 0)
    assert _rows(store, "303") == []


def test_retention_prunes_post_and_creator_snapshots(store: Store) -> None:
    _post(store, "101", 1000)
    with store.write() as conn:
        pk = conn.execute(
            table_of(m.Creator)
            .insert()
            .values(handle_name="maya", first_seen_at=NOW, fetched_at=NOW)
            .returning(m.Creator.id)
        ).scalar_one()
        for back in range(10):
            day = DAY1 - timedelta(days=back)
            write_post_history(conn, day, ["101"])
            conn.execute(
                table_of(m.CreatorSnapshot)
                .insert()
                .values(creator_pk=pk, day=day, followers_count=100 + back)
            )
    with store.write() as conn:
        assert prune(conn, DAY1, None) == 0
        assert prune(conn, DAY1, 7) == 3 + 3
    with store.read() as conn:
        days = conn.execute(select(func.min(m.CreatorSnapshot.day))).scalar_one()
    assert days == DAY1 - timedelta(days=6)
    assert [r[0] for r in _rows(store, "101")][0] == DAY1 - timedelta(days=6)
    assert len(_rows(store, "101")) == 7
