"""creator openings: profiles the team opened, queued for the detail fetch

Revision ID: 0005_openings
Revises: 0004_signin
Create Date: 2026-12-01

Discover may send only a few fields, so the refresh fills labels, price, audience and ER from
the detail endpoint for the creators a team looks at; `creator_openings` records the profiles
opened on the Creator page (first/last opened) and when the refresh last fetched their details.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_openings"
down_revision: str | None = "0004_signin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "creator_openings",
        sa.Column("handle_name", sa.String(length=100), nullable=False),
        sa.Column("first_opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail_fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("handle_name"),
    )


def downgrade() -> None:
    op.drop_table("creator_openings")
