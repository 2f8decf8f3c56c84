"""AppTest: the "ⓘ how is this computed" expander shows this view's filled formulas on the posts
overview, a post, a creator profile, a shortlist and the Discovery selection."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import how_lines as how
from tests.builders import signed_in
from tests.builders.posts import seed_spring
from ttcm.domain.formula import HOW
from ttcm.services.shortlists import Shortlists
from ttcm.store import models as m
from ttcm.store.timestamps import utcnow


@pytest.fixture
def spring_pk(web_store) -> int:
    return seed_spring(web_store)


def test_the_posts_overview_explains_its_derived_numbers(people, spring_pk) -> None:
    at = signed_in(people["viewer"], "app_pages/posts.py")
    at.query_params["campaign"] = str(spring_pk)
    at.run()
    assert not at.exception
    lines = how(at)
    assert "ER = engagements 300 ÷ views 6,000 = 5.00%" in lines
    assert "CPM = creator cost 500.00 USD ÷ views 6,500 × 1,000 = 76.92 USD" in lines
    assert "CPV (budget) = budget 1,000.00 USD ÷ views 6,500 = 0.1538 USD" in lines
    assert any(line.startswith("Projected views = views to date ") for line in lines)
    assert "Spend vs budget = creator cost 500.00 USD ÷ budget 1,000.00 USD = 50.00%" in lines
    assert len(lines) == 10


def test_a_post_explains_its_rates_and_a_hand_added_post_shows_none(people, spring_pk) -> None:
    at = signed_in(people["viewer"], "app_pages/posts.py")
    at.query_params["campaign"] = str(spring_pk)
    at.query_params["view"] = "Published posts"
    at.run()
    at.selectbox(key="posts_detail").set_value("101").run()
    assert not at.exception
    lines = how(at)
    assert "ER = (likes 100 + comments 10 + shares 10) ÷ views 2,000 = 6.00%" in lines
    assert "Reach rate = reach 1,500 ÷ views 2,000 = 75.00%" in lines
    at.selectbox(key="posts_detail").set_value("104").run()  # hand-added, not authenticated
    assert not [e for e in at.expander if e.label == HOW]


def _creator(store, handle: str, **kw) -> None:
    now = utcnow()
    row = {"handle_name": handle, "is_tcm_creator": True, "is_authenticated": True,
           "source": m.API_SOURCE, "first_seen_at": now, "fetched_at": now, **kw}  # fmt: skip
    with store.write() as conn:
        conn.execute(m.Creator.__table__.insert().values(**row))


def test_a_creator_profile_explains_growth_and_engagement_rate(people, web_store) -> None:
    from ttcm.services.discovery import index_cache

    index_cache.forget()
    _creator(web_store, "ana", engagement_rate=0.0525, followers_count=1200, median_views=900)
    at = signed_in(people["viewer"], "app_pages/creator.py")
    at.query_params["handle"] = "ana"
    at.run()
    assert not at.exception
    lines = how(at)
    assert lines[0] == (
        "Growth is unavailable: followers now is missing, followers at the first snapshot is "
        "missing"
    )
    assert lines[1].startswith("ER = 5.25% (reported by TikTok")


def test_a_shortlist_explains_expected_views_and_names_who_is_left_out(people, web_store) -> None:
    from ttcm.services.discovery import index_cache

    index_cache.forget()
    _creator(web_store, "ana", median_views=1000, creator_price=10.0, currency="USD")
    _creator(web_store, "b<i>x</i>", median_views=2500)
    _creator(web_store, "cat")
    lists = Shortlists(web_store)
    sid = lists.create(people["manager"], "Q1")
    with web_store.write() as conn:  # a hostile handle, as a cache could hold one
        for handle in ("ana", "b<i>x</i>", "cat"):
            conn.execute(
                m.ShortlistMember.__table__.insert().values(
                    shortlist_id=sid, handle_name=handle, added_by="max", added_at=utcnow()
                )
            )
    at = signed_in(people["viewer"], "app_pages/shortlists.py").run()
    assert not at.exception
    assert {x.label: x.value for x in at.metric}["Expected views"] == "3,500"
    lines = how(at)
    assert lines[0] == (
        "Expected views = median views of @ana 1,000 + @b<i>x</i> 2,500 = 3,500; "
        "not counted: @cat (median views is missing)"
    )
    raw = [md.value for e in at.expander if e.label == HOW for md in e.markdown]
    assert "<i>" not in raw[0]  # escaped, shown literally


def _selection(rows: list[dict], team: str) -> None:
    from ttcm.config import Settings
    from ttcm.runtime import shared_store
    from ttcm.web.selection import projection_metrics

    projection_metrics(shared_store(Settings.load()), rows, team)


def test_the_discovery_selection_explains_expected_views_and_conversions(web_store) -> None:
    rows = [
        {"handle_name": "ana", "median_views": 1000, "engagement_rate": 0.05,
         "creator_price": 300.0, "currency": "USD", "followers_count": 10},
        {"handle_name": "ben", "median_views": 2000, "engagement_rate": 0.04,
         "creator_price": 100.0, "currency": "EUR", "followers_count": 20},
    ]  # fmt: skip
    at = AppTest.from_function(_selection, args=(rows, "USD")).run()
    assert not at.exception
    lines = how(at)
    assert lines[0] == "Expected views = median views of @ana 1,000 + @ben 2,000 = 3,000"
    assert lines[1] == (
        "Expected engagements = @ana (median views 1,000 × engagement rate 5.00%) + "
        "@ben (median views 2,000 × engagement rate 4.00%) = 130"
    )
    assert lines[2].startswith("Converted = amount 100.00 EUR ÷ EUR per USD ")
    assert lines[2].endswith(" USD")
