"""The bulk upsert: inserts new rows, rewrites changed rows only, counts exactly."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.upsert import upsert

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _rows(n: int, bump: dict[int, int] | None = None) -> list[dict]:
    bump = bump or {}
    return [
        {
            "handle_name": f"h{i}",
            "display_name": f"Display {i}",
            "bio": 'bio with <b>html</b> and "quotes" and emoji 🎯',
            "followers_count": 1000 * i + bump.get(i, 0),
            "engagement_rate": 0.05,
            "is_tcm_creator": i % 2 == 0,
            "first_seen_at": NOW,
            "fetched_at": NOW,
            "source": m.API_SOURCE,
        }
        for i in range(n)
    ]


def _write(store: Store, rows: list[dict]) -> int:
    update = [c for c in rows[0] if c not in ("handle_name", "first_seen_at")]
    compare = [c for c in update if c != "fetched_at"]
    with store.write() as conn:
        return upsert(
            conn, m.Creator.__table__, rows, key=["handle_name"], update=update, compare=compare
        )


def test_insert_then_unchanged_then_changed(store: Store) -> None:
    assert _write(store, _rows(50)) == 50
    assert _write(store, _rows(50)) == 0
    assert _write(store, _rows(52, bump={3: 1, 7: 5})) == 4  # two changed + two new
    with store.session() as s:
        c3 = s.scalars(select(m.Creator).where(m.Creator.handle_name == "h3")).one()
        assert c3.followers_count == 3001
        assert c3.is_tcm_creator is False
        assert c3.first_seen_at.replace(tzinfo=UTC) == NOW
        assert "🎯" in c3.bio


def test_values_round_trip_through_the_orm(store: Store) -> None:
    _write(store, _rows(3))
    with store.session() as s:
        c = s.scalars(select(m.Creator).where(m.Creator.handle_name == "h2")).one()
        assert c.fetched_at.replace(tzinfo=UTC) == NOW
        assert c.engagement_rate == 0.05


def test_json_and_date_columns_use_the_column_types(store: Store) -> None:
    with store.write() as conn:
        upsert(
            conn,
            m.Order.__table__,
            [
                {
                    "order_id": "1",
                    "handle_name": "a",
                    "video_ids": ["1", "2"],
                    "source": m.API_SOURCE,
                    "fetched_at": NOW,
                }
            ],
            key=["order_id"],
        )
    with store.session() as s:
        assert s.get(m.Order, "1").video_ids == ["1", "2"]


def test_do_nothing_when_update_is_empty(store: Store) -> None:
    row = {"label_id": "1", "label_type": "content", "label_name": "a"}
    with store.write() as conn:
        assert upsert(conn, m.Label.__table__, [row], key=["label_id"], update=()) == 1
        assert (
            upsert(
                conn, m.Label.__table__, [{**row, "label_name": "b"}], key=["label_id"], update=()
            )
            == 0
        )
    with store.read() as conn:
        assert conn.execute(text("SELECT label_name FROM labels")).scalar() == "a"


def test_empty_input_writes_nothing(store: Store) -> None:
    with store.write() as conn:
        assert upsert(conn, m.Creator.__table__, [], key=["handle_name"]) == 0


def test_sqlite_text_index_follows_upserts(sqlite_store: Store) -> None:
    _write(sqlite_store, _rows(5))
    rows = _rows(5)
    rows[1]["display_name"] = "Mirabelle Quux"
    _write(sqlite_store, rows)
    with sqlite_store.read() as conn:
        hits = conn.execute(
            text("SELECT rowid FROM creators_fts WHERE creators_fts MATCH '\"mirab\"'")
        ).all()
        assert len(hits) == 1
        gone = conn.execute(
            text("SELECT rowid FROM creators_fts WHERE creators_fts MATCH '\"display 1\"'")
        ).all()
        assert gone == []
