"""Our own metric history: one snapshot of each tracked post a day, kept past TikTok's window."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import Base


class PostSnapshot(Base):
    """A post's lifetime counters on one day; `reported` is False when TikTok no longer returned
    the post that day and the row carries the last values it did return."""

    __tablename__ = "post_snapshots"
    __table_args__ = {"sqlite_with_rowid": False}  # the (video, day) key is the table
    video_id: Mapped[str] = mapped_column(
        ForeignKey("posts.video_id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reported: Mapped[bool] = mapped_column(Boolean)
    video_views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    favorites: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    total_play_time: Mapped[float | None] = mapped_column(Float)
    video_completion_rate: Mapped[float | None] = mapped_column(Float)
