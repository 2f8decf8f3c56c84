"""Discover: each filter against a python oracle on 2,000 creators; sorting, the cap, paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.sandbox.support import Api
from ttcm import rules
from ttcm.sandbox import SandboxApp
from ttcm.sandbox.data import FX_PER_USD, IN

PATH = "/tto/tcm/creator/discover/"
Record = dict[str, Any]


@pytest.fixture(scope="module")
def records(shared: SandboxApp) -> list[Record]:
    """Every marketplace creator as plain values, computed from the per-creator accessors."""
    d = shared.directory
    out = []
    for i in range(d.n):
        if int(d.status[i]) != IN:
            continue
        genders = {g["gender"]: g["percentage"] for g in d.audience_genders(i)}
        ages = d.audience_ages(i)
        out.append(
            {
                "i": i,
                "handle": d.handles[i],
                "country": d.country_code(i),
                "state": d.state_province(i),
                "followers": int(d.followers[i]),
                "avg_views": int(d.avg_views[i]),
                "median_views": int(d.median_views[i]),
                "er": int(d.er_bp[i]) / 10_000,
                "price": float(d.price[i]),
                "currency": d.currency_code(i),
                "languages": set(d.languages(i)),
                "content": {lab["label_id"] for lab in d.labels(i, "content")},
                "industry": {lab["label_id"] for lab in d.labels(i, "industry")},
                "aud_country": d.audience_countries(i)[0]["country"],
                "female": genders["FEMALE"],
                "male": genders["MALE"],
                "age": max(ages, key=lambda a: a["percentage"])["age"],
                "text": " ".join([d.handles[i], d.display_name(i), d.bio(i)]).lower(),
            }
        )
    return out


def _all(api: Api, **params: Any) -> tuple[list[str], int]:
    """Every handle discover returns for a query (up to the cap) and total_number."""
    handles: list[str] = []
    page, total = 1, 0
    while True:
        data = api.ok_get(PATH, page=page, page_size=200, **params)
        total = data["page_info"]["total_number"]
        handles += [c["handle_name"] for c in data["creators"]]
        if not data["creators"]:
            return handles, total
        page += 1


def _oracle(
    records: list[Record], pred: Callable[[Record], bool], countries: list[str]
) -> list[Record]:
    return [r for r in records if r["country"] in countries and pred(r)]


def _check(api: Api, records: list[Record], pred: Callable[[Record], bool], **params: Any) -> int:
    params.setdefault("country_codes", ["US", "GB", "DE", "BR"])
    params.setdefault("sort_field", "FOLLOWERS")
    want = _oracle(records, pred, params["country_codes"])
    want.sort(key=lambda r: (-r["followers"], r["i"]))
    got, total = _all(api, **params)
    assert total == len(want)
    assert got == [r["handle"] for r in want][: rules.limits()["discover_result_cap"]]
    return total


CASES: list[tuple[str, dict[str, Any], Callable[[Record], bool]]] = [
    ("countries", {"country_codes": ["JP", "KR"]}, lambda r: True),
    ("states", {"country_codes": ["US"], "state_provinces": ["Texas", "Florida"]},
     lambda r: r["state"] in ("Texas", "Florida")),
    ("content", {"content_label_ids": ["11002002", "11007001"]},
     lambda r: bool(r["content"] & {"11002002", "11007001"})),
    ("industry", {"industry_label_ids": ["14300000000"]}, lambda r: "14300000000" in r["industry"]),
    ("followers", {"min_followers": 50_000, "max_followers": 200_000},
     lambda r: 50_000 <= r["followers"] <= 200_000),
    ("avg_views", {"min_avg_views": 2_000, "max_avg_views": 20_000},
     lambda r: 2_000 <= r["avg_views"] <= 20_000),
    ("median_views", {"min_median_views": 5_000}, lambda r: r["median_views"] >= 5_000),
    ("engagement", {"min_engagement_rate": 0.05, "max_engagement_rate": 0.08},
     lambda r: 0.05 <= r["er"] <= 0.08),
    ("languages", {"languages": ["pt", "es"]}, lambda r: bool(r["languages"] & {"pt", "es"})),
    ("audience_country", {"follower_country_codes": ["US", "BR"]},
     lambda r: r["aud_country"] in ("US", "BR")),
    ("female_60", {"follower_gender_ratio": "FEMALE_60"}, lambda r: r["female"] >= 0.6),
    ("male_70", {"follower_gender_ratio": "MALE_70"}, lambda r: r["male"] >= 0.7),
    ("age", {"follower_age": "25-34"}, lambda r: r["age"] == "25-34"),
    ("keyword", {"keyword_search": "Recipes"}, lambda r: "recipes" in r["text"]),
    ("keyword_hostile", {"keyword_search": "<b>"}, lambda r: "<b>" in r["text"]),
    ("combined", {"min_followers": 20_000, "min_engagement_rate": 0.04,
                  "content_label_ids": ["11004001", "11005001", "11015001"]},
     lambda r: r["followers"] >= 20_000 and r["er"] >= 0.04
     and bool(r["content"] & {"11004001", "11005001", "11015001"})),
]  # fmt: skip


@pytest.mark.parametrize(("name", "params", "pred"), CASES, ids=[c[0] for c in CASES])
def test_filter_matches_oracle(
    rapi: Api, records: list[Record], name: str, params: dict[str, Any], pred: Any
) -> None:
    assert _check(rapi, records, pred, **params) > 0


def test_price_in_own_and_other_currency(rapi: Api, records: list[Record]) -> None:
    n = _check(
        rapi,
        records,
        lambda r: 100 <= r["price"] <= 400,
        country_codes=["US"],
        min_creator_price=100,
        max_creator_price=400,
    )
    assert n > 0
    eur = FX_PER_USD["EUR"]

    def in_eur(r: Record) -> bool:
        value = r["price"] * (eur / FX_PER_USD[r["currency"]])
        return 100 <= value <= 400

    _check(
        rapi,
        records,
        in_eur,
        country_codes=["US", "JP"],
        min_creator_price=100,
        max_creator_price=400,
        creator_price_currency="EUR",
    )


def test_equal_min_max_followers_is_empty(rapi: Api) -> None:
    data = rapi.ok_get(PATH, country_codes=["US"], min_followers=50_000, max_followers=50_000)
    assert data["creators"] == [] and data["page_info"]["total_number"] == 0


def test_cap_and_true_total(rapi: Api, records: list[Record]) -> None:
    cap = rules.limits()["discover_result_cap"]
    us = [r for r in records if r["country"] == "US"]
    assert len(us) > cap
    p1 = rapi.ok_get(PATH, country_codes=["US"], page=1, page_size=200)
    p2 = rapi.ok_get(PATH, country_codes=["US"], page=2, page_size=200)
    p3 = rapi.ok_get(PATH, country_codes=["US"], page=3, page_size=200)
    assert len(p1["creators"]) == 200 and len(p2["creators"]) == cap - 200 and p3["creators"] == []
    assert p1["page_info"] == {
        "page": 1,
        "page_size": 200,
        "total_number": len(us),
        "total_page": 2,
    }
    small = rapi.ok_get(PATH, country_codes=["US"], page=26, page_size=10)
    assert small["creators"] == [] and small["page_info"]["total_page"] == cap // 10


@pytest.mark.parametrize("field", ["FOLLOWERS", "MEDIAN_VIEWS", "ENGAGEMENT_RATE", "RELEVANCE"])
@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_sort_orders(rapi: Api, field: str, order: str) -> None:
    data = rapi.ok_get(
        PATH, country_codes=["GB", "FR"], sort_field=field, sort_order=order, page_size=100
    )
    key = {
        "FOLLOWERS": "followers_count",
        "MEDIAN_VIEWS": "median_views",
        "ENGAGEMENT_RATE": "engagement_rate",
    }.get(field)
    assert len(data["creators"]) == 100
    if key:
        values = [c[key] for c in data["creators"]]
        assert values == sorted(values, reverse=order == "DESC")


def test_relevance_prefers_handle_matches(rapi: Api, shared: SandboxApp) -> None:
    word = shared.directory.handles[3][:4]
    data = rapi.ok_get(PATH, country_codes=list(rules.countries()), keyword_search=word)
    found = [word in c["handle_name"] for c in data["creators"]]
    assert found and found == sorted(found, reverse=True)


def test_pages_are_consistent(rapi: Api) -> None:
    whole = rapi.ok_get(PATH, country_codes=["US"], page_size=30)["creators"]
    parts = [
        rapi.ok_get(PATH, country_codes=["US"], page=p, page_size=10)["creators"] for p in (1, 2, 3)
    ]
    assert [c["handle_name"] for c in whole] == [c["handle_name"] for part in parts for c in part]


def test_discover_payload_fields(rapi: Api) -> None:
    c = rapi.ok_get(PATH, country_codes=["US"], page_size=1)["creators"][0]
    assert c["is_tcm_creator"] is True and c["country_code"] == "US"
    assert len(c["audience_countries"]) <= 3 and len(c["audience_ages"]) <= 3
    for absent in ("audience_devices", "audience_locales", "account_type", "content_rating"):
        assert absent not in c
    assert isinstance(c["creator_id"], str) and c["creator_id"].isdigit()


@pytest.mark.parametrize(
    ("params", "code", "needle"),
    [
        ({}, 40002, "country_codes"),
        ({"country_codes": ["MX"]}, 40122, "MX"),
        ({"country_codes": "US"}, 40002, "country_codes"),
        ({"country_codes": ["US"], "page_size": 201}, 40002, "page_size"),
        ({"country_codes": ["US"], "page": 0}, 40002, "page"),
        ({"country_codes": ["US"], "min_followers": 10, "max_followers": 5}, 40002,
         "min_followers"),
        ({"country_codes": ["US"], "min_followers": 2000, "max_followers": 1000}, 40002,
         "max_followers"),
        ({"country_codes": ["US"], "min_engagement_rate": "x"}, 40002, "min_engagement_rate"),
        ({"country_codes": ["US"], "content_label_ids": ["1"]}, 40002, "content_label_ids"),
        ({"country_codes": ["US"], "languages": ["xx"]}, 40002, "languages"),
        ({"country_codes": ["US"], "follower_gender_ratio": "FEMALE_65"}, 40002,
         "follower_gender_ratio"),
        ({"country_codes": ["US"], "follower_age": "13-17"}, 40002, "follower_age"),
        ({"country_codes": ["US"], "sort_field": "VIEWS"}, 40002, "sort_field"),
        ({"country_codes": ["US"], "sort_order": "UP"}, 40002, "sort_order"),
        ({"country_codes": ["US"], "creator_price_currency": "XYZ", "min_creator_price": 1}, 40002,
         "creator_price_currency"),
        ({"country_codes": ["US"], "keyword_search": "x" * 101}, 40002, "keyword_search"),
    ],
)  # fmt: skip
def test_validation(rapi: Api, params: dict[str, Any], code: int, needle: str) -> None:
    env = rapi.get(PATH, **params)
    assert env["code"] == code, env
    assert needle in env["message"]


def test_bad_json_list_names_the_parameter(rapi: Api) -> None:
    status, _, body = rapi.raw(
        "GET", PATH, {"tto_tcm_account_id": "7000000000000000007", "country_codes": "[US"}
    )
    assert b'"code":40002' in body and b"country_codes" in body
