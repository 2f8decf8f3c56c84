"""alerts: events derived after each refresh, and per-user read state

Revision ID: 0006_alerts
Revises: 0005_openings
Create Date: 2026-12-02

`alerts` holds one row per fact (unique `fact_key`, so a re-run inserts nothing twice);
`alert_reads` records which user read which alert.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_alerts"
down_revision: str | None = "0005_openings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fact_key", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("campaign_pk", sa.Integer(), nullable=True),
        sa.Column("handle_name", sa.String(length=100), nullable=True),
        sa.Column("video_id", sa.String(length=32), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["campaign_pk"], ["campaigns.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fact_key"),
    )
    op.create_index("ix_alerts_campaign_pk", "alerts", ["campaign_pk"])
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"])
    op.create_index("ix_alerts_occurred", "alerts", ["occurred_at"])
    op.create_table(
        "alert_reads",
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("alert_id", "username"),
    )


def downgrade() -> None:
    op.drop_table("alert_reads")
    op.drop_index("ix_alerts_occurred", table_name="alerts")
    op.drop_index("ix_alerts_created_at", table_name="alerts")
    op.drop_index("ix_alerts_campaign_pk", table_name="alerts")
    op.drop_table("alerts")
