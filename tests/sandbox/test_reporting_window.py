"""TikTok's reporting window in the sandbox: a post drops out of the reports 21 days after it was
posted or once its creator posted 30 newer videos (docs/contract.md)."""

from __future__ import annotations

import numpy as np

from tests.builders.sandbox import order_videos
from tests.sandbox.support import Api
from ttcm import rules
from ttcm.sandbox.posts import DAY

REPORT = "/tcm/report/get/v2/"


def test_the_window_comes_from_the_rules() -> None:
    lim = rules.limits()
    assert (lim["report_post_days"], lim["report_newer_videos"]) == (21, 30)


def test_a_post_is_reported_until_day_21(api: Api) -> None:
    d, posts = api.app.directory, api.app.world.posts
    slow = int(np.flatnonzero(np.asarray(d.videos_30d) <= 20)[0])  # under 30 videos in 21 days
    post = posts.organic_post(slow, 40)
    assert posts.is_reported(post, post.create_time + 20 * DAY + 3600)
    assert not posts.is_reported(post, post.create_time + 21 * DAY)


def test_thirty_newer_videos_end_reporting_before_day_21(api: Api) -> None:
    d, posts = api.app.directory, api.app.world.posts
    busy = int(np.flatnonzero(np.asarray(d.videos_30d) >= 90)[0])  # about 3 videos a day
    post = posts.organic_post(busy, 40)
    t = post.create_time
    while posts.newer_videos(post, t) < 30:
        assert posts.is_reported(post, t)
        t += 3600
    assert t - post.create_time < 21 * DAY
    assert not posts.is_reported(post, t)


def test_the_order_report_leaves_out_posts_past_the_window(api: Api) -> None:
    orders, videos = order_videos(api, k=4)
    ids = [o["order_id"] for o in orders]
    first = api.ok_get(REPORT, order_ids=ids, page_size=100)["insights"]
    assert {r["dimensions"]["video_id"] for r in first} == set(videos)
    api.app.advance(24 * 22)  # every video is now more than 21 days old
    assert api.ok_get(REPORT, order_ids=ids, page_size=100)["insights"] == []
    # the order itself still lists its videos: only the metrics stop
    listed = api.ok_get("/tcm/order/get/v2/", query_type="ORDER_ID", order_ids=ids)["orders"]
    assert {v for o in listed for v in o["video_ids"]} == set(videos)
