"""The team's shortlists of creators and the creators' opening notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import Base


class Shortlist(Base):
    """A named list of creators."""

    __tablename__ = "shortlists"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]


class ShortlistMember(Base):
    """A creator on a shortlist, with the team's tags and note."""

    __tablename__ = "shortlist_members"
    shortlist_id: Mapped[int] = mapped_column(
        ForeignKey("shortlists.id", ondelete="CASCADE"), primary_key=True
    )
    handle_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    tags: Mapped[str | None] = mapped_column(String(400))
    note: Mapped[str | None] = mapped_column(Text)
    added_by: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[datetime]


class CreatorOpening(Base):
    """A creator whose profile the team opened: queued for the detail fetch of the next refresh."""

    __tablename__ = "creator_openings"
    handle_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    first_opened_at: Mapped[datetime]
    last_opened_at: Mapped[datetime]
    # when the refresh last filled this creator from the detail endpoint; None = still queued
    detail_fetched_at: Mapped[datetime | None]
