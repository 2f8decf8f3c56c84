"""Answers the sandbox never gives: documented variants are read, drift is an UnexpectedResponse.

Every variant named in issue 14 (list keys, id names, renamed fields, string cursors, units) is
served through `httpx.MockTransport`; no answer may become an empty list or an all-None record.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.api.conftest import Env, Router, envelope, query
from ttcm.api import errors as e
from ttcm.api import shapes

DISCOVER = "/tto/tcm/creator/discover/"
PUBLIC_VIDEOS = "/tto/tcm/creator/public/video/list/"
AUTHORIZED_VIDEOS = "/tto/creator/authorized/video/list/"
SECRET_VALUE = "value-that-must-not-show"


def _creator(handle: str = "mia", **extra: Any) -> dict[str, Any]:
    return {"handle_name": handle, "display_name": SECRET_VALUE, **extra}


def _page(total: int) -> dict[str, int]:
    return {"page": 1, "page_size": 200, "total_number": total, "total_page": 1}


# ---------------------------------------------------------------- list keys


@pytest.mark.parametrize("key", ["creators", "creator_list"])
def test_discover_reads_both_list_keys(make_env, key: str) -> None:
    env: Env = make_env(Router({DISCOVER: {key: [_creator("mia"), _creator("leo")]}}))
    creators, _ = env.client.discover({"country_codes": ["US"]})
    assert [c.handle_name for c in creators] == ["mia", "leo"]


def test_authorized_creators_read_creator_list(make_env) -> None:
    data = {"creator_list": [_creator("mia", creator_id="68")], "page_info": _page(1)}
    env: Env = make_env(Router({"/oauth2/creator/get/": data}))
    assert [c.creator_id for c in env.client.iter_authorized_creators()] == ["68"]


@pytest.mark.parametrize("key", ["posts", "videos", "video_list", "list"])
@pytest.mark.parametrize("id_key", ["video_id", "item_id", "tiktok_item_id"])
def test_video_lists_read_every_list_key_and_id_name(make_env, key: str, id_key: str) -> None:
    data = {key: [{id_key: "7301", "create_time": 1_700_000_000}], "has_more": False}
    env: Env = make_env(Router({PUBLIC_VIDEOS: data, AUTHORIZED_VIDEOS: data}))
    assert [p.video_id for p in env.client.iter_public_videos("mia")] == ["7301"]
    assert [p.video_id for p in env.client.iter_authorized_videos("68")] == ["7301"]


@pytest.mark.parametrize("key", ["videos", "video_detail", "video_details"])
def test_campaign_report_reads_every_list_key(make_env, key: str) -> None:
    row = {"video_info": {"video_id": "7301"}, "video_views": 10}
    data = {key: [row], "page_info": {"page": 1, "total_number": 1, "total_page": 1}}
    env: Env = make_env(Router({"/tto/tcm/report/": data}))
    assert [v.video_id for v in env.client.iter_campaign_report("55")] == ["7301"]


@pytest.mark.parametrize("key", ["items", "creatorList", "data"])
def test_an_unknown_list_key_is_an_unexpected_response_naming_the_keys(make_env, key) -> None:
    env: Env = make_env(Router({DISCOVER: {key: [_creator()], "page_info": _page(1)}}))
    with pytest.raises(e.UnexpectedResponse) as info:
        env.client.discover({"country_codes": ["US"]})
    err = info.value
    assert err.endpoint == DISCOVER and err.missing == "creators"
    assert set(err.present) == {key, "page_info"}
    assert not err.transient and isinstance(err, e.MalformedResponseError)
    assert SECRET_VALUE not in str(err) and "mia" not in str(err)
    assert DISCOVER in str(err) and key in str(err)


def test_a_missing_list_key_is_unexpected_even_without_page_info(make_env) -> None:
    env: Env = make_env(Router({"/tto/tcm/campaign/": {}}))
    with pytest.raises(e.UnexpectedResponse, match="without 'campaigns'"):
        list(env.client.iter_campaigns())


def test_total_number_with_an_empty_list_is_unexpected(make_env) -> None:
    env: Env = make_env(Router({DISCOVER: {"creators": [], "page_info": _page(120)}}))
    with pytest.raises(e.UnexpectedResponse, match="total_number is 120 but the list is empty"):
        list(env.client.iter_discover({"country_codes": ["US"]}))


def test_an_explicit_empty_result_is_still_empty(make_env) -> None:
    env: Env = make_env(Router({DISCOVER: {"page_info": _page(0)}}))
    assert list(env.client.iter_discover({"country_codes": ["US"]})) == []


def test_a_record_without_its_identifying_field_is_unexpected(make_env) -> None:
    data = {"posts": [{"create_time": 1_700_000_000, "caption": SECRET_VALUE}], "has_more": False}
    env: Env = make_env(Router({PUBLIC_VIDEOS: data}))
    with pytest.raises(e.UnexpectedResponse) as info:
        list(env.client.iter_public_videos("mia"))
    assert info.value.missing == "video_id" and info.value.where == "posts"
    assert set(info.value.present) == {"create_time", "caption"}
    assert SECRET_VALUE not in str(info.value)


def test_the_account_list_without_its_key_is_unexpected(make_env) -> None:
    env: Env = make_env(Router({"/tto/oauth2/tcm/": {"accounts": ["1"]}}), account_id=None)
    with pytest.raises(e.UnexpectedResponse, match="tto_tcm_account_ids"):
        env.client.tcm_accounts()


def test_the_account_list_reads_the_legacy_key(make_env) -> None:
    env: Env = make_env(Router({"/tto/oauth2/tcm/": {"tcm_account_ids": [7]}}), account_id=None)
    assert env.client.tcm_accounts() == ["7"]


# ---------------------------------------------------------------- renamed fields


def test_follower_count_is_read_as_followers_count(make_env) -> None:
    env: Env = make_env(Router({DISCOVER: {"creators": [_creator(follower_count=12_000)]}}))
    (creator,), _ = env.client.discover({"country_codes": ["US"]})
    assert creator.followers_count == 12_000


def test_audience_usage_is_read_as_audience_usages(make_env) -> None:
    usage = [{"usage": "Active", "percentage": 0.7}]
    env: Env = make_env(Router({"/tto/tcm/creator/public/": _creator(audience_usage=usage)}))
    creator = env.client.creator_public("mia")
    assert creator.audience_usages is not None
    assert [(s.key, s.percentage) for s in creator.audience_usages] == [("Active", 0.7)]


@pytest.mark.parametrize("name", ["auth_status_updated_time", "auth_status_update_time"])
@pytest.mark.parametrize("status_key", ["auth_status", "ad_auth_status"])
def test_spark_status_reads_both_spellings(make_env, name: str, status_key: str) -> None:
    data = {status_key: "ACCEPTED", name: 1_700_000_000, "video_id": "7301"}
    env: Env = make_env(Router({"/tcm/tt_video/status/": data}))
    status = env.client.spark_status("7301")
    assert status.auth_status == "ACCEPTED"
    assert status.auth_status_updated_time is not None


def test_spark_status_without_any_status_is_unexpected(make_env) -> None:
    env: Env = make_env(Router({"/tcm/tt_video/status/": {"video_id": "7301"}}))
    with pytest.raises(e.UnexpectedResponse, match="auth_status"):
        env.client.spark_status("7301")


@pytest.mark.parametrize("start", ["invite_start_time", "invite_start_time_stamp"])
@pytest.mark.parametrize("handles", ["handle_names", "handler_names"])
def test_campaign_variants(make_env, start: str, handles: str) -> None:
    row = {"campaign_id": "55", start: 1_700_000_000, handles: ["mia", "leo"]}
    data = {"campaigns": [row], "page_info": {"page": 1, "total_number": 1, "total_page": 1}}
    env: Env = make_env(Router({"/tto/tcm/campaign/": data}))
    (campaign,) = env.client.iter_campaigns()
    assert campaign.handle_names == ["mia", "leo"]
    assert campaign.invite_start_time is not None


def test_status_get_reads_handler_name(make_env) -> None:
    data = {"onboarding_status": [{"handler_name": "mia", "status": "IN"}]}
    env: Env = make_env(Router({"/tto/tcm/creator/status/get/": data}))
    assert [(s.handle_name, s.status) for s in env.client.creator_status(["mia"])] == [
        ("mia", "IN")
    ]


# ---------------------------------------------------------------- cursors


class StringCursor:
    """Video list paging with opaque string cursors (`"c1"`, `"c2"`, …)."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.cursors: list[str | None] = []

    def __call__(self, request) -> Any:  # type: ignore[no-untyped-def]
        cursor = query(request).get("cursor")
        self.cursors.append(cursor)
        n = 0 if cursor is None else int(cursor.removeprefix("opaque-"))
        posts = [{"video_id": f"v{n}-{i}"} for i in range(2)]
        more = n + 1 < self.pages
        return envelope(
            {"posts": posts, "page_info": {"has_more": more, "cursor": f"opaque-{n + 1}"}}
        )


