"""TTCM eligibility: each rule, per country, named in the result."""

from __future__ import annotations

import pytest

from ttcm import rules
from ttcm.domain.eligibility import ALREADY_TTCM, ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, check

GOOD = {
    "is_tcm_creator": False,
    "country_code": "US",
    "followers_count": 50_000,
    "age_verified_18": True,
    "account_type": "PERSONAL",
    "videos_last_30d": 5,
    "views_last_30d": 20_000,
    "content_rating": "13+",
}


def test_a_creator_meeting_every_rule_is_eligible() -> None:
    result = check(GOOD)
    assert result.eligible is True and result.failures == [] and result.code == ELIGIBLE


@pytest.mark.parametrize("country", sorted(rules.countries()))
def test_follower_minimum_of_each_supported_country(country: str) -> None:
    minimum = rules.countries()[country]["min_followers"]
    assert check({**GOOD, "country_code": country, "followers_count": minimum}).eligible
    below = check({**GOOD, "country_code": country, "followers_count": minimum - 1})
    assert [f.rule for f in below.failures] == ["followers"]
    assert f"{minimum:,}" in below.failures[0].message and country in below.failures[0].message


@pytest.mark.parametrize("country", ["MX", "NL", "PL", "SE", "IN"])
def test_unsupported_countries_are_named(country: str) -> None:
    result = check({**GOOD, "country_code": country})
    assert [f.rule for f in result.failures] == ["country"]
    assert (
        country in result.failures[0].message and "24 TTCM countries" in result.failures[0].message
    )


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"age_verified_18": False}, "age"),
        ({"account_type": "BUSINESS"}, "account_type"),
        ({"videos_last_30d": 2}, "videos_30d"),
        ({"views_last_30d": 999}, "views_30d"),
        ({"content_rating": "18+"}, "content_rating"),
    ],
)
def test_each_rule_is_named_when_it_fails(change: dict, rule: str) -> None:
    result = check({**GOOD, **change})
    assert result.eligible is False and [f.rule for f in result.failures] == [rule]
    assert result.code == NOT_ELIGIBLE


def test_several_failures_are_all_listed() -> None:
    result = check({**GOOD, "country_code": "MX", "account_type": "BUSINESS", "videos_last_30d": 0})
    assert [f.rule for f in result.failures] == ["country", "account_type", "videos_30d"]


def test_unknown_facts_are_reported_not_guessed() -> None:
    result = check({"is_tcm_creator": False, "country_code": "US", "followers_count": 20_000})
    assert result.eligible is None and result.code == UNKNOWN
    assert "account type" in result.unknown and "content rating" in result.unknown


def test_marketplace_creators_need_no_check() -> None:
    assert check({"is_tcm_creator": True}).code == ALREADY_TTCM
