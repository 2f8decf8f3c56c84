"""Clock-driven life: invitations, orders and their videos, links, campaign posts, Spark Ads."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from tests.builders.sandbox import order_videos
from tests.sandbox.support import Api
from ttcm import rules
from ttcm.sandbox.data import FAIL_NONE, IN, NOT_IN

FMT = "%Y-%m-%d %H:%M:%S"


def _t(text: str) -> datetime:
    return datetime.strptime(text, FMT)


def test_invitations_resolve(api: Api) -> None:
    d = api.app.directory
    eligible = [
        d.handles[i] for i in np.flatnonzero((d.status == NOT_IN) & (d.fail == FAIL_NONE))[:16]
    ]
    assert api.ok_post("/tcm/creator/invite/", handle_names=eligible)["invited"] == eligible
    api.app.advance(11)
    statuses = api.ok_get("/tto/tcm/creator/status/get/", handle_names=eligible)
    assert {s["status"] for s in statuses["onboarding_status"]} == {"INVITED"}
    api.app.advance(62)
    statuses = api.ok_get("/tto/tcm/creator/status/get/", handle_names=eligible)
    by_status = {s["handle_name"]: s for s in statuses["onboarding_status"]}
    joined = [h for h, s in by_status.items() if s["status"] == "IN"]
    declined = [h for h, s in by_status.items() if s["status"] == "NOT_IN"]
    assert joined and declined and len(joined) + len(declined) == len(eligible)
    assert all(by_status[h]["reject_reason"] for h in declined)
    h = joined[0]
    i = d.index_of(h)
    found = api.ok_get(
        "/tto/tcm/creator/discover/", country_codes=[d.country_code(i)], keyword_search=h
    )["creators"]
    assert [c["handle_name"] for c in found] == [h] and found[0]["is_tcm_creator"] is True
    assert api.get("/tto/tcm/creator/public/", handle_name=h)["code"] == 0
    assert api.get("/tto/tcm/creator/public/", handle_name=declined[0])["code"] == 40121
    assert api.ok_post("/tcm/creator/invite/", handle_names=[h])["in_tcm"] == [h]


def test_orders_move_on_and_videos_are_posted(api: Api) -> None:
    d = api.app.directory
    handles = [d.handles[i] for i in np.flatnonzero(d.status == IN)[:12].tolist()]
    out = api.ok_post(
        "/tcm/order/create/v2/",
        brand_name="Acme",
        description="Launch",
        handle_names=handles,
        deliverables=[{"deliverable_name": "One"}, {"deliverable_name": "Two"}],
    )
    code = out["campaign_code"]

    def statuses() -> list[str]:
        got = api.ok_get("/tcm/order/get/v2/", query_type="CAMPAIGN_CODE", campaign_code=code)
        return [o["status"] for o in got["orders"]]

    assert set(statuses()) == {"ORDER_CREATED"}
    api.app.advance(73)
    assert set(statuses()) <= {"ACCEPTED", "DECLINED", "IN_PROGRESS"} and "ACCEPTED" in statuses()
    api.app.advance(24 * 9)
    final = api.ok_get("/tcm/order/get/v2/", query_type="CAMPAIGN_CODE", campaign_code=code)
    assert {o["status"] for o in final["orders"]} <= {"COMPLETED", "DECLINED"}
    done = [o for o in final["orders"] if o["status"] == "COMPLETED"]
    assert done
    order = done[0]
    assert len(order["video_ids"]) == 2
    assert [x["video_id"] for x in order["deliverables"]] == order["video_ids"]
    assert order["update_time"] > order["create_time"]
    posts = api.ok_get("/tto/tcm/creator/public/video/list/", handle_name=order["handle_name"])
    sponsored = [p for p in posts["posts"] if p["video_id"] in order["video_ids"]]
    assert len(sponsored) == 2
    assert {p["collaboration_status"] for p in sponsored} == {"PAID_PARTNERSHIP"}
    assert all(p["create_time"] % 2 == 1 for p in sponsored)


def test_in_progress_between_videos(api: Api) -> None:
    d = api.app.directory
    handles = [d.handles[i] for i in np.flatnonzero(d.status == IN)[:20].tolist()]
    code = api.ok_post(
        "/tcm/order/create/v2/",
        brand_name="Acme",
        description="Launch",
        handle_names=handles,
        video_number=10,
    )["campaign_code"]
    seen: set[str] = set()
    for _ in range(20):
        api.app.advance(24)
        got = api.ok_get("/tcm/order/get/v2/", query_type="CAMPAIGN_CODE", campaign_code=code)
        for o in got["orders"]:
            seen.add(o["status"])
            if o["status"] == "IN_PROGRESS":
                assert 0 < len(o["video_ids"]) < 10
    assert {"ACCEPTED", "IN_PROGRESS"} <= seen


def test_order_report_rows(api: Api) -> None:
    orders, videos = order_videos(api)
    ids = [o["order_id"] for o in orders]
    now = api.app.clock.now().date()
    start = (now - timedelta(days=20)).isoformat()
    report = api.ok_get(
        "/tcm/report/get/v2/",
        order_ids=ids,
        start_date=start,
        end_date=now.isoformat(),
        need_daily_stats=True,
        page_size=100,
    )
    rows = report["insights"]
    assert {r["dimensions"]["video_id"] for r in rows} == set(videos)
    row = rows[0]
    assert row["dimensions"]["order_type"] == "API_ORDER_V2"
    m = row["metrics"]
    assert m["video_views"] == m["video_views_organic"] + m["video_views_paid"]
    assert m["video_view_retention"][0] == 1.0 and len(m["video_view_retention"]) >= 10
    assert m["daily_stats"] and sum(x["views"] for x in m["daily_stats"]) <= m["video_views"]
    days = [x["date"] for x in m["daily_stats"]]
    assert days == sorted(days) and days[-1] <= now.isoformat()
    narrow = api.ok_get("/tcm/report/get/v2/", order_ids=ids[:3], metrics=["likes", "video_views"])[
        "insights"
    ]
    assert all(
        set(r["metrics"]) == {"video_info", "creator_info", "likes", "video_views"} for r in narrow
    )


def test_spark_lifecycle(api: Api) -> None:
    _, videos = order_videos(api)
    for vid in videos:
        assert api.ok_post("/tcm/tt_video/apply/", video_id=vid, authorization_days=30) == {}
    waiting = api.ok_get("/tcm/tt_video/status/", video_id=videos[0])
    assert waiting["auth_status"] == "WAITING" and "auth_code" not in waiting
    assert waiting["num_remaining_request"] == rules.limits()["spark_ads_remaining_requests"] - 1
    assert waiting["requested_authorization_days"] == 30
    api.app.advance(97)
    results = [api.ok_get("/tcm/tt_video/status/", video_id=v) for v in videos]
    assert {r["auth_status"] for r in results} <= {"ACCEPTED", "REJECTED"}
    accepted = [r for r in results if r["auth_status"] == "ACCEPTED"]
    assert accepted
    allowed = set(rules.spark_days())
    lengths = set()
    for r in accepted:
        span = _t(r["auth_code_end_time"]) - _t(r["auth_code_start_time"])
        assert span.days in allowed and span.seconds == 0
        assert r["auth_code"].startswith("#") and r["auth_code_status"] in ("NOT_USED", "IN_USE")
        assert _t(r["auth_status_updated_time"]) == _t(r["auth_code_start_time"])
        lengths.add(span.days)
    longest = max(_t(r["auth_code_end_time"]) for r in accepted)
    api.app.advance((longest - api.app.clock.now().replace(tzinfo=None)).total_seconds() / 3600)
    api.app.advance(1)
    expired = api.ok_get("/tcm/tt_video/status/", video_id=accepted[0]["video_id"])
    assert expired["auth_code_status"] == "EXPIRED"


def test_spark_apply_rules(api: Api) -> None:
    _, videos = order_videos(api)
    vid = videos[0]
    assert api.get("/tcm/tt_video/status/", video_id=vid)["code"] == 40007
    env = api.post("/tcm/tt_video/apply/", video_id=vid, authorization_days=14)
    assert env["code"] == 40002 and "authorization_days" in env["message"]
    env = api.post("/tcm/tt_video/apply/", video_id=vid, action="EXTEND")
    assert env["code"] == 40002 and "EXTEND" in env["message"]
    assert api.post("/tcm/tt_video/apply/", video_id="7100000000000000001")["code"] == 40007
    organic = api.ok_get(
        "/tto/tcm/creator/public/video/list/",
        handle_name=api.app.directory.handles[
            int(np.flatnonzero(api.app.directory.status == IN)[0])
        ],
    )["posts"]
    plain = next(p for p in organic if p["collaboration_status"] != "PAID_PARTNERSHIP")
    env = api.post("/tcm/tt_video/apply/", video_id=plain["video_id"])
    assert env["code"] == 40002 and "not linked" in env["message"]
    # legacy key, reminders count down
    assert api.ok_post("/tcm/tt_video/apply/", video_id=vid, authorized_days=60) == {}
    assert api.ok_post("/tcm/tt_video/apply/", video_id=vid, authorization_days=7) == {}
    st = api.ok_get("/tcm/tt_video/status/", video_id=vid)
    assert st["num_remaining_request"] == rules.limits()["spark_ads_remaining_requests"] - 2
    assert st["requested_authorization_days"] == 7


def test_spark_extend_and_exhaustion(api: Api) -> None:
    _, videos = order_videos(api, k=20)
    for vid in videos:
        api.ok_post("/tcm/tt_video/apply/", video_id=vid)
    api.app.advance(97)
    accepted = [
        v
        for v in videos
        if api.ok_get("/tcm/tt_video/status/", video_id=v)["auth_status"] == "ACCEPTED"
    ]
    rejected = [v for v in videos if v not in accepted]
    vid = accepted[0]
    before = api.ok_get("/tcm/tt_video/status/", video_id=vid)
    env = api.post("/tcm/tt_video/apply/", video_id=vid)
    assert env["code"] == 40002 and "EXTEND" in env["message"]
    assert (
        api.ok_post("/tcm/tt_video/apply/", video_id=vid, action="EXTEND", authorization_days=7)
        == {}
    )
    after = api.ok_get("/tcm/tt_video/status/", video_id=vid)
    assert _t(after["auth_code_end_time"]) - _t(before["auth_code_end_time"]) == timedelta(days=7)
    assert after["num_remaining_request"] == before["num_remaining_request"] - 1
    # a rejected request may be asked again until the requests run out
    if rejected:
        again = rejected[0]
        assert api.ok_post("/tcm/tt_video/apply/", video_id=again) == {}
        assert api.ok_get("/tcm/tt_video/status/", video_id=again)["auth_status"] == "WAITING"
        left = api.ok_get("/tcm/tt_video/status/", video_id=again)["num_remaining_request"]
        for _ in range(left):
            api.ok_post("/tcm/tt_video/apply/", video_id=again)
        env = api.post("/tcm/tt_video/apply/", video_id=again)
        assert env["code"] == 40002 and "no Spark Ads requests left" in env["message"]


def test_campaign_members_post_and_links_resolve(api: Api) -> None:
    d = api.app.directory
    members = [d.handles[i] for i in np.flatnonzero(d.status == IN)[:10].tolist()]
    c = api.ok_post(
        "/tto/tcm/campaign/create/", campaign_name="Launch", brand_name="Acme", handle_names=members
    )
    outsider = d.handles[int(np.flatnonzero(d.status == IN)[20])]
    posts = api.ok_get("/tto/tcm/creator/public/video/list/", handle_name=outsider)["posts"]
    vids = [p["video_id"] for p in posts[:6]]
    for vid in vids:
        link = api.ok_post(
            "/tto/tcm/campaign/link/", campaign_id=c["campaign_id"], video_id=vid, action="LINK"
        )
        assert link["status"] == "IN_REVIEW"
    api.app.advance(24 * 7)
    infos = api.ok_get("/tto/tcm/campaign/link/status/", campaign_ids=[c["campaign_id"]])
    statuses = {v["video_id"]: v["status"] for v in infos["video_infos"]}
    assert set(statuses.values()) <= {"APPROVE", "REJECTED"} and "APPROVE" in statuses.values()
    approved = [v for v, s in statuses.items() if s == "APPROVE"]
    campaign = api.ok_get("/tto/tcm/campaign/", campaign_ids=[c["campaign_id"]])["campaigns"][0]
    assert set(approved) <= set(campaign["video_ids"])
    member_videos = set(campaign["video_ids"]) - set(approved)
    assert member_videos  # some members joined and posted
    report = api.ok_get("/tto/tcm/report/", campaign_id=c["campaign_id"], page_size=100)
    # TikTok reports a post for 21 days / 30 newer videos: old linked videos are left out
    world, t = api.app.world, api.app.clock.timestamp()
    videos = [world.find_video(v, t) for v in campaign["video_ids"]]
    live = {p.video_id for p in videos if p is not None and world.posts.is_reported(p, t)}
    assert live and {v["video_info"]["video_id"] for v in report["videos"]} == live
    row = report["videos"][0]
    assert row["daily_stats"] and row["video_view_retention"][0] == 1.0
    assert row["creator_info"]["handle_name"]
    country = row["creator_info"]["handle_name"]
    only = api.ok_get(
        "/tto/tcm/report/",
        campaign_id=c["campaign_id"],
        headers={"Country-Code": d.country_code(d.index_of(country))},
    )
    assert only["country_code"] == d.country_code(d.index_of(country)) and only["videos"]
    # an approved video can take a Spark Ads request too
    assert api.ok_post("/tcm/tt_video/apply/", video_id=approved[0]) == {}


def test_spark_ads_asked_for_with_the_order_is_requested_when_the_video_is_posted(
    api: Api,
) -> None:
    """A deliverable's spark_ads_requested_authorization_days is a request sent with the order."""
    d = api.app.directory
    handles = [d.handles[i] for i in np.flatnonzero(d.status == IN)[:6].tolist()]
    out = api.ok_post(
        "/tcm/order/create/v2/",
        brand_name="Acme",
        description="Launch",
        handle_names=handles,
        deliverables=[
            {"deliverable_name": "A", "spark_ads_requested_authorization_days": 60},
            {"deliverable_name": "B", "spark_ads_requested_authorization_days": 0},
        ],
    )
    api.app.advance(24 * 12)
    orders = api.ok_get(
        "/tcm/order/get/v2/", query_type="CAMPAIGN_CODE", campaign_code=out["campaign_code"]
    )["orders"]
    by_position = {
        k: [
            dl["video_id"]
            for o in orders
            for dl in o["deliverables"][k : k + 1]
            if "video_id" in dl
        ]
        for k in (0, 1)
    }
    assert by_position[0] and by_position[1]
    for vid in by_position[0]:
        st = api.ok_get("/tcm/tt_video/status/", video_id=vid)
        assert st["requested_authorization_days"] == 60 and st["auth_status"] in (
            "WAITING",
            "ACCEPTED",
            "REJECTED",
        )
    for vid in by_position[1]:  # 0 days: never requested
        assert api.get("/tcm/tt_video/status/", video_id=vid)["code"] == 40007
