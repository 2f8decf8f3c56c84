"""Discovery: every filter and their combinations against a plain-Python oracle."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttcm import rules
from ttcm.auth import Principal
from ttcm.domain.eligibility import check
from ttcm.domain.exchange import RateTable, rates_from_data
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter, FilterError
from ttcm.services.discovery.search import Discovery
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.upsert import upsert

NOW = datetime(2026, 11, 1, tzinfo=UTC)
COUNTRIES = ["US", "GB", "DE", "BR", "JP", "MX", "NL"]
CONTENT = [lab["label_id"] for lab in rules.vocab()["content_labels"]][:6]
LANGS = ["en", "es", "de", "pt", "ja"]
AGES = rules.vocab()["age_bands"]
VIEWER = Principal(username="viewer", name="Viewer", role="viewer")


def make_creators(n: int, seed: int) -> list[dict[str, Any]]:
    """Deterministic creators with every filterable field, some of them unknown (None)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        followers = int(10 ** rnd.uniform(3, 7)) if rnd.random() > 0.05 else None
        female = round(rnd.random(), 3) if rnd.random() > 0.1 else None
        labels = rnd.sample(CONTENT, rnd.randint(0, 2))
        langs = rnd.sample(LANGS, rnd.randint(0, 2))
        tcm = rnd.random() < 0.7
        rows.append(
            {
                "handle_name": f"{rnd.choice(['mira', 'zed', 'olu', 'kai'])}_{i:04d}",
                "display_name": rnd.choice(["Mira Moon", "Zed <b>Bold</b>", 'Olu "Q"', "Kai 🎯"]),
                "bio": rnd.choice(["beauty tips", "gaming daily", "100% vegan", "c_a_t", None]),
                "country_code": rnd.choice(COUNTRIES),
                "state_province": rnd.choice(["CA", "NY", None]),
                "followers_count": followers,
                "avg_views": int(followers * rnd.uniform(0.05, 0.5)) if followers else None,
                "median_views": int(followers * rnd.uniform(0.02, 0.3)) if followers else None,
                "engagement_rate": round(rnd.uniform(0, 0.2), 4) if tcm else None,
                "creator_price": round(rnd.uniform(50, 5000), 2) if rnd.random() > 0.2 else None,
                "currency": rnd.choice(["USD", "EUR"]),
                "languages": f",{','.join(langs)}," if langs else None,
                "label_ids": f",{','.join(labels)}," if labels else None,
                "audience_top_country": rnd.choice(COUNTRIES + [None]),
                "audience_female_share": female,
                "audience_male_share": round(1 - female, 3) if female is not None else None,
                "audience_top_age": rnd.choice(AGES + [None]),
                "is_tcm_creator": tcm,
                "is_authenticated": rnd.random() < 0.4,
                "account_type": None if tcm else rnd.choice(["PERSONAL", "BUSINESS", None]),
                "age_verified_18": None if tcm else rnd.choice([True, False, None]),
                "videos_last_30d": None if tcm else rnd.choice([0, 2, 3, 10, None]),
                "views_last_30d": None if tcm else rnd.choice([500, 1000, 50000, None]),
                "content_rating": None if tcm else rnd.choice(["13+", "18+", None]),
                "source": m.API_SOURCE,
                "first_seen_at": NOW,
                "fetched_at": NOW,
            }
        )
    return rows


def load(store: Store, rows: list[dict[str, Any]]) -> None:
    """Write creators the way the refresh does (and bump the data version)."""
    with store.write() as conn:
        upsert(conn, m.Creator.__table__, rows, key=["handle_name"])
        versions.bump(conn, "creators")


SHIPPED = RateTable(rates_from_data(rules.exchange_rates()))


def usd_price(r: dict[str, Any]) -> float | None:
    """The creator's price in the default team currency (USD) at the shipped rates."""
    if r["creator_price"] is None:
        return None
    on = datetime.now(UTC).date()
    return r["creator_price"] / SHIPPED.rate(r["currency"], on).per_usd


