"""Published posts of a campaign: posts tracked through orders and posts added by hand.

Reads come from the store (the refresh fills posts and daily stats from the reports). A metric
TikTok does not provide for a post's tracking (metric_availability.json) is blanked on load, so no
page or export can show a 0 where TikTok shares nothing. Adding a post by hand reads the
creator's video list from TikTok once (a button, never a rerun) and stores the chosen video with
`tracking` = manual_auth or manual_nonauth, which carries fewer metrics.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, delete, func, literal, or_, select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain.performance.campaign_data import (
    DAILY_COLUMNS,
    OTHERS,
    POST_COLUMNS,
    CampaignData,
    empty_daily,
    empty_posts,
)
from ttcm.errors import InputError
from ttcm.services.audit import record
from ttcm.services.campaign_posts import counted, is_creator, strays
from ttcm.services.discovery import account_kind
from ttcm.services.exchange_rates import effective_rates
from ttcm.services.profiles import MetricValue, post_metric
from ttcm.services.shortlists import UNSUPPORTED_REASON
from ttcm.store import Store
from ttcm.store import models as m

MANUAL = ("manual_auth", "manual_nonauth")
VIDEO_ID_RE = re.compile(r"^[0-9]{1,32}$")
# table metrics of a post (posts columns), in display order
TABLE_METRICS = (
    "video_views",
    "likes",
    "comments",
    "shares",
    "favorites",
    "engagement_count",
    "engagement_rate",
    "reach",
    "total_play_time",
    "average_view_time",
    "video_completion_rate",
)
# posts columns that follow a metric_availability key other than their own name
_SPLIT_COLUMNS = {
    "video_views_organic": "organic_paid_split",
    "video_views_paid": "organic_paid_split",
}
MANUAL_VIDEOS_SHOWN = 30
TOP_CREATORS = 8  # creators drawn one by one in the time charts; the rest are summed


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
    posts = select(func.count()).where(counted(c.id)).scalar_subquery()
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


def _mask_unavailable(posts: pd.DataFrame) -> pd.DataFrame:
    """Blank every metric TikTok does not provide for the post's tracking."""
    specs = rules.metric_availability()["post_metrics"]
    for column in (*TABLE_METRICS, *_SPLIT_COLUMNS):
        key = _SPLIT_COLUMNS.get(column, column)
        allowed = specs[key]["trackings"]
        values = posts[column].astype("float64")
        posts[column] = values.where(posts["tracking"].isin(allowed))
    return posts


def campaign_exists(store: Store, campaign_pk: int) -> dict[str, Any]:
    """The campaign row, or PostError when there is none."""
    table = m.Campaign.__table__
    with store.read() as conn:
        row = conn.execute(select(table).where(table.c.id == campaign_pk)).first()
    if row is None:
        raise PostError(f"There is no campaign {campaign_pk}.")
    return dict(row._mapping)


def _posts_query(campaign_pk: int) -> Any:
    p, c = m.Post, m.Creator
    return (
        select(
            p.video_id,
            p.handle_name,
            c.display_name,
            p.tracking,
            p.order_id,
            p.create_time,
            p.video_views,
            p.video_views_organic,
            p.video_views_paid,
            p.reach,
            p.likes,
            p.comments,
            p.shares,
            p.favorites,
            p.engagement_count,
            p.engagement_rate,
            p.video_completion_rate,
            p.total_play_time,
            p.average_view_time,
            c.median_views.label("usual_views"),
            c.engagement_rate.label("usual_engagement_rate"),
        )
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
    return [h for h, _ in ranked[:top]]


def _frame(rows: list[Any], columns: tuple[str, ...]) -> pd.DataFrame:
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
        rows = conn.execute(top_q).all() + conn.execute(rest_q).all()
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
        row = conn.execute(select(table).where(table.c.id == campaign_pk)).first()
        if row is None:
            raise PostError(f"There is no campaign {campaign_pk}.")
        campaign = dict(row._mapping)
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
                )
                .join(m.Creator, m.Creator.handle_name == m.Order.handle_name, isouter=True)
                .join(
                    m.CampaignCreator,
                    (m.CampaignCreator.campaign_pk == m.Order.campaign_pk)
                    & (m.CampaignCreator.handle_name == m.Order.handle_name),
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


# ---------------------------------------------------------------- one post


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
        metrics=[post_metric(tracking, key, post.get(key)) for key in TABLE_METRICS],
        retention=post_metric(tracking, "video_view_retention", post.get("retention") or None),
        sources=post_metric(tracking, "video_views_by_source", post.get("views_by_source") or None),
        audience={
            dim: post_metric(tracking, f"audience_{dim}", audience.get(dim) or None)
            for dim in ("ages", "genders", "countries", "locales")
        },
        split=post_metric(tracking, "organic_paid_split", split),
        daily=daily,
        spark=dict(spark._mapping) if spark else None,
    )


