"""Creator profiles: metric availability with reasons, and similar creators with reasons."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.builders.creators import NOW, load, make_creators
from ttcm import rules
from ttcm.auth import Principal
from ttcm.services.discovery import index_cache
from ttcm.services.profiles import ProfileError, account_metric, post_metric, profile, similar
from ttcm.store import Store
from ttcm.store import models as m

VIEWER = Principal("val", "Val", "viewer")


@pytest.mark.parametrize("kind", ["auth_ttcm", "nonauth_ttcm", "auth_nonttcm", "nonauth_nonttcm"])
def test_every_account_metric_is_a_value_or_a_reason(kind: str) -> None:
    for key in rules.metric_availability()["account_metrics"]:
        mv = account_metric(kind, key, 123)
        if mv.available:
            assert mv.value == 123 and mv.reason is None
        else:
            assert mv.value is None and mv.reason  # never 0, never blank


def test_marketplace_metrics_of_a_non_ttcm_account_are_explained() -> None:
    mv = account_metric("auth_nonttcm", "median_views", 5000)
    assert not mv.available and "not on the TikTok Creator Marketplace" in mv.reason
    devices = account_metric("nonauth_ttcm", "audience_devices", [("ios", 0.5)])
    assert not devices.available and "not authenticated" in devices.reason
    none = account_metric("auth_ttcm", "completion_rate", 0.4)
    assert not none.available and "does not provide" in none.reason
    missing = account_metric("auth_ttcm", "median_views", None)
    assert not missing.available and "Not in the cached data" in missing.reason


def test_post_metrics_follow_tracking() -> None:
    assert post_metric("order", "reach", 10).available
    manual = post_metric("manual_auth", "reach", 10)
    assert not manual.available and "campaign code" in manual.reason
    assert post_metric("manual_nonauth", "likes", 3).available
    assert not post_metric("manual_nonauth", "engagement_rate", 0.1).available


@pytest.fixture
def loaded(store: Store) -> Store:
    index_cache.forget()
    rows = make_creators(200, seed=3)
    rows.append(
        {
            "handle_name": "ghost_account",
            "is_tcm_creator": False,
            "is_authenticated": False,
            "source": m.API_SOURCE,
            "first_seen_at": NOW,
            "fetched_at": NOW,
        }
    )
    load(store, rows)
    return store


def test_profile_of_an_unsupported_account_says_why(loaded: Store) -> None:
    p = profile(loaded, VIEWER, "ghost_account")
    assert p.kind == "nonauth_nonttcm"
    followers = next(x for x in p.metrics if x.key == "followers_count")
    assert not followers.available and "invite the creator to TTCM" in followers.reason


def test_profile_of_an_unknown_handle_is_a_clear_error(loaded: Store) -> None:
    with pytest.raises(ProfileError, match="No creator @nobody"):
        profile(loaded, VIEWER, "nobody")


def test_similar_creators_come_with_reasons_and_exclude_unsupported(loaded: Store) -> None:
    index = index_cache.current(loaded)
    assert index.size == 201
    with loaded.read() as conn:
        handle = conn.execute(
            select(m.Creator.handle_name).where(m.Creator.label_ids.is_not(None)).limit(1)
        ).scalar_one()
    found = similar(loaded, VIEWER, handle)
    assert len(found) == 20
    assert handle not in [s.handle_name for s in found]
    assert "ghost_account" not in [s.handle_name for s in found]
    assert all(s.reasons for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
