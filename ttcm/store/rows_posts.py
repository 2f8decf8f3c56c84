"""API report rows -> `posts` and `post_daily` rows, and their write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from ttcm.api.models.orders import OrderInsight
from ttcm.api.models.posts import DailyStat, ReportVideo
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert

# the metrics of a report video that a `posts` row stores as is: the fields both models share
# but the post's identity, which `report_post_row` sets itself
POST_IDENTITY = ("video_id", "handle_name", "create_time", "embed_url", "thumbnail_url")
POST_METRICS = tuple(
    name
    for name in ReportVideo.model_fields
    if name in table_of(m.Post).columns and name not in POST_IDENTITY
)

AUDIENCE_DISTRIBUTIONS = (
    ("ages", "audience_age_distribution"),
    ("genders", "audience_genders_distribution"),
    ("countries", "audience_countries_distribution"),
    ("locales", "audience_locale_distribution"),
    ("devices", "audience_device_distribution"),
)


def report_post_row(
    video: ReportVideo, campaign_pk: int | None, order_id: str | None, now: datetime
) -> dict[str, Any]:
    """One report video -> a `posts` row."""
    row: dict[str, Any] = {
        "video_id": video.video_id,
        "handle_name": video.handle_name,
        "campaign_pk": campaign_pk,
        "order_id": order_id,
        "tracking": "order",
        "create_time": video.create_time,
        "embed_url": video.embed_url,
        "thumbnail_url": video.thumbnail_url,
        "source": m.API_SOURCE,
        "fetched_at": now,
    }
    for name in POST_METRICS:
        row[name] = getattr(video, name, None)
    sources = video.video_views_by_source
    row["views_by_source"] = sources.model_dump() if sources is not None else None
    audience = {}
    for key, attr in AUDIENCE_DISTRIBUTIONS:
        shares = getattr(video, attr, None)
        if shares:
            audience[key] = [[str(s.key), float(s.percentage)] for s in shares]
    row["audience"] = audience or None
    retention = video.video_view_retention
    row["retention"] = list(retention) if retention else None
    return row


def daily_row(video_id: str, d: DailyStat) -> dict[str, Any]:
    """One day of a video's metrics -> a `post_daily` row."""
    return {
        "video_id": video_id,
        "day": d.date,
        "views": d.views,
        "views_organic": d.video_views_organic,
        "views_paid": d.video_views_paid,
        "reach": d.reach,
        "likes": d.likes,
        "comments": d.comments,
        "shares": d.shares,
        "favorites": d.favorites,
        "engagement_rate": d.engagement_rate,
        "video_completion_rate": d.video_completion_rate,
    }


def write_report(
    conn: Connection,
    insights: Sequence[OrderInsight | ReportVideo],
    campaign_of: dict[str, int | None],
    now: datetime,
    *,
    default_campaign: int | None = None,
) -> int:
    """Upsert report rows (posts + daily stats); returns posts inserted or changed.

    `insights` are order-report rows (with `.metrics`) or campaign-report videos; a video seen
    in a campaign report belongs to `default_campaign`.
    """
    posts: list[dict[str, Any]] = []
    daily: list[dict[str, Any]] = []
    for ins in insights:
        order_id = ins.order_id if isinstance(ins, OrderInsight) else None
        video = ins.metrics if isinstance(ins, OrderInsight) else ins
        campaign_pk = campaign_of.get(order_id or "", default_campaign)
        row = report_post_row(video, campaign_pk, order_id, now)
        if not row["video_id"]:
            continue
        if ins.video_id:
            row["video_id"] = ins.video_id
        if ins.handle_name:
            row["handle_name"] = ins.handle_name
        posts.append(row)
        daily += [daily_row(row["video_id"], d) for d in video.daily_stats or ()]
    if default_campaign is not None:
        for row in posts:  # a campaign report knows no order: keep the one an order report set
            row.pop("order_id", None)
    compare = [c for c in posts[0] if c not in ("video_id", "fetched_at")] if posts else []
    changed = upsert(conn, table_of(m.Post), posts, key=["video_id"], compare=compare)
    upsert(conn, table_of(m.PostDaily), daily, key=["video_id", "day"])
    return changed
