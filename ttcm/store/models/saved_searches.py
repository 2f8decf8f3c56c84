"""Saved Discovery searches (a name and the URL filter) and when each user last opened one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import Base


class SavedSearch(Base):
    """A named Discovery filter, kept as the URL query string the filter table produces."""

    __tablename__ = "saved_searches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # the name case-folded: names are unique in the team whatever their case
    name_key: Mapped[str] = mapped_column(String(400), unique=True)
    query: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(64))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class SavedSearchOpen(Base):
    """When one user last opened one saved search ("new since" counts from there)."""

    __tablename__ = "saved_search_opens"
    search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), primary_key=True
    )
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_opened_at: Mapped[datetime]
