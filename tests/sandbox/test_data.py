"""The creator directory: determinism, realistic distributions, every account kind."""

from __future__ import annotations

import numpy as np
import pytest

from ttcm import rules
from ttcm.sandbox.data import (
    FAIL_AGE,
    FAIL_BUSINESS,
    FAIL_CONTENT,
    FAIL_COUNTRY,
    FAIL_FOLLOWERS,
    FAIL_NONE,
    FAIL_VIDEOS,
    FAIL_VIEWS,
    IN,
    INVALID,
    NOT_IN,
    CreatorDirectory,
)
from ttcm.sandbox.eligibility import failed_rules

COLUMNS = ("followers", "avg_views", "median_views", "er_bp", "price", "country", "status")


@pytest.fixture(scope="module")
def d() -> CreatorDirectory:
    return CreatorDirectory(20_000, 7)


def test_same_seed_same_directory() -> None:
    a, b = CreatorDirectory(3000, 11), CreatorDirectory(3000, 11)
    for col in COLUMNS:
        np.testing.assert_array_equal(getattr(a, col), getattr(b, col))
    assert a.handles == b.handles
    assert [a.bio(i) for i in range(50)] == [b.bio(i) for i in range(50)]
    assert [a.audience_countries(i) for i in range(50)] == [
        b.audience_countries(i) for i in range(50)
    ]


def test_different_seed_different_directory() -> None:
    a, b = CreatorDirectory(3000, 11), CreatorDirectory(3000, 12)
    assert not np.array_equal(a.followers, b.followers)
    assert a.handles != b.handles
    assert a.creator_id(0) != b.creator_id(0)


def test_prefix_of_a_bigger_directory_is_not_required_but_sizes_work() -> None:
    assert CreatorDirectory(1, 7).n == 1
    with pytest.raises(ValueError):
        CreatorDirectory(0, 7)


def test_followers_are_skewed_and_bounded(d: CreatorDirectory) -> None:
    f = d.followers
    assert f.min() >= 1_000 and f.max() <= 50_000_000
    assert 25_000 <= np.median(f) <= 60_000
    assert np.mean(f) > 2 * np.median(f)  # long right tail


def test_views_correlate_with_followers(d: CreatorDirectory) -> None:
    corr = np.corrcoef(np.log(d.followers), np.log(d.avg_views))[0, 1]
    assert corr > 0.6
    assert (d.median_views <= d.avg_views).all()


def test_engagement_rate_is_a_fraction_mostly_in_range(d: CreatorDirectory) -> None:
    er = d.er_bp / 10_000
    inside = ((er >= 0.01) & (er <= 0.15)).mean()
    assert inside > 0.85 and er.max() < 1


def test_price_in_country_currency_correlates_with_followers(d: CreatorDirectory) -> None:
    us = d.country == d.vocab.countries.index("US")
    corr = np.corrcoef(np.log(d.followers[us]), np.log(d.price[us]))[0, 1]
    assert corr > 0.7
    i = int(np.flatnonzero(d.country == d.vocab.countries.index("JP"))[0])
    assert d.currency_code(i) == rules.countries()["JP"]["currency"]


def test_account_kinds(d: CreatorDirectory) -> None:
    share = np.bincount(d.status, minlength=3) / d.n
    assert 0.72 < share[IN] < 0.78 and 0.22 < share[NOT_IN] < 0.27 and 0 < share[INVALID] < 0.01
    assert 0.26 < d.authenticated[d.status == IN].mean() < 0.34
    assert 0.55 < d.authenticated[d.status == NOT_IN].mean() < 0.65
    assert not d.authenticated[d.status == INVALID].any()


def test_marketplace_creators_are_eligible(d: CreatorDirectory) -> None:
    for i in np.flatnonzero(d.status == IN)[:300].tolist():
        assert failed_rules(d, i) == []


