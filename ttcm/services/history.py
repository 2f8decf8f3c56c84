"""Our own metric history: a post's cumulative views per day (past TikTok's reporting window)
and a creator's followers and engagement rate over time, read from the daily snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from ttcm.auth import Principal, require
from ttcm.config import Settings
from ttcm.refresh.history import HistoryPolicy
from ttcm.services.demo_time import ClockError, app_today
from ttcm.services.posts import PostError, clean_video_id
from ttcm.services.profiles import ProfileError
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.lookup import one_value


@dataclass(frozen=True)
class PostSeries:
    """One post's daily snapshots: lifetime views each day, and whether TikTok reported them."""

    video_id: str
    posted_on: date | None
    days: list[date]
    views: list[int | None]
    reported: list[bool]

    @property
    def stopped_on(self) -> date | None:
        """The first day TikTok no longer reported the post (after its last reported day), or
        None while TikTok still reports it."""
        if not self.reported or self.reported[-1]:
            return None
        last = max((i for i, r in enumerate(self.reported) if r), default=-1)
        return self.days[last + 1]

    @property
    def note(self) -> str | None:
        """What the post view says once TikTok stopped reporting the post."""
        stopped = self.stopped_on
        if stopped is None:
            return None
        return f"TikTok stopped reporting this post on {stopped.isoformat()}; last values kept."


@dataclass(frozen=True)
class CreatorSeries:
    """One creator's daily snapshots: followers and engagement rate per day."""

    handle_name: str
    days: list[date]
    followers: list[int | None]
    engagement_rate: list[float | None]


def post_series(store: Store, actor: Principal, video_id: str) -> PostSeries:
    """A post's cumulative views per day from the snapshots, including the days after TikTok
    stopped reporting it (PostError for a post not in the cache)."""
    require(actor, "read")
    vid = clean_video_id(video_id)
    p, s = m.Post, m.PostSnapshot
    with store.read() as conn:
        posted = conn.execute(select(p.create_time).where(p.video_id == vid)).first()
        if posted is None:
            raise PostError(f"No post {vid} in the cache.")
        rows = conn.execute(
            select(s.day, s.video_views, s.reported).where(s.video_id == vid).order_by(s.day)
        ).all()
    created: datetime | None = posted[0]
    return PostSeries(
        video_id=vid,
        posted_on=created.date() if created is not None else None,
        days=[r.day for r in rows],
        views=[r.video_views for r in rows],
        reported=[bool(r.reported) for r in rows],
    )


def creator_series(store: Store, actor: Principal, handle: str) -> CreatorSeries:
    """A creator's followers and engagement rate per day (ProfileError for an unknown handle)."""
    require(actor, "read")
    name = str(handle or "").strip().lstrip("@")
    c, s = m.Creator, m.CreatorSnapshot
    with store.read() as conn:
        pk = one_value(
            conn, c.id, c.handle_name == name, ProfileError(f"No creator @{name} in the cache.")
        )
        rows = conn.execute(
            select(s.day, s.followers_count, s.engagement_rate)
            .where(s.creator_pk == pk)
            .order_by(s.day)
        ).all()
    return CreatorSeries(
        handle_name=name,
        days=[r.day for r in rows],
        followers=[r.followers_count for r in rows],
        engagement_rate=[r.engagement_rate for r in rows],
    )


def history_policy(settings: Settings) -> HistoryPolicy:
    """The refresh's history policy: snapshots under the API's day (the sandbox's clock in a
    demo, real UTC otherwise or when that clock cannot be read) and the configured retention."""

    def today() -> date:
        try:
            return app_today(settings)
        except ClockError:
            return datetime.now(UTC).date()

    return HistoryPolicy(day_clock=today, retention_days=settings.snapshot_retention_days)
