"""payments: where each campaign creator's fee payment stands

Revision ID: 0007_payments
Revises: 0006_alerts
Create Date: 2026-12-02

`creator_payments` holds one row per (campaign, creator) whose payment was set: status
(unpaid | scheduled | paid), the scheduled or paid day, a reference and notes. It goes with its
`campaign_creators` row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_payments"
down_revision: str | None = "0006_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "creator_payments",
        sa.Column("campaign_pk", sa.Integer(), nullable=False),
        sa.Column("handle_name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("pay_date", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_pk", "handle_name"],
            ["campaign_creators.campaign_pk", "campaign_creators.handle_name"],
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_pk", "handle_name"),
    )


def downgrade() -> None:
    op.drop_table("creator_payments")
