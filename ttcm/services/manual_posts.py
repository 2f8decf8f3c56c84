"""Posts added by hand: pick one of a campaign creator's videos, keep its counters fresh.

Adding a post by hand reads the creator's video list from TikTok once (a button, never a rerun)
and stores the chosen video with `tracking` = manual_auth or manual_nonauth, which carries fewer
metrics than a post tracked through an order."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from ttcm.auth import Principal, require
from ttcm.domain.account_kind import account_kind
from ttcm.domain.performance.campaign_data import MANUAL
from ttcm.services.campaign_posts import is_creator
from ttcm.services.posts import PostError, clean_handle, clean_video_id
from ttcm.services.shortlists import UNSUPPORTED_REASON
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record

if TYPE_CHECKING:
    from ttcm.api.protocol import TikTokOne

MANUAL_VIDEOS_SHOWN = 30


def _creator(conn: Connection, handle: str) -> Any:  # a Row (typed apart in SQLAlchemy 2.0, 2.1)
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
    client: TikTokOne,
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
            conn.execute(insert(m.Post).values(**row))
        else:
            conn.execute(update(m.Post).where(m.Post.video_id == vid).values(**row))
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
    store: Store, actor: Principal, client: TikTokOne, campaign_pk: int, *, scan: int = 200
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
        if handle is None:  # a post without a creator has no video list to read
            continue
        wanted.setdefault(handle, set()).add(vid)
        source[handle] = creator_id if is_auth and creator_id else None
    updates: list[dict[str, Any]] = []
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
                update(m.Post)
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
