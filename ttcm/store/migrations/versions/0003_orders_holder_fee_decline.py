"""write-intent holders, agreed fee per campaign creator, decline reason of an order

Revision ID: 0003_orders
Revises: 0002
Create Date: 2026-12-01

* `write_intents.holder` (host:pid:start of the sending process): a claim whose holder process is
  gone is taken over at once instead of after the stale timeout.
* `campaign_creators.agreed_fee` / `fee_currency`: the fee agreed with a creator for a campaign
  (None: the creator's list price applies).
* `orders.decline_reason`: why the creator declined (as TikTok reported it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_orders"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("write_intents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder", sa.String(length=200), nullable=True))
    with op.batch_alter_table("campaign_creators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreed_fee", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("fee_currency", sa.String(length=8), nullable=True))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decline_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("decline_reason")
    with op.batch_alter_table("campaign_creators", schema=None) as batch_op:
        batch_op.drop_column("fee_currency")
        batch_op.drop_column("agreed_fee")
    with op.batch_alter_table("write_intents", schema=None) as batch_op:
        batch_op.drop_column("holder")
