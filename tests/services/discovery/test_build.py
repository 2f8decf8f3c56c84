"""The index build: every column encodes each creator as the row rule says, on both backends."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from tests.conftest import migrated_store, pg_url_for
from ttcm.services.discovery.build import build
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.upsert import upsert

NOW = datetime(2026, 12, 1, tzinfo=UTC)
# upper before lower, accents, a sharp s, Greek, full-width letters and emoji: code-point order
HANDLES = ["zed", "Zed", "a", "A", "aB", "ab", "_under", "123", "émile", "ßeta", "Ωmega",
           "ｆｕｌｌ", "🎯kai", "kai🎯", "z", "e", "f"]  # fmt: skip


def creator(handle: str, **values: Any) -> dict[str, Any]:
    """A creators row with only the given values known."""
    return {"handle_name": handle, "source": m.API_SOURCE, "first_seen_at": NOW,
            "fetched_at": NOW, **values}  # fmt: skip


def write(store: Store, rows: list[dict[str, Any]]) -> None:
    with store.write() as conn:
        for row in rows:  # one at a time: ids follow the list, whatever keys a row leaves out
            upsert(conn, m.Creator.__table__, [row], key=["handle_name"])
        versions.bump(conn, "creators")


def test_ties_are_broken_by_handle_in_code_point_order(store) -> None:
    shuffled = HANDLES[:]
    random.Random(4).shuffle(shuffled)
    write(store, [creator(h) for h in shuffled])
    data = build(store)
    in_rank_order = np.argsort(data.cols["handle_rank"])
    # index positions follow the ids, which follow the order the rows were written in
    assert [shuffled[int(i)] for i in in_rank_order] == sorted(HANDLES)
    assert sorted(data.cols["handle_rank"].tolist()) == list(range(len(HANDLES)))


def test_codes_follow_first_appearance_and_unknown_is_zero(store) -> None:
    states = [None, "NY", "CA", "NY", "Bayern", None]
    write(store, [creator(f"s{i}", state_province=s) for i, s in enumerate(states)])
    data = build(store)
    assert data.vocab["state"] == ["NY", "CA", "Bayern"]
    assert data.cols["state"].tolist() == [0, 1, 2, 1, 3, 0]


def test_language_and_label_sets_become_bits(store) -> None:
    langs = [",en,es,", None, ",es,", ",xx-new,", ",en,xx-new,"]
    write(store, [creator(f"l{i}", languages=v) for i, v in enumerate(langs)])
    data = build(store)
    vocab = data.vocab["language"]
    assert vocab[-1] == "xx-new"  # an item the rules do not know is learned in order

    def bits(*items: str) -> int:
        return sum(1 << vocab.index(x) for x in items)

    assert data.cols["languages"].tolist() == [
        bits("en", "es"),
        0,
        bits("es"),
        bits("xx-new"),
        bits("en", "xx-new"),
    ]


def test_yes_no_unknown_columns_and_missing_numbers(store) -> None:
    rows = [
        creator("t0", is_tcm_creator=True, account_type="PERSONAL", followers_count=1200),
        creator("t1", is_tcm_creator=False, account_type="BUSINESS", engagement_rate=0.05),
        creator("t2"),
    ]
    write(store, rows)
    data = build(store)
    assert data.cols["tcm"].tolist() == [1, 0, -1]
    assert data.cols["personal"].tolist() == [1, 0, -1]
    assert data.cols["followers"][0] == 1200 and np.isnan(data.cols["followers"][1:]).all()
    assert np.isnan(data.cols["er"][[0, 2]]).all() and data.cols["er"][1] == 0.05
    assert data.cols["follower_bin"].tolist() == [0, -1, -1]


def test_an_empty_store_builds_an_empty_index(store) -> None:
    data = build(store)
    assert data.size == 0
    assert all(col.size == 0 for col in data.cols.values())


@pytest.mark.postgres
def test_a_linguistic_column_collation_keeps_code_point_order(pg_schema, migrated_sqlite) -> None:
    """A team database created with e.g. en_US collation sorts "a" next to "A": not used here."""
    store = migrated_store(pg_url_for(pg_schema), migrated_sqlite)
    try:
        with store.write() as conn:
            conn.execute(
                text(
                    "ALTER TABLE creators ALTER COLUMN handle_name"
                    ' TYPE varchar(100) COLLATE "und-x-icu"'
                )
            )
        write(store, [creator(h) for h in HANDLES])
        data = build(store)
    finally:
        store.dispose()
    assert [HANDLES[int(i)] for i in np.argsort(data.cols["handle_rank"])] == sorted(HANDLES)
