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

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
WHEN = sa.DateTime(timezone=True)
# (name, type, nullable) of each table's columns
ALERTS = (
    ("id", sa.Integer(), False),
    ("fact_key", sa.String(length=400), False),
    ("kind", sa.String(length=32), False),
    ("campaign_pk", sa.Integer(), True),
    ("handle_name", sa.String(length=100), True),
    ("video_id", sa.String(length=32), True),
    ("message", sa.Text(), False),
    ("detail", JSON_DOC, True),
    ("occurred_at", WHEN, False),
    ("created_at", WHEN, False),
)
READS = (
    ("alert_id", sa.Integer(), False),
    ("username", sa.String(length=64), False),
    ("read_at", WHEN, False),
)


def _columns(spec: tuple[tuple[str, sa.types.TypeEngine, bool], ...]) -> list[sa.Column]:
    return [sa.Column(name, kind, nullable=null) for name, kind, null in spec]


def upgrade() -> None:
    op.create_table(
        "alerts",
        *_columns(ALERTS),
        sa.ForeignKeyConstraint(["campaign_pk"], ["campaigns.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fact_key"),
    )
    for column in ("campaign_pk", "created_at"):
        op.create_index(f"ix_alerts_{column}", "alerts", [column])
    op.create_index("ix_alerts_occurred", "alerts", ["occurred_at"])
    op.create_table(
        "alert_reads",
        *_columns(READS),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("alert_id", "username"),
    )


def downgrade() -> None:
    op.drop_table("alert_reads")
    op.drop_index("ix_alerts_occurred", table_name="alerts")
    op.drop_index("ix_alerts_created_at", table_name="alerts")
    op.drop_index("ix_alerts_campaign_pk", table_name="alerts")
    op.drop_table("alerts")
