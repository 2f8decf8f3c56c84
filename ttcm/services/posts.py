"""Published posts of a campaign: how each is tracked, picking a campaign, stray posts, one post.

A post is tracked through an order (invite link or campaign code: every metric) or added by
hand (`manual_auth` / `manual_nonauth`: public counters only). The campaign's metrics are read by
`post_metrics`, posts added by hand are managed by `manual_posts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd
from sqlalchemy import func, select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain.performance.campaign_data import POST_METRICS
from ttcm.domain.performance.formulas import post_formulas
from ttcm.errors import InputError
from ttcm.services.campaign_posts import counted, strays
from ttcm.services.profiles import MetricValue, post_metric
from ttcm.store import Store
from ttcm.store import models as m

# how each tracking is named in tight columns (tables of the page and the report)
TRACKED = {"order": "order", "manual_auth": "by hand", "manual_nonauth": "by hand (not auth.)"}
VIDEO_ID_RE = re.compile(r"^[0-9]{1,32}$")
# table metrics of a post (posts columns), in display order


class PostError(InputError):
    """A request about posts that cannot be done; the message says why and what to do."""


def tracking_labels() -> dict[str, str]:
    """Tracking key -> how the post is tracked, for people."""
    return dict(rules.metric_availability()["post_trackings"])


def clean_video_id(raw: Any) -> str:
    """A video id (digits only), or PostError naming the problem."""
    text = str(raw if raw is not None else "").strip()
    if not VIDEO_ID_RE.fullmatch(text):
        shown = text[:40] + ("…" if len(text) > 40 else "")
        raise PostError(f"A TikTok video id is 1-32 digits; {shown!r} is not one.")
    return text


def clean_handle(raw: Any) -> str:
    """A TikTok handle without the @, or PostError naming the problem."""
    text = str(raw if raw is not None else "").strip().lstrip("@")
    if not re.fullmatch(rules.limits()["handle_pattern"], text):
        shown = text[:40] + ("…" if len(text) > 40 else "")
        raise PostError(
            f"{shown!r} is not a TikTok handle (letters, digits, '.' and '_', up to 100)."
        )
    return text


def campaign_choices(
    store: Store, actor: Principal, *, include_archived: bool = False
) -> list[dict[str, Any]]:
    """Campaigns to pick from (id, name, brand, post count), newest first."""
    require(actor, "read")
    c = m.Campaign
    # a column in place of one campaign id correlates the count with each campaign row
    posts = select(func.count()).where(counted(cast(Any, c.id))).scalar_subquery()
    query = select(
        c.id,
        c.campaign_name,
        c.brand_name,
        c.spark_days_default,
        c.archived_at,
        posts.label("posts"),
    ).order_by(c.created_at.desc(), c.id.desc())
    if not include_archived:
        query = query.where(c.archived_at.is_(None))
    with store.read() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def find_campaign(store: Store, actor: Principal, ref: str) -> int:
    """A campaign's local id from its local id or its TikTok campaign id."""
    require(actor, "read")
    text = str(ref).strip()
    if not VIDEO_ID_RE.fullmatch(text):
        shown = text[:40] + ("…" if len(text) > 40 else "")
        raise PostError(f"A campaign is named by its number or TikTok campaign id, not {shown!r}.")
    with store.read() as conn:
        pk = conn.execute(
            select(m.Campaign.id).where(m.Campaign.campaign_id == text)
        ).scalar_one_or_none()
        if pk is None and len(text) <= 9:
            pk = conn.execute(
                select(m.Campaign.id).where(m.Campaign.id == int(text))
            ).scalar_one_or_none()
    if pk is None:
        raise PostError(f"There is no campaign {text} (see `ttcm campaigns list`).")
    return int(pk)


def stray_posts(store: Store, actor: Principal, campaign_pk: int) -> list[dict[str, Any]]:
    """Posts linked to the campaign by creators who are not in it (counted nowhere)."""
    require(actor, "read")
    with store.read() as conn:
        rows = conn.execute(
            select(m.Post.video_id, m.Post.handle_name, m.Post.tracking, m.Post.video_views)
            .where(strays(campaign_pk))
            .order_by(m.Post.handle_name, m.Post.video_id)
        ).all()
    return [dict(r._mapping) for r in rows]


@dataclass
class PostDetail:
    """One published post: what it is, each metric (or why it is missing), daily stats."""

    post: dict[str, Any]
    tracking_label: str
    metrics: list[MetricValue]
    retention: MetricValue
    sources: MetricValue
    audience: dict[str, MetricValue]
    split: MetricValue
    daily: pd.DataFrame
    spark: dict[str, Any] | None
    formulas: list[str] = field(default_factory=list)  # derived metrics as filled formulas


def post_detail(store: Store, actor: Principal, video_id: str) -> PostDetail:
    """Every metric of one post, each available or explained."""
    require(actor, "read")
    vid = clean_video_id(video_id)
    table = m.Post.__table__
    with store.read() as conn:
        row = conn.execute(select(table).where(table.c.video_id == vid)).first()
        if row is None:
            raise PostError(f"No post {vid} in the cache.")
        daily = pd.DataFrame(
            conn.execute(
                select(
                    m.PostDaily.day,
                    m.PostDaily.views,
                    m.PostDaily.views_organic,
                    m.PostDaily.views_paid,
                    m.PostDaily.likes,
                    m.PostDaily.comments,
                    m.PostDaily.shares,
                    m.PostDaily.favorites,
                    m.PostDaily.engagement_rate,
                )
                .where(m.PostDaily.video_id == vid)
                .order_by(m.PostDaily.day)
            ).all(),
            columns=[
                "day",
                "views",
                "views_organic",
                "views_paid",
                "likes",
                "comments",
                "shares",
                "favorites",
                "engagement_rate",
            ],
        )
        spark = conn.execute(
            select(m.SparkAuthorization.__table__).where(m.SparkAuthorization.video_id == vid)
        ).first()
    post = dict(row._mapping)
    tracking = post["tracking"]
    audience = post.get("audience") or {}
    organic, paid = post.get("video_views_organic"), post.get("video_views_paid")
    split = {"organic": organic, "paid": paid} if organic is not None or paid is not None else None
    return PostDetail(
        post=post,
        tracking_label=tracking_labels().get(tracking, tracking),
        metrics=[post_metric(tracking, key, post.get(key)) for key in POST_METRICS],
        retention=post_metric(tracking, "video_view_retention", post.get("retention") or None),
        sources=post_metric(tracking, "video_views_by_source", post.get("views_by_source") or None),
        audience={
            dim: post_metric(tracking, f"audience_{dim}", audience.get(dim) or None)
            for dim in ("ages", "genders", "countries", "locales")
        },
        split=post_metric(tracking, "organic_paid_split", split),
        daily=daily,
        spark=dict(spark._mapping) if spark else None,
        formulas=post_formulas(post),
    )
