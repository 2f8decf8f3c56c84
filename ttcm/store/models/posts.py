"""The TikTok cache of posts: daily metrics, Spark Ads authorizations and video link requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import API_SOURCE, Base


class Post(Base):
    """A TikTok video: counters from the video lists, full metrics from reports."""

    __tablename__ = "posts"
    video_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    handle_name: Mapped[str | None] = mapped_column(String(100), index=True)
    campaign_pk: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    order_id: Mapped[str | None] = mapped_column(String(32), index=True)
    tracking: Mapped[str] = mapped_column(String(16), default="order")  # metric_availability keys
    caption: Mapped[str | None] = mapped_column(Text)
    create_time: Mapped[datetime | None]
    embed_url: Mapped[str | None] = mapped_column(Text)
    thumbnail_url: Mapped[str | None] = mapped_column(Text)
    collaboration_status: Mapped[str | None] = mapped_column(String(32))
    video_views: Mapped[int | None] = mapped_column(BigInteger)
    video_views_organic: Mapped[int | None] = mapped_column(BigInteger)
    video_views_paid: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    favorites: Mapped[int | None] = mapped_column(BigInteger)
    engagement_count: Mapped[int | None] = mapped_column(BigInteger)
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    video_completion_rate: Mapped[float | None] = mapped_column(Float)
    total_play_time: Mapped[float | None] = mapped_column(Float)
    average_view_time: Mapped[float | None] = mapped_column(Float)
    views_by_source: Mapped[dict | None]
    audience: Mapped[dict | None]  # {"ages": [...], "genders": [...], "countries": [...], ...}
    retention: Mapped[list | None]  # per-second share of viewers still watching
    source: Mapped[str] = mapped_column(String(32), default=API_SOURCE)
    fetched_at: Mapped[datetime]


class PostDaily(Base):
    """One day of a post's metrics."""

    __tablename__ = "post_daily"
    video_id: Mapped[str] = mapped_column(
        ForeignKey("posts.video_id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int | None] = mapped_column(BigInteger)
    views_organic: Mapped[int | None] = mapped_column(BigInteger)
    views_paid: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    favorites: Mapped[int | None] = mapped_column(BigInteger)
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    video_completion_rate: Mapped[float | None] = mapped_column(Float)


class SparkAuthorization(Base):
    """Spark Ads authorization state of one video."""

    __tablename__ = "spark_authorizations"
    video_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    auth_status: Mapped[str | None] = mapped_column(String(16))
    auth_status_updated_time: Mapped[datetime | None]
    num_remaining_request: Mapped[int | None] = mapped_column(Integer)
    requested_authorization_days: Mapped[int | None] = mapped_column(Integer)
    auth_code: Mapped[str | None] = mapped_column(String(128))
    auth_code_status: Mapped[str | None] = mapped_column(String(16))
    auth_code_start_time: Mapped[datetime | None]
    auth_code_end_time: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(32), default=API_SOURCE)
    fetched_at: Mapped[datetime]


class LinkStatus(Base):
    """A brand request to link a creator's public video to a TTO campaign."""

    __tablename__ = "link_statuses"
    link_request_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    video_id: Mapped[str] = mapped_column(String(32), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(32), index=True)
    status: Mapped[str | None] = mapped_column(String(16))
    number_of_requests: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32), default=API_SOURCE)
    fetched_at: Mapped[datetime]
