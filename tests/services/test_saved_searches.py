"""Saved Discovery searches: names, sharing, owners, "new since" counts, the audit (both stores)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.builders import ADMIN, MANAGER, VIEWER
from ttcm.auth import PermissionDenied, Principal
from ttcm.errors import NotFound
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter
from ttcm.services.saved_searches import MAX_NAME, SavedSearchError, SavedSearches
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.upsert import upsert

T0 = datetime(2026, 11, 1, tzinfo=UTC)
OTHER = Principal("mo", "Mo", "manager")


class Clock:
    """A settable "now" for the service."""

    def __init__(self) -> None:
        self.at = T0 + timedelta(days=1)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, days: int = 1) -> datetime:
        self.at += timedelta(days=days)
        return self.at


def creator(handle: str, country: str, seen: datetime, followers: int = 5000) -> dict[str, Any]:
    return {
        "handle_name": handle,
        "country_code": country,
        "followers_count": followers,
        "is_tcm_creator": True,
        "is_authenticated": True,
        "source": m.API_SOURCE,
        "first_seen_at": seen,
        "fetched_at": seen,
    }


def load(store: Store, *rows: dict[str, Any]) -> None:
    """Write creators as the refresh does; the next query builds a fresh index."""
    with store.write() as conn:
        upsert(conn, m.Creator.__table__, list(rows), key=["handle_name"])
        versions.bump(conn, "creators")
    index_cache.forget(store)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def saved(store: Store, clock: Clock) -> SavedSearches:
    load(store, creator("us_old", "US", T0), creator("gb_old", "GB", T0))
    return SavedSearches(store, now=clock)


def by_name(saved: SavedSearches, who: Principal) -> dict[str, Any]:
    return {s.name: s for s in saved.list(who)}


def _count(store: Store, model: type[m.Base]) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_new_since_counts_creators_first_seen_after_the_last_opening(
    saved: SavedSearches, store: Store, clock: Clock
) -> None:
    us = CreatorFilter(countries=("US",), min_followers=1000)
    sid = saved.save(MANAGER, "US creators", us, shared=True)
    assert by_name(saved, MANAGER)["US creators"].new_since == 0

    later = clock.advance()
    load(store, creator("us_new", "US", later), creator("gb_new", "GB", later))
    load(store, creator("us_small", "US", later, followers=10))  # new, but under the filter
    assert by_name(saved, MANAGER)["US creators"].new_since == 1  # us_new only

    clock.advance()
    assert saved.open(MANAGER, sid) == us  # the same filter back, through from_query
    mine = by_name(saved, MANAGER)["US creators"]
    assert (mine.new_since, mine.last_opened_at) == (0, clock.at)

    load(store, creator("us_newer", "US", clock.advance()))
    assert by_name(saved, MANAGER)["US creators"].new_since == 1  # since max's opening
    # val never opened it: everything first seen since it was saved
    assert by_name(saved, VIEWER)["US creators"].new_since == 2
    assert by_name(saved, VIEWER)["US creators"].last_opened_at is None


def test_opening_again_moves_the_mark_and_keeps_one_row_per_user(
    saved: SavedSearches, store: Store, clock: Clock
) -> None:
    sid = saved.save(MANAGER, "All", CreatorFilter(), shared=True)
    saved.open(MANAGER, sid)
    clock.advance()
    saved.open(MANAGER, sid)
    saved.open(VIEWER, sid)
    assert _count(store, m.SavedSearchOpen) == 2
    assert by_name(saved, MANAGER)["All"].last_opened_at == clock.at


def test_own_and_shared_searches_only(saved: SavedSearches) -> None:
    saved.save(MANAGER, "mine, private", CreatorFilter(countries=("GB",)), shared=False)
    saved.save(OTHER, "theirs, shared", CreatorFilter(), shared=True)
    saved.save(OTHER, "theirs, private", CreatorFilter(), shared=False)
    assert list(by_name(saved, MANAGER)) == ["mine, private", "theirs, shared"]
    assert list(by_name(saved, VIEWER)) == ["theirs, shared"]
    private = next(s for s in saved.list(OTHER) if s.name == "theirs, private")
    with pytest.raises(NotFound):
        saved.open(MANAGER, private.id)


def test_the_stored_query_is_the_url_of_the_filter(saved: SavedSearches) -> None:
    f = CreatorFilter(countries=("US", "GB"), min_er=0.05, query="<b>x</b>", sort="engagement_rate")
    saved.save(MANAGER, "url", f, shared=False)
    s = by_name(saved, MANAGER)["url"]
    assert s.params() == f.to_query()
    assert CreatorFilter.from_query(s.params()) == f


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", 'O\'Brien "quoted"', "Beauty 💄✨", "=1+1", "x" * MAX_NAME],
)
def test_hostile_names_are_kept_as_typed(saved: SavedSearches, name: str) -> None:
    saved.save(MANAGER, f"  {name}  ", CreatorFilter(), shared=False)
    assert [s.name for s in saved.list(MANAGER)] == [name]  # trimmed, never cut or escaped


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("x" * (MAX_NAME + 1), f"at most {MAX_NAME} characters ({MAX_NAME + 1} now)"),
        ("tab\there", "control characters"),
    ],
)
def test_bad_names_are_refused_and_change_nothing(
    saved: SavedSearches, store: Store, name: str, says: str
) -> None:
    with pytest.raises(
        SavedSearchError, match=r"(?i)" + says.replace("(", r"\(").replace(")", r"\)")
    ) as exc:
        saved.save(MANAGER, name, CreatorFilter(), shared=False)
    assert exc.value.field == "name"
    assert _count(store, m.SavedSearch) == 0
    assert _count(store, m.AuditEntry) == 0


def test_duplicate_names_whatever_their_case(saved: SavedSearches, store: Store) -> None:
    saved.save(MANAGER, "Beauty US", CreatorFilter(), shared=False)
    with pytest.raises(SavedSearchError, match="already exists"):
        saved.save(OTHER, "  beauty us ", CreatorFilter(), shared=True)
    other = saved.save(MANAGER, "Gaming", CreatorFilter(), shared=False)
    with pytest.raises(SavedSearchError, match="already exists"):
        saved.rename(MANAGER, other, "BEAUTY US")
    saved.rename(MANAGER, other, "gaming")  # its own name in another case is fine
    assert sorted(s.name for s in saved.list(MANAGER)) == ["Beauty US", "gaming"]


def test_roles_owner_and_admin(saved: SavedSearches, store: Store) -> None:
    with pytest.raises(PermissionDenied):
        saved.save(VIEWER, "viewer's", CreatorFilter(), shared=False)
    sid = saved.save(OTHER, "Mo's", CreatorFilter(), shared=True)
    with pytest.raises(PermissionDenied, match="owner"):
        saved.rename(MANAGER, sid, "taken over")
    with pytest.raises(PermissionDenied):
        saved.delete(MANAGER, sid)
    saved.open(MANAGER, sid)
    saved.rename(ADMIN, sid, "Mo's, renamed")
    saved.delete(ADMIN, sid)
    assert saved.list(OTHER) == []
    assert _count(store, m.SavedSearchOpen) == 0  # openings go with the search
    with store.read() as conn:
        actions = conn.execute(select(m.AuditEntry.action).order_by(m.AuditEntry.id)).scalars()
        assert list(actions) == ["search.save", "search.rename", "search.delete"]


def test_a_search_that_no_longer_applies_says_so(saved: SavedSearches, store: Store) -> None:
    load(store, {**creator("ca_one", "US", T0), "state_province": "CA"})
    sid = saved.save(MANAGER, "California", CreatorFilter(states=("CA",)), shared=False)
    with store.write() as conn:  # the only creator in CA moved away
        conn.execute(m.Creator.__table__.update().values(state_province=None))
        versions.bump(conn, "creators")
    index_cache.forget(store)
    s = by_name(saved, MANAGER)["California"]
    assert s.new_since is None and "no longer applies" in (s.problem or "")
    with pytest.raises(Exception, match="CA"):
        saved.open(MANAGER, sid)
