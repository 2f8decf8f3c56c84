"""SQLAlchemy 2 typed models: the TikTok cache plus the team's own records.

TikTok data rows carry `source` ("tiktok_api") and `fetched_at` so the compliance purge can tell
API data from anything else. Team records (campaign plans, shortlists, notes, invitations,
write intents, audit log, users) refer to creators by handle, not by foreign key, so a refresh or
a purge can never cascade into them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

API_SOURCE = "tiktok_api"


class Base(DeclarativeBase):
    """Declarative base of every ttcm table."""

    # jsonb on PostgreSQL: plain json has no equality, which change detection needs
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        dict: JSON().with_variant(JSONB(), "postgresql"),
        list: JSON().with_variant(JSONB(), "postgresql"),
    }


# ---------------------------------------------------------------- TikTok cache


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
    creator_pk: Mapped[int] = mapped_column(
        ForeignKey("creators.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    followers_count: Mapped[int | None] = mapped_column(BigInteger)
    likes_count: Mapped[int | None] = mapped_column(BigInteger)
    videos_count: Mapped[int | None] = mapped_column(BigInteger)
    median_views: Mapped[int | None] = mapped_column(BigInteger)
    engagement_rate: Mapped[float | None] = mapped_column(Float)


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


# ---------------------------------------------------------------- campaigns and orders


class Campaign(Base):
    """A campaign: the TikTok fields (TTCM section) plus the team's own plan."""

    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[str | None] = mapped_column(String(32), unique=True)  # TikTok's id
    campaign_name: Mapped[str] = mapped_column(String(512))
    brand_name: Mapped[str | None] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(String(60))
    campaign_type: Mapped[str | None] = mapped_column(String(16))
    invite_link: Mapped[str | None] = mapped_column(Text)
    spark_days_default: Mapped[int] = mapped_column(Integer, default=30)
    tiktok_create_time: Mapped[datetime | None]
    # team plan
    goals: Mapped[str | None] = mapped_column(Text)
    kpi_views: Mapped[int | None] = mapped_column(BigInteger)
    kpi_engagement_rate: Mapped[float | None] = mapped_column(Float)
    kpi_reach: Mapped[int | None] = mapped_column(BigInteger)
    kpi_posts: Mapped[int | None] = mapped_column(Integer)
    kpi_spark_codes: Mapped[int | None] = mapped_column(Integer)
    budget: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    posting_start: Mapped[date | None] = mapped_column(Date)
    posting_end: Mapped[date | None] = mapped_column(Date)
    brief_content: Mapped[str | None] = mapped_column(Text)
    brief_dos: Mapped[str | None] = mapped_column(Text)
    brief_donts: Mapped[str | None] = mapped_column(Text)
    payment_terms: Mapped[str | None] = mapped_column(Text)
    target_audience: Mapped[dict | None]
    archived_at: Mapped[datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    fetched_at: Mapped[datetime | None]


class CampaignCreator(Base):
    """A creator the team added to a campaign (by handle)."""

    __tablename__ = "campaign_creators"
    campaign_pk: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    handle_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    added_by: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[datetime]
    agreed_fee: Mapped[float | None] = mapped_column(Float)  # None: the list price applies
    fee_currency: Mapped[str | None] = mapped_column(String(8))


class CampaignCode(Base):
    """A campaign code of the order flow (≤200 orders each) and its invitation link."""

    __tablename__ = "campaign_codes"
    campaign_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    campaign_pk: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    invite_link: Mapped[str | None] = mapped_column(Text)
    remaining_orders: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class Order(Base):
    """One order: one creator, one campaign code, 1-10 videos."""

    __tablename__ = "orders"
    order_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    campaign_pk: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    campaign_code: Mapped[str | None] = mapped_column(String(64), index=True)
    handle_name: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str | None] = mapped_column(String(32))
    video_number: Mapped[int | None] = mapped_column(Integer)
    invite_link: Mapped[str | None] = mapped_column(Text)
    video_ids: Mapped[list | None]
    create_time: Mapped[datetime | None]
    update_time: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(32), default=API_SOURCE)
    fetched_at: Mapped[datetime]
    decline_reason: Mapped[str | None] = mapped_column(Text)


