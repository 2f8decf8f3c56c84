"""history: a snapshot of each tracked post a day, and average views in creator snapshots

Revision ID: 0009_history
Revises: 0008_saved_searches
Create Date: 2026-12-02

`post_snapshots` keeps one row per (post, day), written by every refresh from what TikTok
returned, or from the last values when TikTok no longer reports the post (`reported` false), so
the history continues past TikTok's 21-day / 30-video window. `creator_snapshots` gains
`avg_views` beside the counters it already kept.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_history"
down_revision: str | None = "0008_saved_searches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, type, nullable) of the table's columns
POST_SNAPSHOTS = (
    ("video_id", sa.String(length=32), False),
    ("day", sa.Date(), False),
    ("reported", sa.Boolean(), False),
    ("video_views", sa.BigInteger(), True),
    ("likes", sa.BigInteger(), True),
    ("comments", sa.BigInteger(), True),
    ("shares", sa.BigInteger(), True),
    ("favorites", sa.BigInteger(), True),
    ("reach", sa.BigInteger(), True),
    ("total_play_time", sa.Float(), True),
    ("video_completion_rate", sa.Float(), True),
)


def upgrade() -> None:
    op.create_table(
        "post_snapshots",
        *[sa.Column(name, kind, nullable=null) for name, kind, null in POST_SNAPSHOTS],
        sa.ForeignKeyConstraint(["video_id"], ["posts.video_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("video_id", "day"),
        sqlite_with_rowid=False,
    )
    # on SQLite both tables are WITHOUT ROWID: the (id, day) key is the table, not a second
    # index beside it, which saves about a third of the bytes of a month of snapshots
    with op.batch_alter_table(
        "creator_snapshots", recreate="always", table_kwargs={"sqlite_with_rowid": False}
    ) as batch:
        batch.add_column(sa.Column("avg_views", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("creator_snapshots") as batch:
        batch.drop_column("avg_views")
    op.drop_table("post_snapshots")
