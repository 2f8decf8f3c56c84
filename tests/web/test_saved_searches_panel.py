"""Discovery's saved searches under AppTest: save (hostile names), new-since, open, roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.builders import as_read, signed_in
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter
from ttcm.services.saved_searches import MAX_NAME, SavedSearches
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.timestamps import utcnow
from ttcm.store.upsert import upsert

PAGE = "app_pages/discovery.py"


def add_creators(store: Store, *handles: str, country: str = "US", days_ago: int = 30) -> None:
    seen = utcnow() - timedelta(days=days_ago)
    rows = [
        {
            "handle_name": h,
            "country_code": country,
            "followers_count": 20_000,
            "is_tcm_creator": True,
            "is_authenticated": True,
            "source": m.API_SOURCE,
            "first_seen_at": seen,
            "fetched_at": seen,
        }
        for h in handles
    ]
    with store.write() as conn:
        upsert(conn, m.Creator.__table__, rows, key=["handle_name"])
        versions.bump(conn, "creators")
    index_cache.forget()


@pytest.fixture
def cached(web_store: Store) -> Store:
    add_creators(web_store, "us_one", "us_two")
    add_creators(web_store, "gb_one", country="GB")
    return web_store


def _page(principal, **params):
    at = signed_in(principal, PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _name_field(at):
    [field] = [t for t in at.text_input if t.label == "Saved search name"]
    return field


def _save(at, name: str, shared: bool = True):
    _name_field(at).input(name)
    at.checkbox(key="saved_shared").set_value(shared)
    [go] = [b for b in at.button if b.label == "Save this search"]
    return go.click().run()


def _saved(store: Store) -> list[tuple[str, str, bool]]:
    with store.read() as conn:
        s = m.SavedSearch
        return [(r.name, r.query, r.shared) for r in conn.execute(select(s).order_by(s.id))]


def _texts(at) -> str:
    parts = [*at.caption, *at.markdown, *at.success, *at.error, *at.info, *at.warning]
    return "\n".join(shown(x.value) for x in parts)


def shown(text: object) -> str:
    """What a reader sees: escapes resolved, the invisible joiner that defuses links removed."""
    return as_read(text).replace("\u2060", "")


@pytest.mark.parametrize(
    "name",
    ["<img src=x onerror=alert(1)>", 'O\'Hara "best" [x](http://evil)', "Beauty 💄", "=1+1"],
)
def test_save_the_current_filter_under_a_hostile_name(people, cached, name) -> None:
    at = _page(people["manager"], country="US")
    _save(at, name)
    assert not at.exception
    assert _saved(cached) == [(name, "country=US", True)]
    assert f"Saved “{name}”." in _texts(at)
    assert name in [shown(x.value).strip("*") for x in at.markdown]  # shown literally
    assert _name_field(at).value == ""  # a new, empty field for the next search


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("n" * (MAX_NAME + 1), f"at most {MAX_NAME}"),
    ],
)
def test_bad_names_are_refused_next_to_the_field(people, cached, name, says) -> None:
    at = _page(people["manager"], country="US")
    _save(at, name)
    assert not at.exception
    assert any(says in as_read(e.value) for e in at.error), [e.value for e in at.error]
    assert _saved(cached) == []
    assert _name_field(at).value == name  # kept as typed, never cut


def test_a_duplicate_name_is_refused(people, cached) -> None:
    SavedSearches(cached).save(people["admin"], "US big", CreatorFilter(), shared=True)
    at = _page(people["manager"], country="US")
    _save(at, " us BIG ")
    assert any("already exists" in as_read(e.value) for e in at.error)
    assert len(_saved(cached)) == 1
    # the refusal is inside the panel: the panel stays open so the manager sees it
    [panel] = [e for e in at.expander if e.label.startswith("Saved searches")]
    assert panel.proto.expanded


def test_new_since_and_opening_restores_the_filter(people, cached) -> None:
    saved = SavedSearches(cached, now=lambda: utcnow() - timedelta(days=7))
    saved.save(people["admin"], "US creators", CreatorFilter(countries=("US",)), shared=True)
    add_creators(cached, "us_new", days_ago=1)
    add_creators(cached, "gb_new", country="GB", days_ago=1)  # new, but not in the search
    at = _page(people["viewer"])  # no filter in the URL
    assert "1 new creator since it was saved" in _texts(at)
    [opened] = [b for b in at.button if b.label == "Open"]
    opened.click().run()
    assert not at.exception
    assert at.query_params["country"] in ("US", ["US"])
    assert "3 creators match" in [s.value for s in at.subheader]
    assert "0 new creators since you last opened it" in _texts(at)
    with cached.read() as conn:
        assert conn.execute(select(func.count()).select_from(m.SavedSearchOpen)).scalar() == 1


def test_viewers_open_shared_searches_but_cannot_save(people, cached) -> None:
    saved = SavedSearches(cached)
    saved.save(people["manager"], "Shared one", CreatorFilter(), shared=True)
    saved.save(people["manager"], "Private one", CreatorFilter(), shared=False)
    at = _page(people["viewer"])
    assert "Shared one" in _texts(at) and "Private one" not in _texts(at)
    assert not [b for b in at.button if b.label == "Save this search"]
    assert not [b for b in at.button if b.label == "Delete"]


def test_the_owner_deletes_after_confirming(people, cached) -> None:
    SavedSearches(cached).save(people["manager"], "Old", CreatorFilter(), shared=False)
    at = _page(people["manager"])
    [delete] = [b for b in at.button if b.label == "Delete"]
    delete.click().run()
    assert _saved(cached) != []  # not before the confirmation
    [yes] = [b for b in at.button if b.label == "Delete it"]
    yes.click().run()
    assert _saved(cached) == []
    assert "Deleted “Old”." in _texts(at)


def test_rename_refuses_a_duplicate_and_keeps_a_hostile_name(people, cached) -> None:
    saved = SavedSearches(cached)
    sid = saved.save(people["manager"], "Old name", CreatorFilter(), shared=True)
    saved.save(people["admin"], "Taken", CreatorFilter(), shared=True)
    at = _page(people["manager"])
    at.text_input(key=f"saved_rename_{sid}").input(" taken ")
    [go] = [b for b in at.button if b.key == f"saved_rename_go_{sid}"]
    go.click().run()
    assert any("already exists" in shown(e.value) for e in at.error)
    assert [n for n, _, _ in _saved(cached)] == ["Old name", "Taken"]
    hostile = '<b>"Q4"</b> 🎯 =HYPERLINK("x")'
    at.text_input(key=f"saved_rename_{sid}").input(hostile)
    [go] = [b for b in at.button if b.key == f"saved_rename_go_{sid}"]
    go.click().run()
    assert [n for n, _, _ in _saved(cached)] == [hostile, "Taken"]
    assert f"Renamed “Old name” to “{hostile}”." in _texts(at)
    # the admin's search is not the manager's to rename
    assert not [
        t
        for t in at.text_input
        if (t.key or "").startswith("saved_rename_") and t.key != f"saved_rename_{sid}"
    ]
