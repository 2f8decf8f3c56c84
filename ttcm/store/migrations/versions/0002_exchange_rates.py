"""exchange rates an admin sets

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Dated rates (units of a currency per US dollar from a date on) that override and extend the
shipped defaults of ttcm/rules/exchange_rates.json.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_rates",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("per_usd", sa.Float(), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("currency", "valid_from"),
    )


def downgrade() -> None:
    op.drop_table("exchange_rates")
