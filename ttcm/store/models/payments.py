"""Payments of agreed fees: where each campaign creator's payment stands (team records)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import Base


class CreatorPayment(Base):
    """The payment of one campaign creator's fee: unpaid, scheduled for a day, or paid on one.

    A creator without a row is unpaid. The row goes with its campaign creator (taken off the
    campaign, or the campaign deleted).
    """

    __tablename__ = "creator_payments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["campaign_pk", "handle_name"],
            ["campaign_creators.campaign_pk", "campaign_creators.handle_name"],
            ondelete="CASCADE",
        ),
    )
    campaign_pk: Mapped[int] = mapped_column(primary_key=True)
    handle_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # unpaid | scheduled | paid
    pay_date: Mapped[date | None] = mapped_column(Date)  # the scheduled or the paid day
    reference: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]