class Deliverable(Base):
    """A named deliverable of an order, with its Spark Ads request."""

    __tablename__ = "deliverables"
    order_id: Mapped[str] = mapped_column(
        ForeignKey("orders.order_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    deliverable_name: Mapped[str | None] = mapped_column(String(60))
    spark_days: Mapped[int | None] = mapped_column(Integer)
    video_id: Mapped[str | None] = mapped_column(String(32))


class WriteIntent(Base):
    """Outbox row recorded before a write is sent to TikTok, so it is sent exactly once."""

    __tablename__ = "write_intents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    business_key: Mapped[str] = mapped_column(String(400), unique=True)
    payload: Mapped[dict]
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | done | unknown | failed
    request_id: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[dict | None]
    error: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    holder: Mapped[str | None] = mapped_column(String(200))  # host:pid:start of the sender


class Invitation(Base):
    """A TTCM invitation sent to a creator and where it stands."""

    __tablename__ = "invitations"
    handle_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # NOT_INVITED | INVITED | JOINED | REJECTED
    reason: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
    invited_by: Mapped[str | None] = mapped_column(String(100))
    invited_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


# ---------------------------------------------------------------- team records


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


class ExchangeRate(Base):
    """An exchange rate an admin set: units of a currency per US dollar from a date on."""

    __tablename__ = "exchange_rates"
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, primary_key=True)
    per_usd: Mapped[float] = mapped_column(Float)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime]


class User(Base):
    """A person who may sign in, with a role and a session version for revocation."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    # immutable and never reused: session tokens name it, so a re-added name is a new account
    account_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SigninBucket(Base):
    """A sign-in rate bucket (client, account or device): its theoretical next-free time."""

    __tablename__ = "signin_buckets"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    tat: Mapped[float] = mapped_column(Float)  # epoch seconds; GCRA's theoretical arrival time


class AuditEntry(Base):
    """Who did what, when, with the TikTok request id when a call was made."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(400))
    detail: Mapped[dict | None]
    request_id: Mapped[str | None] = mapped_column(String(64))


# ---------------------------------------------------------------- refresh bookkeeping


class SyncRun(Base):
    """One refresh run: what it did and where it stopped."""

    __tablename__ = "sync_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resources: Mapped[str] = mapped_column(String(200))
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))  # running | ok | failed | interrupted
    owner: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    counts: Mapped[dict]
    checkpoint: Mapped[dict]
    error: Mapped[str | None] = mapped_column(Text)
    resumed_from: Mapped[int | None] = mapped_column(Integer)


class ResourceStatus(Base):
    """Freshness of one resource: the last successful refresh."""

    __tablename__ = "resource_status"
    resource: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_success_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_run_id: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    rows: Mapped[int | None] = mapped_column(Integer)


class Lease(Base):
    """A named lease: only one holder at a time across processes (e.g. the refresh)."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]


class AppSetting(Base):
    """Small key/value settings the app keeps (e.g. the generated cookie key marker)."""

    __tablename__ = "app_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "API_SOURCE",
    "Base",
    "Account",
    "Label",
    "Creator",
    "CreatorAudience",
    "CreatorSnapshot",
    "Post",
    "PostDaily",
    "SparkAuthorization",
    "LinkStatus",
    "Campaign",
    "CampaignCreator",
    "CampaignCode",
    "Order",
    "Deliverable",
    "WriteIntent",
    "Invitation",
    "Shortlist",
    "ShortlistMember",
    "User",
    "AuditEntry",
    "SyncRun",
    "ResourceStatus",
    "Lease",
    "AppSetting",
    "ExchangeRate",
]
