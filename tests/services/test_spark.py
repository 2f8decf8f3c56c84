"""Spark Ads requests against the in-process sandbox: once per video, action and day; audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.builders.posts import add_spring_campaign, post_row
from tests.builders.spark import World
from tests.refresh.conftest import make_client
from ttcm.api import errors as api_errors
from ttcm.auth import PermissionDenied, Principal
from ttcm.services.spark import SparkAds, SparkError, check_request, days_left, is_live
from ttcm.store import Store
from ttcm.store import models as m

MANAGER = Principal("max", "Max", "manager", 1)
VIEWER = Principal("val", "Val", "viewer", 1)


@pytest.fixture
def world(store: Store) -> World:
    return World(store)


def test_a_request_is_sent_once_per_video_action_and_day(world: World) -> None:
    ads = world.ads()
    video = world.accepted()
    first = ads.request(MANAGER, video, 30)
    assert first.ok and first.request_id and not first.already
    assert first.status["auth_status"] == "WAITING"  # recorded at once, not at the next refresh
    again = ads.request(MANAGER, video, 30)  # a double click
    assert again.ok and again.already and again.request_id == first.request_id
    assert world.sent == [(video, 30, False)] and len(world.events(video)) == 1
    assert world.audit() == [("spark.apply", video, first.request_id)]
    row = next(r for r in ads.table(VIEWER, world.pk) if r["video_id"] == video)
    assert row["auth_status"] == "WAITING" and row["num_remaining_request"] == 29
    assert row["requested_authorization_days"] == 30 and row["auth_code"] is None

    world.sandbox.advance(24)  # the next day the same request may be sent again (a reminder)
    reminder = ads.request(MANAGER, video, 30)
    assert reminder.ok and not reminder.already and len(world.events(video)) == 2


def test_the_code_shows_after_the_creator_accepts_and_can_be_extended(world: World) -> None:
    ads = world.ads()
    video = world.accepted()
    ads.request(MANAGER, video, 7)
    world.sandbox.advance(100)  # every decision is made within 96 hours
    world.refresh_spark()
    row = next(r for r in ads.table(VIEWER, world.pk) if r["video_id"] == video)
    assert row["auth_status"] == "ACCEPTED" and row["auth_code"]
    assert row["auth_code_status"] in ("NOT_USED", "IN_USE")
    assert row["can_extend"] and not row["can_request"]
    start, end = row["auth_code_start_time"], row["auth_code_end_time"]
    assert row["days_left"] == days_left(start, end, world.sandbox.clock.now())
    assert 0 < row["days_left"] <= 365

    with pytest.raises(SparkError, match="already authorized until .*; extend it instead"):
        ads.request(MANAGER, video, 30)
    extended = ads.request(MANAGER, video, 30, extend=True)
    assert extended.ok and world.sent[-1] == (video, 30, True)
    assert [a for a, _, _ in world.audit()] == ["spark.apply", "spark.extend"]
    [status] = ads.status(VIEWER, world.pk)
    assert status["video_id"] == video and status["auth_code"] == row["auth_code"]
    assert set(status) >= {"auth_status", "auth_code_status", "days_left", "num_remaining_request"}


def test_a_selection_reports_each_post(world: World) -> None:
    ads = world.ads()
    picked = world.videos[:3]
    outcome = ads.request_many(MANAGER, [*picked, picked[0], "12345", "not-a-video"], 60)
    assert [r.video_id for r in outcome.sent] == picked
    assert {r.video_id: r.message for r in outcome.failed} == {
        "12345": "This video is not a published post of any campaign in the cache; run a "
        "refresh first (`ttcm refresh`).",
        "not-a-video": "A TikTok video id is 1-32 digits; 'not-a-video' is not one.",
    }
    assert len(world.sent) == 3


def test_an_ambiguous_failure_is_looked_up_not_sent_again(world: World) -> None:
    video = world.videos[0]
    real = world.client

    def timing_out():
        client = real()
        apply = client.spark_apply

        def send_then_time_out(video_id: str, days: int = 30, extend: bool = False):
            apply(video_id, days=days, extend=extend)  # it reached TikTok ...
            raise api_errors.APITimeoutError("the request timed out")  # ... but no answer came

        client.spark_apply = send_then_time_out
        return client

    lost = SparkAds(world.store, timing_out, now=world.sandbox.clock.now)
    with pytest.raises(SparkError, match="did not confirm"):
        lost.request(MANAGER, video, 30)
    with world.store.read() as conn:
        status = conn.execute(select(m.WriteIntent.status)).scalar_one()
    assert status == "unknown"
    retry = world.ads().request(MANAGER, video, 30)
    assert retry.ok and not retry.already
    assert world.sent == [(video, 30, False)]  # the retry looked the status up instead
    assert len(world.events(video)) == 1
    assert [a for a, _, _ in world.audit()] == ["spark.apply.reconcile"]


def test_a_refusal_by_tiktok_can_be_retried(world: World) -> None:
    video = world.videos[0]

    def refusing():
        client = make_client(world.sandbox)

        def refuse(video_id: str, days: int = 30, extend: bool = False):
            raise api_errors.InvalidRequestError(40002, "video is not eligible", "req-1")

        client.spark_apply = refuse
        return client

    with pytest.raises(SparkError, match="TikTok refused the request: video is not eligible"):
        SparkAds(world.store, refusing, now=world.sandbox.clock.now).request(MANAGER, video, 30)
    assert world.ads().request(MANAGER, video, 30).ok  # a definite refusal frees the key


def test_a_failure_before_sending_frees_the_key(world: World) -> None:
    def offline():
        raise api_errors.APIConnectionError("connection refused", sent=False)

    with pytest.raises(SparkError, match="could not be reached, so nothing was sent"):
        SparkAds(world.store, offline, now=world.sandbox.clock.now).request(
            MANAGER, world.videos[0], 30
        )
    with world.store.read() as conn:
        assert conn.execute(select(m.WriteIntent.status)).scalar_one() == "failed"
    assert world.ads().request(MANAGER, world.videos[0], 30).ok


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("101", 8, False), "Choose an authorization of 7, 30, 60, 365 days"),
        (("999", 30, False), "not a published post of any campaign"),
        (("104", 30, False), "this one was added by hand"),
        (("101", 30, True), "Only an accepted, unexpired authorization can be extended"),
        (("1' OR '1'='1", 30, False), "1-32 digits"),
    ],
)
def test_requests_that_cannot_be_sent_say_why(store: Store, args, message) -> None:
    pk = add_spring_campaign(store)
    with store.write() as conn:
        conn.execute(m.Post.__table__.insert().values(**post_row("101", "ana", pk)))
        conn.execute(m.Post.__table__.insert().values(**post_row("104", "cat", pk, "manual_auth")))

    def no_client():
        raise AssertionError("nothing may be sent")

    with pytest.raises(SparkError, match=message):
        SparkAds(store, no_client).request(MANAGER, args[0], args[1], extend=args[2])
    with pytest.raises(PermissionDenied):
        SparkAds(store, no_client).request(VIEWER, "101", 30)


def test_rules_for_days_left_and_live_codes() -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert days_left(now - timedelta(days=1), now + timedelta(days=6, hours=1), now) == 7
    assert days_left(now - timedelta(days=40), now - timedelta(days=10), now) == 0
    # a code whose start is ahead of our clock never shows more days than it lasts
    assert days_left(now + timedelta(days=2), now + timedelta(days=9), now) == 7
    assert days_left(None, None, now) is None
    live = {
        "auth_status": "ACCEPTED",
        "auth_code_status": "IN_USE",
        "auth_code_end_time": (now + timedelta(days=1)).replace(tzinfo=None),  # SQLite: naive
    }
    assert is_live(live, now)
    assert not is_live({**live, "auth_code_status": "DELETED"}, now)
    assert not is_live({**live, "auth_status": "REJECTED"}, now)
    assert not is_live(None, now)
    post = {"tracking": "order"}
    with pytest.raises(SparkError, match="no more Spark Ads requests"):
        check_request(post, {"num_remaining_request": 0}, 30, False, now)
    with pytest.raises(SparkError, match="days"):
        check_request(post, None, True, False, now)  # a bool is not a duration