def oracle(rows: list[dict[str, Any]], f: CreatorFilter) -> list[str]:
    """Handles matching `f`, in the page's order, computed the slow obvious way."""
    rows = [{**r, "team_price": usd_price(r)} for r in rows]

    def within(v: Any, lo: Any, hi: Any) -> bool:
        if lo is None and hi is None:
            return True
        if v is None:
            return False
        return (lo is None or v >= lo) and (hi is None or v <= hi)

    def has(field: str | None, wanted: tuple[str, ...]) -> bool:
        items = set((field or "").strip(",").split(",")) - {""}
        return bool(items & set(wanted))

    out = []
    for r in rows:
        text = " ".join(str(r[k] or "") for k in ("handle_name", "display_name", "bio")).lower()
        ok = (
            (not f.countries or r["country_code"] in f.countries)
            and (not f.states or r["state_province"] in f.states)
            and within(r["followers_count"], f.min_followers, f.max_followers)
            and within(r["avg_views"], f.min_avg_views, f.max_avg_views)
            and within(r["median_views"], f.min_median_views, f.max_median_views)
            and within(r["engagement_rate"], f.min_er, f.max_er)
            and within(r["team_price"], f.min_price, f.max_price)
            and (not f.currency or r["currency"] == f.currency)
            and (not f.languages or has(r["languages"], f.languages))
            and (not f.labels or has(r["label_ids"], f.labels))
            and (not f.audience_countries or r["audience_top_country"] in f.audience_countries)
            and (f.age_band is None or r["audience_top_age"] == f.age_band)
            and (f.tcm is None or bool(r["is_tcm_creator"]) == f.tcm)
            and (f.authenticated is None or bool(r["is_authenticated"]) == f.authenticated)
            and (not f.query or f.query.strip().lower() in text)
        )
        if ok and f.gender_skew:
            gender, pct = f.gender_skew.split("_")
            share = r["audience_female_share" if gender == "FEMALE" else "audience_male_share"]
            ok = share is not None and share >= int(pct) / 100
        if ok and f.eligible is not None:
            code = check(r).code
            ok = code == (1 if f.eligible else 2)
        if ok:
            out.append(r)
    key = {
        "followers": "followers_count",
        "avg_views": "avg_views",
        "median_views": "median_views",
        "engagement_rate": "engagement_rate",
        "price": "team_price",
    }[f.sort]
    known = [r for r in out if r[key] is not None]
    unknown = [r for r in out if r[key] is None]
    known.sort(key=lambda r: r["handle_name"])
    known.sort(key=lambda r: r[key], reverse=f.descending)
    unknown.sort(key=lambda r: r["handle_name"])
    return [r["handle_name"] for r in known + unknown]


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


SINGLE_FILTERS = [
    CreatorFilter(),
    CreatorFilter(countries=("US", "GB")),
    CreatorFilter(countries=("MX",)),
    CreatorFilter(states=("CA",)),
    CreatorFilter(min_followers=50_000),
    CreatorFilter(max_followers=20_000),
    CreatorFilter(min_followers=10_000, max_followers=100_000),
    CreatorFilter(min_avg_views=5_000, max_avg_views=200_000),
    CreatorFilter(min_median_views=3_000),
    CreatorFilter(max_median_views=2_000),
    CreatorFilter(min_er=0.05),
    CreatorFilter(min_er=0.02, max_er=0.08),
    CreatorFilter(min_price=100, max_price=1000, currency="USD"),
    CreatorFilter(currency="EUR"),
    CreatorFilter(languages=("es",)),
    CreatorFilter(languages=("en", "ja")),
    CreatorFilter(labels=(CONTENT[0],)),
    CreatorFilter(labels=("Beauty Tutorials & Tips", CONTENT[2])),
    CreatorFilter(audience_countries=("DE",)),
    CreatorFilter(gender_skew="FEMALE_60"),
    CreatorFilter(gender_skew="MALE_70"),
    CreatorFilter(age_band="18-24"),
    CreatorFilter(tcm=True),
    CreatorFilter(tcm=False, authenticated=True),
    CreatorFilter(eligible=True),
    CreatorFilter(eligible=False),
    CreatorFilter(query="mira"),
    CreatorFilter(query="MOON"),
    CreatorFilter(query='"q"'),
    CreatorFilter(query="<b>"),
    CreatorFilter(query="100%"),
    CreatorFilter(query="c_a"),
    CreatorFilter(query="🎯"),
    CreatorFilter(query="ze"),
    CreatorFilter(sort="median_views"),
    CreatorFilter(sort="engagement_rate", descending=False),
    CreatorFilter(sort="price"),
    CreatorFilter(sort="avg_views", descending=False, countries=("BR",)),
]


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
