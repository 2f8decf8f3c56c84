"""Shortlists, CSV export and the selection projection."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from tests.builders import MANAGER, VIEWER
from tests.builders.creators import NOW, load
from ttcm.auth import PermissionDenied
from ttcm.domain.projection import project
from ttcm.services.export import safe_cell, to_csv
from ttcm.services.shortlists import UNSUPPORTED_REASON, ShortlistError, Shortlists
from ttcm.store import Store
from ttcm.store import models as m


def creator(handle: str, tcm: bool, auth: bool, **extra) -> dict:
    return {
        "handle_name": handle,
        "is_tcm_creator": tcm,
        "is_authenticated": auth,
        "followers_count": 1000,
        "source": m.API_SOURCE,
        "first_seen_at": NOW,
        "fetched_at": NOW,
        **extra,
    }


@pytest.fixture
def lists(store: Store) -> Shortlists:
    load(
        store,
        [
            creator("tcm_a", True, False),
            creator("tcm_b", True, True),
            creator("auth_c", False, True),
            creator("ghost_d", False, False),
        ],
    )
    return Shortlists(store)


def _audit(store: Store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(m.AuditEntry)).scalar_one()


def test_create_add_and_refuse_unsupported_accounts(lists: Shortlists, store: Store) -> None:
    sid = lists.create(MANAGER, "  Q1   beauty ")
    result = lists.add(MANAGER, sid, ["tcm_a", "@tcm_b", "auth_c", "ghost_d", "nobody", "tcm_a"])
    assert result.added == ["tcm_a", "tcm_b", "auth_c"]
    assert result.refused["ghost_d"] == UNSUPPORTED_REASON
    assert "invite the creator to ttcm" in result.refused["ghost_d"].lower()
    assert "Not in the cache" in result.refused["nobody"]
    again = lists.add(MANAGER, sid, ["tcm_a"])
    assert again.already == ["tcm_a"] and again.added == []
    [only] = lists.all(VIEWER)
    assert (only.name, only.size) == ("Q1 beauty", 3)


def test_viewer_cannot_change_lists_and_nothing_is_written(lists: Shortlists, store: Store) -> None:
    sid = lists.create(MANAGER, "Mine")
    before = _audit(store)
    for call in (
        lambda: lists.create(VIEWER, "Theirs"),
        lambda: lists.add(VIEWER, sid, ["tcm_a"]),
        lambda: lists.rename(VIEWER, sid, "x"),
        lambda: lists.delete(VIEWER, sid),
        lambda: lists.annotate(VIEWER, sid, "tcm_a", note="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert _audit(store) == before
    assert [s.name for s in lists.all(VIEWER)] == ["Mine"]
    assert lists.members(VIEWER, sid) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("x" * 101, "at most 100"),
        ("a\x07b", "control"),
    ],
)
def test_bad_names_are_refused(lists: Shortlists, name: str, message: str) -> None:
    with pytest.raises(ShortlistError, match=message):
        lists.create(MANAGER, name)


def test_hostile_names_tags_and_notes_are_kept_as_text(lists: Shortlists) -> None:
    sid = lists.create(MANAGER, "<script>alert('x')</script> 🎯")
    lists.add(MANAGER, sid, ["tcm_a"])
    lists.annotate(
        MANAGER, sid, "tcm_a", tags=["=HYPERLINK()", "a,b", "🎯", "🎯"], note='say "hi"\nok'
    )
    [row] = lists.members(MANAGER, sid)
    assert row["tags"] == ["=HYPERLINK()", "a b", "🎯"]
    assert row["note"] == 'say "hi"\nok'
    with pytest.raises(ShortlistError, match="already exists"):
        lists.create(MANAGER, "<SCRIPT>alert('x')</script> 🎯")
    with pytest.raises(ShortlistError, match="at most 2000"):
        lists.annotate(MANAGER, sid, "tcm_a", note="x" * 2001)


def test_move_and_copy_keep_tags_and_notes(lists: Shortlists) -> None:
    a, b = lists.create(MANAGER, "A"), lists.create(MANAGER, "B")
    lists.add(MANAGER, a, ["tcm_a", "tcm_b"])
    lists.annotate(MANAGER, a, "tcm_a", tags=["fit"], note="call Monday")
    copied = lists.copy(MANAGER, ["tcm_a"], a, b)
    assert copied.added == ["tcm_a"]
    assert lists.members(MANAGER, b)[0]["note"] == "call Monday"
    moved = lists.move(MANAGER, ["tcm_a", "tcm_b"], a, b)
    assert sorted(moved.added + moved.already) == ["tcm_a", "tcm_b"]
    assert lists.members(MANAGER, a) == []
    assert [r["handle_name"] for r in lists.members(MANAGER, b)] == ["tcm_a", "tcm_b"]
    with pytest.raises(ShortlistError, match="different list"):
        lists.copy(MANAGER, ["tcm_a"], b, b)


def test_delete_keeps_the_creators(lists: Shortlists, store: Store) -> None:
    sid = lists.create(MANAGER, "Temp")
    lists.add(MANAGER, sid, ["tcm_a"])
    lists.delete(MANAGER, sid)
    assert lists.all(MANAGER) == []
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(m.Creator)).scalar_one() == 4
    with pytest.raises(ShortlistError, match="no longer exists"):
        lists.add(MANAGER, sid, ["tcm_a"])


def test_csv_neutralises_formulas_and_keeps_hostile_text() -> None:
    rows = [
        {"h": "=cmd|' /C calc'!A0", "n": 'a,"b"\nc', "f": 12000, "t": ["x", "y"]},
        {"h": "+1", "n": "-2", "f": None, "t": []},
        {"h": "@SUM(A1)", "n": "🎯 <b>x</b>", "f": 0.051, "t": None},
    ]
    text = to_csv(rows, [("h", "Handle"), ("n", "Name"), ("f", "Followers (count)"), ("t", "Tags")])
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["Handle", "Name", "Followers (count)", "Tags"]
    assert parsed[1] == ["'=cmd|' /C calc'!A0", 'a,"b"\nc', "12000", "x; y"]
    assert parsed[2] == ["'+1", "'-2", "", ""]
    assert parsed[3] == ["'@SUM(A1)", "🎯 <b>x</b>", "0.051", ""]
    assert safe_cell(-5) == -5


def test_projection_sums_and_never_invents_zeros() -> None:
    creators = [
        {
            "followers_count": 100_000,
            "median_views": 20_000,
            "engagement_rate": 0.05,
            "creator_price": 500.0,
            "currency": "USD",
        },
        {
            "followers_count": 50_000,
            "median_views": 10_000,
            "engagement_rate": None,
            "creator_price": 300.0,
            "currency": "USD",
        },
        {
            "followers_count": None,
            "median_views": None,
            "engagement_rate": 0.1,
            "creator_price": None,
            "currency": None,
        },
    ]
    p = project(creators, {"kpi_views": 60_000, "budget": 1000.0, "currency": "USD"})
    assert (p.creators, p.followers, p.expected_views, p.expected_engagements) == (
        3,
        150_000,
        30_000,
        1_000,
    )
    assert p.cost_by_currency == {"USD": 800.0}
    assert p.missing == {"followers": 1, "median_views": 1, "engagement_rate": 1, "price": 1}
    assert p.views_vs_goal == pytest.approx(0.5)
    assert p.cost_vs_budget == pytest.approx(0.8)
    # engagements over the views of the creators whose rate is known (not over every view)
    assert p.expected_engagement_rate == pytest.approx(1000 / 20000)
    assert p.coverage("median_views") == "median views unknown for 1 of 3 creators (not counted)"
    assert p.coverage("creators") is None


def test_projection_says_unknown_instead_of_zero() -> None:
    unknown = [
        {"handle_name": "gone", "followers_count": None, "median_views": None},
        {"handle_name": "new", "followers_count": 5_000, "median_views": None},
    ]
    p = project(unknown)
    assert p.expected_views is None  # before: 0, shown as "0" expected views
    assert p.expected_engagements is None
    assert p.followers == 5_000
    assert p.missing["median_views"] == 2
    assert p.coverage("median_views") == "median views unknown for 2 of 2 creators (not counted)"
    assert p.views_vs_goal is None and p.expected_engagement_rate is None
    no_rates = project([{"median_views": 100, "engagement_rate": None}])
    assert (no_rates.expected_views, no_rates.expected_engagements) == (100, None)


def test_projection_edge_cases() -> None:
    empty = project([])
    assert empty.expected_views is None and empty.views_vs_goal is None
    assert empty.expected_engagement_rate is None and empty.cost_vs_budget is None
    mixed = project(
        [{"creator_price": 10.0, "currency": "EUR"}], {"budget": 100.0, "currency": "USD"}
    )
    assert mixed.cost_vs_budget is None  # no exchange rates: no made-up comparison
    zero_budget = project(
        [{"creator_price": 10.0, "currency": "USD"}], {"budget": 0, "currency": "USD"}
    )
    assert zero_budget.cost_vs_budget is None


def test_several_members_get_the_same_tags_and_note(lists: Shortlists) -> None:
    a = lists.create(MANAGER, "A")
    lists.add(MANAGER, a, ["tcm_a", "tcm_b"])
    assert lists.annotate_many(MANAGER, a, ["tcm_a", "tcm_b"], tags=["fit", " x "], note="hi") == 2
    rows = lists.members(MANAGER, a)
    assert [(r["tags"], r["note"]) for r in rows] == [(["fit", "x"], "hi")] * 2
    with pytest.raises(PermissionDenied):
        lists.annotate_many(VIEWER, a, ["tcm_a"], note="no")
