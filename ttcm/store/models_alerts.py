"""The alerts inbox: events the refresh derived from the stored state, and who has read them.

An alert is one fact (a post published, an order declined, a code about to expire, ...) named by
its `fact_key`; the key is unique, so deriving the same fact again inserts nothing. Read state is
per user: an alert without a row in `alert_reads` for a user is unread for that user.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models import Base


class Alert(Base):
    """One fact a manager acts on, created once by the refresh."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    campaign_pk: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    handle_name: Mapped[str | None] = mapped_column(String(100))
    video_id: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict | None]
    occurred_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (Index("ix_alerts_occurred", "occurred_at"),)


class AlertRead(Base):
    """That one user has read one alert."""

    __tablename__ = "alert_reads"
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    read_at: Mapped[datetime]


__all__ = ["Alert", "AlertRead"]