# ---------------------------------------------------------------- posts added by hand


def _creator(conn: Any, handle: str) -> Any:
    return conn.execute(
        select(
            m.Creator.handle_name,
            m.Creator.creator_id,
            m.Creator.is_tcm_creator,
            m.Creator.is_authenticated,
        ).where(m.Creator.handle_name == handle)
    ).first()


def manual_tracking(is_tcm: bool | None, is_auth: bool | None) -> str:
    """The tracking of a post added by hand, or PostError for an unsupported account."""
    kind = account_kind(is_tcm, is_auth)
    if kind == "nonauth_nonttcm":
        raise PostError(UNSUPPORTED_REASON)
    return "manual_auth" if is_auth else "manual_nonauth"


def not_in_campaign(name: str) -> PostError:
    """The refusal of a post by a creator who is not one of the campaign's creators."""
    return PostError(
        f"@{name} is not a creator of this campaign, so their post would not count. Add "
        f"@{name} on Campaigns › Creators first, then add the post."
    )


def creator_videos(
    store: Store,
    actor: Principal,
    client: Any,
    handle: str,
    limit: int = MANUAL_VIDEOS_SHOWN,
    *,
    campaign_pk: int,
) -> list[dict[str, Any]]:
    """A campaign creator's latest videos from TikTok, to pick one to add by hand (one read)."""
    require(actor, "campaign.write")
    name = clean_handle(handle)
    with store.read() as conn:
        creator = _creator(conn, name)
        member = creator is not None and is_creator(conn, campaign_pk, name)
    if creator is None:
        raise PostError(f"No creator @{name} in the cache; refresh, or check the handle.")
    manual_tracking(creator.is_tcm_creator, creator.is_authenticated)
    if not member:
        raise not_in_campaign(name)
    if creator.is_authenticated and creator.creator_id:
        videos = client.iter_authorized_videos(creator.creator_id)
    else:
        videos = client.iter_public_videos(name)
    out = []
    for v in islice(videos, limit):
        row = v.model_dump() if hasattr(v, "model_dump") else dict(vars(v))
        row["handle_name"] = name
        out.append(row)
    with store.read() as conn:
        tracked = dict(
            conn.execute(
                select(m.Post.video_id, m.Post.campaign_pk).where(
                    m.Post.video_id.in_([r["video_id"] for r in out])
                )
            ).all()
        )
    for row in out:
        row["in_campaign"] = tracked.get(row["video_id"])
    return out


_MANUAL_FIELDS = (
    "caption",
    "create_time",
    "embed_url",
    "thumbnail_url",
    "collaboration_status",
    "video_views",
    "likes",
    "comments",
    "shares",
    "favorites",
)