@pytest.mark.parametrize(
    ("fail", "rule"),
    [
        (FAIL_COUNTRY, "country"),
        (FAIL_FOLLOWERS, "followers"),
        (FAIL_BUSINESS, "account_type"),
        (FAIL_AGE, "age"),
        (FAIL_VIDEOS, "videos_30d"),
        (FAIL_VIEWS, "views_30d"),
        (FAIL_CONTENT, "content_rating"),
    ],
)
def test_non_marketplace_creators_fail_each_rule(d: CreatorDirectory, fail: int, rule: str) -> None:
    chosen = np.flatnonzero((d.status == NOT_IN) & (d.fail == fail))
    assert len(chosen) > 20
    for i in chosen[:30].tolist():
        assert rule in [r for r, _ in failed_rules(d, i)]


def test_some_non_marketplace_creators_are_eligible(d: CreatorDirectory) -> None:
    chosen = np.flatnonzero((d.status == NOT_IN) & (d.fail == FAIL_NONE))
    assert len(chosen) > 100
    assert all(failed_rules(d, i) == [] for i in chosen[:50].tolist())


def test_unsupported_countries_appear(d: CreatorDirectory) -> None:
    codes = {d.country_code(i) for i in np.flatnonzero(d.fail == FAIL_COUNTRY).tolist()}
    assert codes <= {"MX", "NL", "PL", "SE"} and len(codes) == 4


def test_handles_unique_and_lookup(d: CreatorDirectory) -> None:
    assert len(set(d.handles)) == d.n
    for i in (0, 17, d.n - 1):
        h = d.handles[i]
        assert d.index_of(h) == i
        assert d.index_of(f"@{h.upper()} ") == i
        assert d.index_of_id(d.creator_id(i)) == i
        assert h == h.lower() and len(h) <= 30
    assert d.index_of("no-such-handle-xyz") is None
    assert d.index_of_id("123") is None


def test_labels_languages_states(d: CreatorDirectory) -> None:
    v = rules.vocab()
    for i in range(200):
        assert 1 <= len(d.labels(i, "content")) <= 3
        assert 1 <= len(d.labels(i, "industry")) <= 2
        assert set(d.languages(i)) <= set(v["languages"]) and d.languages(i)
        state = d.state_province(i)
        assert (state is not None) == (d.country_code(i) in ("US", "CA", "AU", "BR"))


def test_audience_summaries_consistent(d: CreatorDirectory) -> None:
    for i in range(200):
        genders = d.audience_genders(i)
        assert sum(g["percentage"] for g in genders) == pytest.approx(1.0)
        ages = d.audience_ages(i)
        assert sum(a["percentage"] for a in ages) == pytest.approx(1.0)
        main = max(ages, key=lambda a: a["percentage"])["age"]
        assert main == d.vocab.age_bands[int(d.age_band[i])]
        countries = d.audience_countries(i)
        shares = [c["percentage"] for c in countries]
        assert shares == sorted(shares, reverse=True) and sum(shares) <= 1.0
        assert countries[0]["country"] == d.vocab.audience_countries[int(d.aud_country[i])]


def test_some_display_names_and_bios_are_hostile(d: CreatorDirectory) -> None:
    names = [d.display_name(i) for i in range(d.n)]
    bios = {d.bio(i) for i in range(d.n)}
    assert any("<b>" in n for n in names) and any('"' in n for n in names)
    assert any(ord(ch) > 0xFFFF for n in names for ch in n)  # emoji
    assert any("<b>" in b for b in bios) and any('"' in b for b in bios)
    assert sum("<b>" in n for n in names) < 0.03 * d.n


def test_text_search_matches_python_oracle(d: CreatorDirectory) -> None:
    for kw in ("ma", "<b>", "recipes", "ZE", "🌸"):
        handle, name, bio = d.text_matches(kw)
        k = kw.lower()
        assert handle.tolist() == [i for i in range(d.n) if k in d.handles[i]]
        assert name.tolist() == [i for i in range(d.n) if k in d.display_name(i).lower()]
        assert bio.tolist() == [i for i in range(d.n) if k in d.bio(i).lower()]
