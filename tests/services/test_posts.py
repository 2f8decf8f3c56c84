"""Published posts from the store (SQLite and PostgreSQL): loading, availability, added by hand."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.builders.performance import day
from tests.builders.posts import (
    MANAGER,
    NOW,
    VIEWER,
    add_creators,
    add_spring_campaign,
    post_row,
    seed_spring,
    video,
)
from ttcm.auth import SYSTEM, PermissionDenied
from ttcm.domain.performance.audience import campaign_audience
from ttcm.domain.performance.campaign_data import OTHERS, TOTAL
from ttcm.domain.performance.overview import overview
from ttcm.domain.performance.pacing import daily_totals, default_as_of
from ttcm.domain.performance.trends import over_time
from ttcm.services import manual_posts, post_metrics
from ttcm.services import posts as svc
from ttcm.services.posts import PostError
from ttcm.services.spark import SparkAds
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.upsert import upsert


@pytest.fixture
def spring_pk(store: Store) -> int:
    return seed_spring(store)


# ---------------------------------------------------------------- loading


def test_load_campaign_matches_the_hand_computed_overview(store: Store, spring_pk: int) -> None:
    data = post_metrics.load_campaign(store, VIEWER, spring_pk)
    assert sorted(data.posts["video_id"]) == ["101", "102", "103", "104"]
    ov = overview(data, default_as_of(data.daily, date(2026, 3, 20)))
    assert ov.as_of == day(3)
    assert ov.totals.views.value == 6500
    assert ov.totals.engagements.value == 300
    assert ov.totals.engagement_rate.value == pytest.approx(0.05)
    assert ov.totals.reach.value == 4900
    # cat's hand-added post (500 views, no daily stats) counts on the day it was posted
    assert ov.pacing.to_date.value == 6500
    assert ov.pacing.projected_total.value == pytest.approx(65_000 / 3)
    assert ov.costs.creator_cost.value == 500.0
    assert ov.costs.cpm.value == pytest.approx(500 / 6500 * 1000)
    assert ov.ordered_videos == 3
    assert data.spark_codes == 1
    shares = campaign_audience(data.posts, data.audience, "genders")
    assert shares == pytest.approx({"FEMALE": 0.7, "MALE": 0.3})  # cat's hand-added post is out


def test_metrics_a_post_does_not_carry_are_blank(store: Store, spring_pk: int) -> None:
    posts = post_metrics.load_campaign(store, VIEWER, spring_pk).posts.set_index("video_id")
    cat = posts.loc["104"]
    assert cat["video_views"] == 500 and cat["likes"] == 40  # public counters stay
    for col in ("engagement_count", "engagement_rate", "reach", "video_completion_rate"):
        assert cat[col] != cat[col], col  # NaN: unavailable, not the stored number
    assert posts.loc["101", "reach"] == 1500
    assert posts.loc["101", "usual_views"] == 1000


def test_daily_stats_per_leading_creator_and_the_rest(store: Store, spring_pk: int) -> None:
    data = post_metrics.load_campaign(store, VIEWER, spring_pk, top=1)
    rows = {(r.day, r.handle_name): r.views for r in data.daily.itertuples()}
    # ana and ben both have 3,000 views: the tie goes by handle, so ana leads
    assert post_metrics.leading_creators(data.posts, 1) == ["ana"]
    assert rows[(day(1), "ana")] == 1000
    assert rows[(day(3), OTHERS)] == 3000
    assert rows[(day(1), OTHERS)] == 500  # cat's hand-added post, on its publish day
    assert list(daily_totals(data.daily)) == [1500, 1100, 3900]
    everyone = post_metrics.load_campaign(store, VIEWER, spring_pk)
    assert set(everyone.daily["handle_name"]) == {"ana", "ben", "cat"}


def test_an_empty_campaign_loads_empty(store: Store) -> None:
    pk = add_spring_campaign(store)
    data = post_metrics.load_campaign(store, VIEWER, pk)
    assert data.posts.empty and data.daily.empty and data.orders == []
    ov = overview(data, date(2026, 3, 5))
    assert ov.totals.views.value is None
    with pytest.raises(PostError, match="no campaign 999"):
        post_metrics.load_campaign(store, VIEWER, 999)


def test_retention_curves_of_chosen_posts(store: Store, spring_pk: int) -> None:
    curves = post_metrics.retention_curves(store, VIEWER, spring_pk, ["103", "101", "104", "900"])
    assert curves == [("@ana · …101", [1.0, 0.5, 0.25])]


def test_campaign_choices_and_find_campaign(store: Store, spring_pk: int) -> None:
    other = add_spring_campaign(store, campaign_name="Autumn", archived_at=NOW)
    choices = svc.campaign_choices(store, VIEWER)
    assert [(c["id"], c["posts"]) for c in choices] == [(spring_pk, 4)]
    assert {c["id"] for c in svc.campaign_choices(store, VIEWER, include_archived=True)} == {
        spring_pk,
        other,
    }
    assert svc.find_campaign(store, VIEWER, str(spring_pk)) == spring_pk
    assert svc.find_campaign(store, VIEWER, "7300000000000000042") == spring_pk
    for bad in ("12; DROP TABLE posts", "", "x" * 500):
        with pytest.raises(PostError, match="campaign is named by its number"):
            svc.find_campaign(store, VIEWER, bad)
    with pytest.raises(PostError, match="no campaign 404"):
        svc.find_campaign(store, VIEWER, "404")


# ---------------------------------------------------------------- one post


def test_post_detail_explains_each_missing_metric(store: Store, spring_pk: int) -> None:
    full = svc.post_detail(store, VIEWER, "101")
    assert full.tracking_label.startswith("Tracked through an order")
    by_key = {mv.key: mv for mv in full.metrics}
    assert by_key["reach"].value == 1500 and by_key["reach"].available
    assert full.retention.value == [1.0, 0.5, 0.25]
    assert full.sources.value == {"for_you": 1500, "search": 500}
    assert full.split.value == {"organic": 2000, "paid": 0}
    assert full.audience["genders"].available
    assert not full.audience["ages"].available and full.audience["ages"].reason == (
        "Not reported yet."
    )
    assert list(full.daily["views"]) == [1000, 600, 400]
    assert full.spark["auth_code"] == "#code101"

    manual = svc.post_detail(store, VIEWER, "104")
    by_key = {mv.key: mv for mv in manual.metrics}
    assert by_key["video_views"].value == 500
    for key in ("engagement_count", "engagement_rate", "reach", "video_completion_rate"):
        assert by_key[key].value is None and not by_key[key].available
        assert "added by hand" in by_key[key].reason
    assert not manual.retention.available and not manual.audience["genders"].available
    assert manual.spark is None


def test_post_detail_rejects_bad_ids(store: Store, spring_pk: int) -> None:
    with pytest.raises(PostError, match="1-32 digits"):
        svc.post_detail(store, VIEWER, "<script>alert(1)</script>")
    with pytest.raises(PostError, match="No post 555"):
        svc.post_detail(store, VIEWER, "555")


# ---------------------------------------------------------------- posts added by hand


class FakeClient:
    """The two video-list reads a hand-added post needs."""

    def __init__(self, videos: list[dict]) -> None:
        self.videos = [SimpleNamespace(**v) for v in videos]
        self.calls: list[tuple[str, str]] = []

    def iter_public_videos(self, handle: str, limit: int = 10):
        self.calls.append(("public", handle))
        return iter(self.videos)

    def iter_authorized_videos(self, creator_id: str, limit: int = 10):
        self.calls.append(("authorized", creator_id))
        return iter(self.videos)


def test_add_a_post_by_hand_from_the_creator_videos(store: Store, spring_pk: int) -> None:
    client = FakeClient([video("201"), video("101")])
    listed = manual_posts.creator_videos(store, MANAGER, client, "@ana", campaign_pk=spring_pk)
    assert client.calls == [("authorized", "c-ana")]  # authenticated: the authorized list
    assert [(v["video_id"], v["in_campaign"]) for v in listed] == [
        ("201", None),
        ("101", spring_pk),
    ]
    manual_posts.add_manual_post(store, MANAGER, spring_pk, "ana", listed[0])
    data = post_metrics.load_campaign(store, VIEWER, spring_pk).posts.set_index("video_id")
    assert data.loc["201", "tracking"] == "manual_auth"
    assert data.loc["201", "engagement_count"] != data.loc["201", "engagement_count"]  # NaN
    assert data.loc["201", "video_views"] == 800
    with store.read() as conn:
        audit = conn.execute(
            select(m.AuditEntry.action, m.AuditEntry.target, m.AuditEntry.actor)
        ).all()
    assert ("post.add_manual", "201", "max") in audit

    with pytest.raises(PostError, match="already tracked through order o-ana"):
        manual_posts.add_manual_post(store, MANAGER, spring_pk, "ana", listed[1])
    manual_posts.remove_manual_post(store, MANAGER, spring_pk, "201")
    with pytest.raises(PostError, match="not a post added by hand"):
        manual_posts.remove_manual_post(store, MANAGER, spring_pk, "101")  # order posts stay


def test_refresh_counters_of_hand_added_posts(store: Store, spring_pk: int) -> None:
    client = FakeClient([video("104", views=777)])
    assert manual_posts.refresh_manual_posts(store, MANAGER, client, spring_pk) == 1
    assert client.calls == [("public", "cat")]
    posts = post_metrics.load_campaign(store, VIEWER, spring_pk).posts.set_index("video_id")
    assert posts.loc["104", "video_views"] == 777
    assert posts.loc["104", "tracking"] == "manual_nonauth"


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("eve", "Not on TTCM and not authenticated"),
        ("nobody", "No creator @nobody in the cache"),
        ("bad handle!", "is not a TikTok handle"),
        ("'; DROP TABLE posts; --", "is not a TikTok handle"),
    ],
)
def test_hand_added_posts_refuse_bad_or_unsupported_creators(
    store: Store, spring_pk: int, handle: str, message: str
) -> None:
    with pytest.raises(PostError, match=message):
        manual_posts.creator_videos(store, MANAGER, FakeClient([]), handle, campaign_pk=spring_pk)
    with pytest.raises(PostError, match=message):
        manual_posts.add_manual_post(store, MANAGER, spring_pk, handle, video("301"))


def test_viewers_cannot_add_posts(store: Store, spring_pk: int) -> None:
    with pytest.raises(PermissionDenied, match="needs the manager role"):
        manual_posts.add_manual_post(store, VIEWER, spring_pk, "ana", video("301"))
    with pytest.raises(PermissionDenied):
        manual_posts.creator_videos(store, VIEWER, FakeClient([]), "ana", campaign_pk=spring_pk)
    assert post_metrics.load_campaign(store, SYSTEM, spring_pk).posts.shape[0] == 4


def test_cached_aggregates_follow_every_change(store: Store, spring_pk: int) -> None:
    first = post_metrics.load_campaign(store, VIEWER, spring_pk)
    again = post_metrics.load_campaign(store, VIEWER, spring_pk)
    assert again.daily is first.daily and again.audience is first.audience  # reused
    with store.write() as conn:  # new daily stats, written without moving any clock
        upsert(
            conn,
            m.PostDaily.__table__,
            [{"video_id": "103", "day": day(4), "views": 700, "likes": 1, "comments": 0,
              "shares": 0}],
            key=["video_id", "day"],
        )  # fmt: skip
    fresh = post_metrics.load_campaign(store, VIEWER, spring_pk)
    assert list(daily_totals(fresh.daily)) == [1500, 1100, 3900, 700]
    with store.write() as conn:  # a refresh batch changes an audience: the run's heartbeat moves
        conn.execute(
            m.Post.__table__.update()
            .where(m.Post.video_id == "102")
            .values(audience={"genders": [["FEMALE", 1.0]]})
        )
        conn.execute(
            m.SyncRun.__table__.insert().values(
                resources="posts",
                status="running",
                owner="test",
                started_at=NOW,
                heartbeat_at=NOW,
                counts={},
                checkpoint={},
            )
        )
    moved = post_metrics.load_campaign(store, VIEWER, spring_pk)
    assert moved.audience["102"] == {"genders": [["FEMALE", 1.0]]}
    post_metrics.forget_aggregates()
    cold = post_metrics.load_campaign(store, VIEWER, spring_pk, cache=False)
    assert cold.daily.equals(moved.daily) and cold.audience == moved.audience


# ---------------------------------------------------------------- one set of posts


def test_a_post_by_a_creator_outside_the_campaign_is_refused(store: Store, spring_pk: int) -> None:
    add_creators(store, {"handle_name": "zed", "is_tcm_creator": True, "is_authenticated": False})
    client = FakeClient([video("401", views=1_030_000)])
    with pytest.raises(PostError, match="@zed is not a creator of this campaign"):
        manual_posts.creator_videos(store, MANAGER, client, "zed", campaign_pk=spring_pk)
    assert client.calls == []  # refused before anything is read from TikTok
    with pytest.raises(PostError, match="Add @zed on Campaigns › Creators first"):
        manual_posts.add_manual_post(
            store, MANAGER, spring_pk, "zed", video("401", views=1_030_000)
        )
    data = post_metrics.load_campaign(store, VIEWER, spring_pk)
    assert "401" not in set(data.posts["video_id"])
    assert overview(data, day(3)).totals.views.value == 6500
    with store.read() as conn:
        actions = conn.execute(select(m.AuditEntry.action)).scalars().all()
    assert "post.add_manual" not in actions


def test_every_figure_counts_the_same_posts(store: Store, spring_pk: int) -> None:
    """A post linked before the rule existed, by a creator not in the campaign, counts nowhere."""
    add_creators(store, {"handle_name": "zed", "is_tcm_creator": True, "is_authenticated": False})
    with store.write() as conn:
        upsert(
            conn,
            m.Post.__table__,
            [post_row("402", "zed", spring_pk, "manual_nonauth", video_views=1_030_000,
                      likes=9, comments=9, shares=9, audience={"genders": [["MALE", 1.0]]})],
            key=["video_id"],
        )  # fmt: skip
        upsert(
            conn,
            m.PostDaily.__table__,
            [{"video_id": "402", "day": day(2), "views": 1_030_000}],
            key=["video_id", "day"],
        )
    data = post_metrics.load_campaign(store, VIEWER, spring_pk)
    assert "402" not in set(data.posts["video_id"])
    ov = overview(data, default_as_of(data.daily, day(20)))
    assert ov.totals.views.value == 6500
    assert ov.pacing.to_date.value == ov.totals.views.value  # pacing and the KPIs agree
    cumulative = over_time(data.daily, "views", cumulative=True)
    assert cumulative[TOTAL].iloc[-1] == ov.totals.views.value  # and so does the chart
    assert "402" not in data.audience
    assert post_metrics.retention_curves(store, VIEWER, spring_pk, ["402"]) == []
    choice = next(c for c in svc.campaign_choices(store, VIEWER) if c["id"] == spring_pk)
    assert choice["posts"] == 4
    spark = SparkAds(store, lambda: None)
    assert "402" not in {r["video_id"] for r in spark.table(VIEWER, spring_pk)}
    assert [p["video_id"] for p in svc.stray_posts(store, VIEWER, spring_pk)] == ["402"]
    manual_posts.remove_manual_post(store, MANAGER, spring_pk, "402")  # the way out
    assert svc.stray_posts(store, VIEWER, spring_pk) == []
