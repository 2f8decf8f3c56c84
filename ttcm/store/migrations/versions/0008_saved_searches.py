"""saved searches: named Discovery filters and when each user last opened one

Revision ID: 0008_saved_searches
Revises: 0007_payments
Create Date: 2026-12-02

`saved_searches` keeps a name (unique whatever its case: `name_key`), the URL query string of
the filter, its owner and whether the team sees it; `saved_search_opens` records each user's
last opening, from which "new since" is counted (creators' `first_seen_at`, already stored).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_saved_searches"
down_revision: str | None = "0007_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    op.create_table(
        "saved_search_opens",
        sa.Column("search_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("last_opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["search_id"], ["saved_searches.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("search_id", "username"),
    )


def downgrade() -> None:
    op.drop_table("saved_search_opens")
    op.drop_table("saved_searches")