def test_string_cursors_are_passed_back_exactly(make_env) -> None:
    server = StringCursor(3)
    env: Env = make_env(Router({PUBLIC_VIDEOS: server}))
    got = [p.video_id for p in env.client.iter_public_videos("mia")]
    assert len(got) == 6
    assert server.cursors == [None, "opaque-1", "opaque-2"]


def test_a_non_numeric_cursor_does_not_stop_paging(make_env) -> None:
    calls: list[str | None] = []

    def answer(request):  # type: ignore[no-untyped-def]
        cursor = query(request).get("cursor")
        calls.append(cursor)
        if cursor is None:
            return envelope(
                {"posts": [{"video_id": "1"}], "has_more": True, "cursor": "eyJ0IjoxfQ=="}
            )
        return envelope({"posts": [{"video_id": "2"}], "has_more": False, "cursor": ""})

    env: Env = make_env(Router({AUTHORIZED_VIDEOS: answer}))
    assert [p.video_id for p in env.client.iter_authorized_videos("68")] == ["1", "2"]
    assert calls == [None, "eyJ0IjoxfQ=="]


# ---------------------------------------------------------------- units


def test_percentages_are_converted_to_fractions_and_logged_once(make_env, caplog) -> None:
    shapes._logged_units.discard("discover")
    rows = [
        _creator("mia", engagement_rate=5.1, audience_genders=[{"gender": "F", "percentage": 61}]),
        _creator("leo", engagement_rate=0.4, audience_genders=[{"gender": "M", "percentage": 39}]),
    ]
    env: Env = make_env(Router({DISCOVER: {"creators": rows}}))
    with caplog.at_level(logging.WARNING, logger="ttcm.api"):
        for _ in range(3):
            creators, _ = env.client.discover({"country_codes": ["US"]})
    assert [c.engagement_rate for c in creators] == pytest.approx([0.051, 0.004])
    assert [c.audience_genders[0].percentage for c in creators] == pytest.approx([0.61, 0.39])
    warned = [r for r in caplog.records if "percentages" in r.getMessage()]
    assert len(warned) == 1 and "engagement_rate" in warned[0].getMessage()


