"""A campaign's published posts and stats as the overview computes them, in one read.

A metric TikTok does not provide for a post's tracking (metric_availability.json) is blanked on
load, so no page or export can show a 0 where TikTok shares nothing."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, literal, or_, select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain.performance.campaign_data import (
    DAILY_COLUMNS,
    MANUAL,
    OTHERS,
    POST_COLUMNS,
    POST_METRICS,
    CampaignData,
    empty_daily,
    empty_posts,
)
from ttcm.services.campaign_posts import counted
from ttcm.services.exchange_rates import effective_rates
from ttcm.services.posts import PostError
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.lookup import one_row

# posts columns that follow a metric_availability key other than their own name
_SPLIT_COLUMNS = {
    "video_views_organic": "organic_paid_split",
    "video_views_paid": "organic_paid_split",
}

TOP_CREATORS = 8  # creators drawn one by one in the time charts; the rest are summed


def _mask_unavailable(posts: pd.DataFrame) -> pd.DataFrame:
    """Blank every metric TikTok does not provide for the post's tracking."""
    specs = rules.metric_availability()["post_metrics"]
    masks: dict[tuple[str, ...], Any] = {}  # most metrics share a list of trackings
    for column in (*POST_METRICS, *_SPLIT_COLUMNS):
        key = _SPLIT_COLUMNS.get(column, column)
        allowed = tuple(specs[key]["trackings"])
        if allowed not in masks:
            masks[allowed] = posts["tracking"].isin(allowed).to_numpy()
        values = posts[column].astype("float64")
        posts[column] = values.where(masks[allowed])
    return posts


# the posts columns that come from the creator's row rather than the post's
_FROM_CREATOR = {
    "display_name": m.Creator.display_name,
    "usual_views": m.Creator.median_views,
    "usual_engagement_rate": m.Creator.engagement_rate,
}


def _posts_query(campaign_pk: int) -> Any:
    """The campaign's counted posts with their creator's usual figures, as `POST_COLUMNS`."""
    p, c = m.Post, m.Creator
    columns = [
        _FROM_CREATOR[name].label(name) if name in _FROM_CREATOR else getattr(p, name)
        for name in POST_COLUMNS
    ]
    return (
        select(*columns)
        .join(c, c.handle_name == p.handle_name, isouter=True)
        .where(counted(campaign_pk))
        .order_by(p.create_time.desc(), p.video_id)
    )


def _daily_query(campaign_pk: int, leaders: list[str]) -> Any:
    """Views and engagement counts per day for the leading creators, and for the rest as one.

    Grouping every creator separately costs a sort of every daily row by (day, creator); the
    leaders are few rows and "the rest" groups by day only, so the overview reads two small results.
    """
    p, d = m.Post, m.PostDaily
    sums = (
        func.sum(d.views).label("views"),
        func.sum(d.likes).label("likes"),
        func.sum(d.comments).label("comments"),
        func.sum(d.shares).label("shares"),
    )
    top = (
        select(d.day, p.handle_name, *sums)
        .join(p, p.video_id == d.video_id)
        .where(counted(campaign_pk), p.handle_name.in_(leaders))
        .group_by(d.day, p.handle_name)
    )
    rest = (
        select(d.day, literal(OTHERS).label("handle_name"), *sums)
        .join(p, p.video_id == d.video_id)
        .where(
            counted(campaign_pk),
            or_(p.handle_name.not_in(leaders), p.handle_name.is_(None)),
        )
        .group_by(d.day)
    )
    return top, rest


def leading_creators(posts: pd.DataFrame, top: int) -> list[str]:
    """The `top` creators of a posts frame by total views (ties by handle)."""
    if posts.empty:
        return []
    views = posts.groupby("handle_name")["video_views"].sum(min_count=1).dropna()
    ranked = sorted(views.items(), key=lambda kv: (-kv[1], kv[0]))
    return [str(h) for h, _ in ranked[:top]]


def _frame(rows: Sequence[Any], columns: tuple[str, ...]) -> pd.DataFrame:
    """Rows -> DataFrame by columns (pandas inspects Row objects one by one, which is slow)."""
    return pd.DataFrame(dict(zip(columns, (list(c) for c in zip(*rows, strict=True)), strict=True)))


