"""Campaigns, their creators and codes, orders and deliverables, invitations and write intents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import API_SOURCE, Base


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