def test_fractions_are_left_alone(make_env) -> None:
    rows = [
        _creator(
            "mia", engagement_rate=0.051, audience_genders=[{"gender": "F", "percentage": 0.6}]
        )
    ]
    env: Env = make_env(Router({DISCOVER: {"creators": rows}}))
    (creator,), _ = env.client.discover({"country_codes": ["US"]})
    assert creator.engagement_rate == pytest.approx(0.051)
    assert creator.audience_genders[0].percentage == pytest.approx(0.6)


def test_report_rates_in_percent_are_converted(make_env) -> None:
    row = {"video_info": {"video_id": "1"}, "engagement_rate": 7.5, "video_completion_rate": 40}
    data = {"videos": [row], "page_info": {"page": 1, "total_number": 1, "total_page": 1}}
    env: Env = make_env(Router({"/tto/tcm/report/": data}))
    (video,) = env.client.iter_campaign_report("55")
    assert video.engagement_rate == pytest.approx(0.075)
    assert video.video_completion_rate == pytest.approx(0.4)


def test_raw_requests_keep_the_answer_as_sent(make_env) -> None:
    env: Env = make_env(Router({DISCOVER: {"creator_list": [_creator(engagement_rate=5.0)]}}))
    raw = env.client.request("discover", {"country_codes": ["US"]}, raw=True)
    assert raw.data["creator_list"][0]["engagement_rate"] == 5.0
    finding = shapes.inspect("discover", raw.data)
    assert finding.drift and finding.variants == ["creator_list for creators"]
    assert finding.percentages == ["engagement_rate"]