# ---------------------------------------------------------------- the refresh's aggregates
#
# The two aggregates the overview reads on every rerun — daily stats grouped by day (a sort of
# every daily row) and the audience shares of every post — are the costliest part of a rerun,
# and change only when the refresh writes. They are kept per process under a stamp that moves
# with any change to them: the refresh's run heartbeat (written in each batch's transaction),
# the last audit entry (the team's own changes), the campaign's post count and last write, and
# a content signature of its daily rows (count and column sums: one pass, no sort). Callers
# treat the cached frames as read-only.

_CACHE: OrderedDict[tuple[Any, ...], tuple[pd.DataFrame, dict[str, Any]]] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 32


def forget_aggregates() -> None:
    """Drop the cached daily and audience aggregates of every campaign (tests, benchmarks)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _stamp(conn: Connection, campaign_pk: int) -> tuple[Any, ...]:
    p, d = m.Post, m.PostDaily
    runs = conn.execute(select(func.count(), func.max(m.SyncRun.heartbeat_at))).one()
    audit = conn.execute(select(func.max(m.AuditEntry.id))).scalar()
    members = conn.execute(
        select(func.count()).where(m.CampaignCreator.campaign_pk == campaign_pk)
    ).scalar()
    posts = conn.execute(
        select(func.count(), func.max(p.fetched_at)).where(counted(campaign_pk))
    ).one()
    daily = conn.execute(
        select(
            func.count(),
            func.max(d.day),
            func.sum(d.views),
            func.sum(d.likes),
            func.sum(d.comments),
            func.sum(d.shares),
        )
        .join(p, p.video_id == d.video_id)
        .where(counted(campaign_pk))
    ).one()
    return (*map(str, runs), audit, members, *map(str, posts), *map(str, daily))


def _aggregates(
    conn: Connection, campaign_pk: int, leaders: list[str], daily: bool, audience: bool
) -> tuple[pd.DataFrame, dict[str, Any]]:
    days = empty_daily()
    if daily:
        top_q, rest_q = _daily_query(campaign_pk, leaders)
        rows = [*conn.execute(top_q).all(), *conn.execute(rest_q).all()]
        if rows:
            days = _frame(rows, DAILY_COLUMNS)
            for col in DAILY_COLUMNS[2:]:
                days[col] = days[col].astype("float64")
    shares: dict[str, Any] = {}
    if audience:
        shares = {
            vid: aud
            for vid, aud in conn.execute(
                select(m.Post.video_id, m.Post.audience).where(
                    counted(campaign_pk),
                    m.Post.tracking == "order",
                    m.Post.audience.is_not(None),
                )
            )
            if aud
        }
    return days, shares


def _with_undated(days: pd.DataFrame, posts: pd.DataFrame, leaders: list[str]) -> pd.DataFrame:
    """The daily frame plus each hand-added post's views on the day it was posted.

    TikTok reports no daily stats for posts added by hand, yet their views count in the totals;
    counting them on their publish day keeps pacing and the time charts on the same posts as
    the KPIs. Their engagements stay blank, as in the totals (TikTok shares none for them).
    """
    manual = posts[posts["tracking"].isin(MANUAL) & posts["video_views"].notna()]
    manual = manual[manual["create_time"].notna()]
    if manual.empty:
        return days
    handles = manual["handle_name"].where(manual["handle_name"].isin(leaders), OTHERS)
    extra = pd.DataFrame(
        {
            "day": [pd.Timestamp(t).date() for t in manual["create_time"]],
            "handle_name": list(handles),
            "views": manual["video_views"].astype("float64").to_numpy(),
            "likes": float("nan"),
            "comments": float("nan"),
            "shares": float("nan"),
        }
    )
    if days.empty:
        return extra
    return pd.concat([days, extra], ignore_index=True)


def load_campaign(
    store: Store,
    actor: Principal,
    campaign_pk: int,
    *,
    audience: bool = True,
    daily: bool = True,
    top: int = TOP_CREATORS,
    cache: bool = True,
) -> CampaignData:
    """Everything the campaign overview is computed from, in one read transaction.

    Daily stats come per day for the `top` creators by views, the others summed as
    `Other creators`. With `cache`, the daily and audience aggregates are reused until the
    campaign's stamp moves (see above).
    """
    require(actor, "read")
    table = m.Campaign.__table__
    with store.read() as conn:
        missing = PostError(f"There is no campaign {campaign_pk}.")
        campaign = one_row(conn, table, table.c.id == campaign_pk, missing)
        post_rows = conn.execute(_posts_query(campaign_pk)).all()
        posts = _frame(post_rows, POST_COLUMNS) if post_rows else empty_posts()
        leaders = leading_creators(posts, top)
        hit = None
        if cache:
            key = (
                store.engine.url.render_as_string(hide_password=True),
                campaign_pk,
                tuple(leaders),
                daily,
                audience,
                _stamp(conn, campaign_pk),
            )
            with _CACHE_LOCK:
                hit = _CACHE.get(key)
                if hit is not None:
                    _CACHE.move_to_end(key)
        if hit is None:
            hit = _aggregates(conn, campaign_pk, leaders, daily and bool(post_rows), audience)
            if daily and post_rows:
                hit = (_with_undated(hit[0], posts, leaders), hit[1])
            if cache:
                with _CACHE_LOCK:
                    _CACHE[key] = hit
                    while len(_CACHE) > _CACHE_SIZE:
                        _CACHE.popitem(last=False)
        days, shares = hit
        orders = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    m.Order.order_id,
                    m.Order.handle_name,
                    m.Order.status,
                    m.Order.video_number,
                    m.Creator.creator_price,
                    m.Creator.currency,
                    m.CampaignCreator.agreed_fee,
                    m.CampaignCreator.fee_currency,
                    m.CreatorPayment.status.label("payment_status"),
                    m.CreatorPayment.pay_date.label("payment_date"),
                )
                .join(m.Creator, m.Creator.handle_name == m.Order.handle_name, isouter=True)
                .join(
                    m.CampaignCreator,
                    (m.CampaignCreator.campaign_pk == m.Order.campaign_pk)
                    & (m.CampaignCreator.handle_name == m.Order.handle_name),
                    isouter=True,
                )
                .join(
                    m.CreatorPayment,
                    (m.CreatorPayment.campaign_pk == m.Order.campaign_pk)
                    & (m.CreatorPayment.handle_name == m.Order.handle_name),
                    isouter=True,
                )
                .where(m.Order.campaign_pk == campaign_pk)
            )
        ]
        codes = conn.execute(
            select(func.count())
            .select_from(m.SparkAuthorization)
            .join(m.Post, m.Post.video_id == m.SparkAuthorization.video_id)
            .where(
                counted(campaign_pk),
                m.SparkAuthorization.auth_status == "ACCEPTED",
                m.SparkAuthorization.auth_code.is_not(None),
            )
        ).scalar_one()
    if post_rows:
        posts = _mask_unavailable(posts)
        for col in ("usual_views", "usual_engagement_rate"):
            posts[col] = posts[col].astype("float64")
    return CampaignData(
        campaign=campaign,
        posts=posts,
        daily=days,
        orders=orders,
        audience=shares,
        spark_codes=int(codes),
        rates=effective_rates(store),
    )


def retention_curves(
    store: Store, actor: Principal, campaign_pk: int, video_ids: Iterable[str]
) -> list[tuple[str, list[float]]]:
    """(label, per-second share still watching) of the given posts that report retention."""
    require(actor, "read")
    ids = list(dict.fromkeys(video_ids))
    if not ids:
        return []
    with store.read() as conn:
        rows = conn.execute(
            select(m.Post.video_id, m.Post.handle_name, m.Post.retention).where(
                counted(campaign_pk),
                m.Post.video_id.in_(ids),
                m.Post.tracking == "order",
            )
        ).all()
    found = {r.video_id: r for r in rows if r.retention}
    return [
        (f"@{found[v].handle_name} · …{v[-6:]}", [float(x) for x in found[v].retention])
        for v in ids
        if v in found
    ]
