"""The TikTok cache of accounts, labels and creators (with their audience and daily snapshots)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import API_SOURCE, Base


class Account(Base):
    """A TTO Creator Marketplace account the token can act for."""

    __tablename__ = "accounts"
    account_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(8))
    business_verification_status: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(32), default=API_SOURCE)
    fetched_at: Mapped[datetime]


class Label(Base):
    """A content or industry label from the search vocabulary."""

    __tablename__ = "labels"
    label_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    label_type: Mapped[str] = mapped_column(String(16))  # "content" | "industry"
    label_name: Mapped[str] = mapped_column(String(200))


class Creator(Base):
    """Current values of one creator, as last fetched."""

    __tablename__ = "creators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handle_name: Mapped[str] = mapped_column(String(100), unique=True)
    creator_id: Mapped[str | None] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(200))
    bio: Mapped[str | None] = mapped_column(Text)
    profile_image: Mapped[str | None] = mapped_column(Text)
    country_code: Mapped[str | None] = mapped_column(String(8))
    state_province: Mapped[str | None] = mapped_column(String(64))
    followers_count: Mapped[int | None] = mapped_column(BigInteger)
    following_count: Mapped[int | None] = mapped_column(BigInteger)
    likes_count: Mapped[int | None] = mapped_column(BigInteger)
    videos_count: Mapped[int | None] = mapped_column(BigInteger)
    avg_views: Mapped[int | None] = mapped_column(BigInteger)
    median_views: Mapped[int | None] = mapped_column(BigInteger)
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    creator_price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    languages: Mapped[str | None] = mapped_column(String(200))  # ",en,es," for exact-token match
    label_ids: Mapped[str | None] = mapped_column(String(400))  # ",11002002,14000000000,"
    audience_top_country: Mapped[str | None] = mapped_column(String(8))
    audience_female_share: Mapped[float | None] = mapped_column(Float)
    audience_male_share: Mapped[float | None] = mapped_column(Float)
    audience_top_age: Mapped[str | None] = mapped_column(String(8))
    is_tcm_creator: Mapped[bool | None] = mapped_column(Boolean)
    is_authenticated: Mapped[bool | None] = mapped_column(Boolean)
    onboarding_status: Mapped[str | None] = mapped_column(String(16))
    account_type: Mapped[str | None] = mapped_column(String(16))
    age_verified_18: Mapped[bool | None] = mapped_column(Boolean)
    videos_last_30d: Mapped[int | None] = mapped_column(Integer)
    views_last_30d: Mapped[int | None] = mapped_column(BigInteger)
    content_rating: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(32), default=API_SOURCE)
    first_seen_at: Mapped[datetime]
    fetched_at: Mapped[datetime]  # when these values were last written (changed or new)

    # The interactive filter engine works on in-memory columns (docs/decisions.md §6: SQLite range
    # filters are 40x slower than numpy masks and single-column indexes make them worse), so the
    # store keeps few indexes: each one costs upsert throughput. This covering index serves the
    # SQL paths that filter by country and follower band (refresh checks, CLI on PostgreSQL);
    # `ix_creators_followers` serves "sort by size" without a filter. Text search uses FTS5
    # trigram (SQLite) / pg_trgm (PostgreSQL), created in the migration.
    __table_args__ = (
        Index(
            "ix_creators_discovery",
            "country_code",
            "followers_count",
            "engagement_rate",
            "median_views",
        ),
        Index("ix_creators_followers", "followers_count"),
    )


class CreatorAudience(Base):
    """One share of a creator's audience (country, gender, age, device or locale)."""

    __tablename__ = "creator_audience"
    creator_pk: Mapped[int] = mapped_column(
        ForeignKey("creators.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    share: Mapped[float] = mapped_column(Float)


class CreatorSnapshot(Base):
    """A creator's counters on one day, for growth charts."""

    __tablename__ = "creator_snapshots"
    __table_args__ = {"sqlite_with_rowid": False}  # the (creator, day) key is the table
    creator_pk: Mapped[int] = mapped_column(
        ForeignKey("creators.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    followers_count: Mapped[int | None] = mapped_column(BigInteger)
    likes_count: Mapped[int | None] = mapped_column(BigInteger)
    videos_count: Mapped[int | None] = mapped_column(BigInteger)
    median_views: Mapped[int | None] = mapped_column(BigInteger)
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    avg_views: Mapped[int | None] = mapped_column(BigInteger)
