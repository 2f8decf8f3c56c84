"""sign-in: immutable account ids and rate buckets

Revision ID: 0004_signin
Revises: 0003_orders
Create Date: 2026-12-01

Every user gets an `account_id` that is never reused (session tokens name it, so a cookie of a
removed user can never sign in a re-added user of the same name), and `signin_buckets` holds the
sign-in rate limits (one GCRA time per client, account or device) so that an attempt is reserved
by one atomic UPDATE before its password is hashed.
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_signin"
down_revision: str | None = "0003_orders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("account_id", sa.String(length=32), nullable=True))
    conn = op.get_bind()
    for (username,) in conn.execute(sa.text("SELECT username FROM users")).all():
        conn.execute(
            sa.text("UPDATE users SET account_id = :a WHERE username = :u"),
            {"a": secrets.token_hex(16), "u": username},
        )
    with op.batch_alter_table("users") as batch:
        batch.alter_column("account_id", existing_type=sa.String(length=32), nullable=False)
        batch.create_index("ix_users_account_id", ["account_id"], unique=True)
    op.create_table(
        "signin_buckets",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("tat", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("signin_buckets")
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_account_id")
        batch.drop_column("account_id")
