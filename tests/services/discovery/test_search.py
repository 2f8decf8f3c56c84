"""Discovery: every filter and their combinations against a plain-Python oracle."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders.creators import AGES, CONTENT, COUNTRIES, LANGS, VIEWER, load, make_creators
from tests.builders.discovery import SINGLE_FILTERS, oracle
from ttcm import rules
from ttcm.domain.eligibility import check
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter, FilterError
from ttcm.services.discovery.search import Discovery
from ttcm.store import Store
from ttcm.store import models as m


@pytest.fixture
def rows() -> list[dict[str, Any]]:
    return make_creators(400, seed=5)


@pytest.fixture
def loaded(store: Store, rows) -> Store:
    index_cache.forget()
    load(store, rows)
    return store


def handles(store: Store, f: CreatorFilter, limit: int = 1000) -> tuple[list[str], int]:
    result = Discovery(store).search(VIEWER, f, limit=limit)
    return [r["handle_name"] for r in result.rows], result.total


@pytest.mark.parametrize("f", SINGLE_FILTERS, ids=lambda f: str(f.to_query()) or "none")
def test_each_filter_matches_the_oracle(loaded: Store, rows, f: CreatorFilter) -> None:
    got, total = handles(loaded, f)
    expected = oracle(rows, f)
    assert total == len(expected)
    assert got == expected


def test_combined_filters_match_the_oracle(loaded: Store, rows) -> None:
    f = CreatorFilter(
        countries=("US", "GB", "DE"),
        min_followers=5_000,
        max_followers=5_000_000,
        min_er=0.01,
        labels=(CONTENT[0], CONTENT[1]),
        gender_skew="FEMALE_50",
        sort="engagement_rate",
    )
    assert handles(loaded, f) == (oracle(rows, f), len(oracle(rows, f)))


def test_paging_walks_the_same_order(loaded: Store, rows) -> None:
    f = CreatorFilter(countries=("US", "GB"), sort="median_views")
    expected = oracle(rows, f)
    pages = []
    for offset in range(0, len(expected) + 7, 7):
        pages += [
            r["handle_name"]
            for r in Discovery(loaded).search(VIEWER, f, limit=7, offset=offset).rows
        ]
    assert pages == expected


def test_states_are_the_cached_ones_and_follow_a_refresh(loaded: Store, rows) -> None:
    discovery = Discovery(loaded)
    assert discovery.states(VIEWER) == sorted({r["state_province"] for r in rows} - {None})
    newcomer = {**rows[0], "handle_name": "newcomer_state", "state_province": "Île-de-France"}
    load(loaded, [newcomer])  # the refresh bumps the creators' version
    index_cache.current(loaded)  # serves the old index while the new one builds
    index_cache.CACHE.wait(loaded)
    assert "Île-de-France" in discovery.states(VIEWER)
    assert discovery.states(VIEWER) == sorted(discovery.states(VIEWER))


filters_strategy = st.builds(
    CreatorFilter,
    countries=st.lists(st.sampled_from(COUNTRIES), max_size=3, unique=True).map(tuple),
    min_followers=st.one_of(st.none(), st.integers(1_000, 2_000_000)),
    min_er=st.one_of(st.none(), st.floats(0, 0.2)),
    labels=st.lists(st.sampled_from(CONTENT), max_size=2, unique=True).map(tuple),
    languages=st.lists(st.sampled_from(LANGS), max_size=2, unique=True).map(tuple),
    gender_skew=st.one_of(st.none(), st.sampled_from(rules.vocab()["gender_ratios"])),
    age_band=st.one_of(st.none(), st.sampled_from(AGES)),
    tcm=st.one_of(st.none(), st.booleans()),
    eligible=st.one_of(st.none(), st.booleans()),
    sort=st.sampled_from(["followers", "avg_views", "median_views", "engagement_rate", "price"]),
    descending=st.booleans(),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(f=filters_strategy)
def test_random_filter_combinations_match_the_oracle(sqlite_store: Store, f: CreatorFilter) -> None:
    rows = _RANDOM_ROWS
    if index_cache.current(sqlite_store).size != len(rows):
        index_cache.forget()
        load(sqlite_store, rows)
    got, total = handles(sqlite_store, f, limit=60)
    expected = oracle(rows, f)
    assert total == len(expected)
    assert got == expected[:60]


_RANDOM_ROWS = make_creators(300, seed=9)


@pytest.mark.parametrize("f", SINGLE_FILTERS + [CreatorFilter(min_er=0.031, min_price=99.5)])
def test_url_round_trip(f: CreatorFilter) -> None:
    assert CreatorFilter.from_query(f.to_query()) == f


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"fmin": "lots"}, "minimum followers: expected a number"),
        ({"fmin": "1e40"}, "out of range"),
        ({"fmin": "-5"}, "expected a number ≥ 0"),
        ({"fmin": "500", "fmax": "100"}, "minimum is above the maximum"),
        ({"ermin": "150%"}, "a rate is between 0 and 1"),
        ({"country": "XX"}, "unknown country code 'XX'"),
        ({"country": "<script>"}, "unknown country code"),
        ({"gender": "FEMALE_99"}, "audience gender"),
        ({"age": "13-17"}, "audience age"),
        ({"label": "no such label"}, "unknown label"),
        ({"sort": "drop table"}, "sort: .* choose one of"),
        ({"tcm": "maybe"}, "marketplace: expected 1 or 0"),
        ({"q": "x" * 101}, "at most 100 characters"),
        ({"lang": "klingon"}, "unknown code"),
    ],
)
def test_bad_url_parameters_are_named(params: dict[str, str], message: str) -> None:
    with pytest.raises(FilterError, match=message):
        CreatorFilter.from_query(params)


def test_empty_and_junk_url_values_mean_no_filter() -> None:
    assert CreatorFilter.from_query({"country": "", "fmin": " ", "q": ""}) == CreatorFilter()
    assert CreatorFilter.from_query({"country": ["GB", "us"]}).countries == ("US",)


def test_cleared_and_active() -> None:
    f = CreatorFilter(countries=("US",), min_followers=10, query="x")
    assert set(f.active()) == {"countries", "min_followers", "query"}
    assert f.cleared("min_followers").active() == ["countries", "query"]


def test_histograms_count_every_match(loaded: Store, rows) -> None:
    f = CreatorFilter(countries=("US", "DE"))
    result = Discovery(loaded).search(VIEWER, f, limit=5, histograms=True)
    edges, counts = result.follower_hist
    known = [r for r in rows if r["country_code"] in ("US", "DE") and r["followers_count"]]
    assert counts.sum() == len(known)
    assert len(edges) == 21 and edges[0] == pytest.approx(1000)
    _, er_counts = result.er_hist
    with_er = [
        r for r in rows if r["country_code"] in ("US", "DE") and r["engagement_rate"] is not None
    ]
    assert er_counts.sum() == len(with_er)


def test_index_rebuilds_when_data_changes_and_maps_its_snapshot(loaded: Store, rows) -> None:
    first = index_cache.current(loaded)
    assert index_cache.current(loaded) is first  # cached
    extra = make_creators(1, seed=77)[0] | {"handle_name": "newcomer_1"}
    load(loaded, [extra])
    assert index_cache.current(loaded) is first  # answered at once; the new one builds aside
    index_cache.CACHE.wait(loaded)
    second = index_cache.current(loaded)
    assert second.version == first.version + 1 and second.size == first.size + 1
    index_cache.forget()
    mapped = index_cache.current(loaded)  # a fresh process maps the saved arrays
    assert mapped.size == second.size
    assert isinstance(mapped.cols["followers"], np.memmap)


def test_vectorised_eligibility_equals_the_rules(loaded: Store, rows) -> None:
    index = index_cache.current(loaded)
    by_handle = {r["handle_name"]: check(r).code for r in rows}
    with loaded.read() as conn:
        from sqlalchemy import select

        id_to_handle = dict(conn.execute(select(m.Creator.id, m.Creator.handle_name)).all())
    got = {
        id_to_handle[int(i)]: int(c)
        for i, c in zip(index.cols["id"], index.cols["eligibility"], strict=True)
    }
    assert got == by_handle
