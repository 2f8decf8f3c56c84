"""The declarative base of every ttcm table and the source tag of TikTok API rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

API_SOURCE = "tiktok_api"


class Base(DeclarativeBase):
    """Declarative base of every ttcm table."""

    # jsonb on PostgreSQL: plain json has no equality, which change detection needs
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        dict: JSON().with_variant(JSONB(), "postgresql"),
        list: JSON().with_variant(JSONB(), "postgresql"),
    }