def add_manual_post(
    store: Store, actor: Principal, campaign_pk: int, handle: str, video: dict[str, Any]
) -> str:
    """Add one of a creator's videos to a campaign by hand (public counters only)."""
    require(actor, "campaign.write")
    name = clean_handle(handle)
    vid = clean_video_id(video.get("video_id"))
    now = datetime.now(UTC)
    with store.write() as conn:
        if conn.execute(select(m.Campaign.id).where(m.Campaign.id == campaign_pk)).first() is None:
            raise PostError(f"There is no campaign {campaign_pk}.")
        creator = _creator(conn, name)
        if creator is None:
            raise PostError(f"No creator @{name} in the cache; refresh, or check the handle.")
        tracking = manual_tracking(creator.is_tcm_creator, creator.is_authenticated)
        if not is_creator(conn, campaign_pk, name):
            raise not_in_campaign(name)
        existing = conn.execute(
            select(m.Post.tracking, m.Post.campaign_pk, m.Post.order_id).where(
                m.Post.video_id == vid
            )
        ).first()
        if existing is not None and existing.tracking == "order":
            raise PostError(
                f"Video {vid} is already tracked through order {existing.order_id or '—'}, "
                "with full metrics."
            )
        if existing is not None and existing.campaign_pk not in (None, campaign_pk):
            raise PostError(f"Video {vid} is already in campaign {existing.campaign_pk}.")
        values = {k: video.get(k) for k in _MANUAL_FIELDS}
        values["create_time"] = _time(values["create_time"])
        row = {
            "video_id": vid,
            "handle_name": name,
            "campaign_pk": campaign_pk,
            "order_id": None,
            "tracking": tracking,
            "source": m.API_SOURCE,
            "fetched_at": now,
            **values,
        }
        if existing is None:
            conn.execute(m.Post.__table__.insert().values(**row))
        else:
            conn.execute(m.Post.__table__.update().where(m.Post.video_id == vid).values(**row))
        record(
            conn,
            actor.username,
            "post.add_manual",
            vid,
            {"campaign_pk": campaign_pk, "handle": name, "tracking": tracking},
            None,
        )
    return vid


def remove_manual_post(store: Store, actor: Principal, campaign_pk: int, video_id: str) -> None:
    """Take a post added by hand out of the campaign (order-tracked posts stay)."""
    require(actor, "campaign.write")
    vid = clean_video_id(video_id)
    with store.write() as conn:
        gone = conn.execute(
            delete(m.Post).where(
                and_(
                    m.Post.video_id == vid,
                    m.Post.campaign_pk == campaign_pk,
                    m.Post.tracking.in_(MANUAL),
                )
            )
        ).rowcount
        if not gone:
            raise PostError(f"Video {vid} is not a post added by hand to this campaign.")
        record(conn, actor.username, "post.remove_manual", vid, {"campaign_pk": campaign_pk}, None)


def refresh_manual_posts(
    store: Store, actor: Principal, client: Any, campaign_pk: int, *, scan: int = 200
) -> int:
    """Re-read the public counters of the campaign's hand-added posts; returns posts updated.

    The video lists are read newest first, up to `scan` videos per creator.
    """
    require(actor, "campaign.write")
    with store.read() as conn:
        rows = conn.execute(
            select(
                m.Post.video_id,
                m.Post.handle_name,
                m.Creator.creator_id,
                m.Creator.is_authenticated,
            )
            .join(m.Creator, m.Creator.handle_name == m.Post.handle_name, isouter=True)
            .where(m.Post.campaign_pk == campaign_pk, m.Post.tracking.in_(MANUAL))
        ).all()
    wanted: dict[str, set[str]] = {}
    source: dict[str, Any] = {}
    for vid, handle, creator_id, is_auth in rows:
        wanted.setdefault(handle, set()).add(vid)
        source[handle] = creator_id if is_auth and creator_id else None
    updates = []
    for handle, ids in wanted.items():
        cid = source[handle]
        videos = client.iter_authorized_videos(cid) if cid else client.iter_public_videos(handle)
        for v in islice(videos, scan):
            if v.video_id in ids:
                updates.append(
                    {k: getattr(v, k, None) for k in _MANUAL_FIELDS[5:]} | {"vid": v.video_id}
                )
                ids.discard(v.video_id)
                if not ids:
                    break
    now = datetime.now(UTC)
    with store.write() as conn:
        for u in updates:
            vid = u.pop("vid")
            conn.execute(
                m.Post.__table__.update()
                .where(m.Post.video_id == vid, m.Post.tracking.in_(MANUAL))
                .values(fetched_at=now, **u)
            )
        record(
            conn,
            actor.username,
            "post.refresh_manual",
            str(campaign_pk),
            {"posts": len(updates)},
            None,
        )
    return len(updates)


def _time(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
