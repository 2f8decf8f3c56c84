"""Campaigns as pages and the CLI use them: list, read, create, edit, archive, and their creators.

Reads need `read`, changes `campaign.write`. The TTCM section is sent to TikTok with the campaign
(`create`); the team's plan (goals, KPIs, budget, brief, audience) stays in the store.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import func, select, update

from ttcm.auth import Principal, require
from ttcm.services.campaigns.create import CampaignCreator, Created
from ttcm.services.campaigns.creators import CampaignCreators, CreatorRow, Removed
from ttcm.services.campaigns.settings import CampaignError, CampaignInput, checked
from ttcm.services.shortlists import AddResult
from ttcm.services.tiktok_writer import TikTokWriter
from ttcm.store import models as m
from ttcm.store.audit import record

CampaignRow = dict[str, object]


class Campaigns(TikTokWriter):
    """Campaign operations; changes need `campaign.write`."""

    @cached_property
    def _creator(self) -> CampaignCreator:
        return CampaignCreator(self)

    @cached_property
    def members(self) -> CampaignCreators:
        """Who is in a campaign."""
        return CampaignCreators(self.store)

    # ------------------------------------------------------------ reads

    def list(
        self, actor: Principal, *, include_archived: bool = False
    ) -> builtins.list[CampaignRow]:
        """Campaigns with their creator and order counts, newest first."""
        require(actor, "read")
        c = m.Campaign
        creators = (
            select(func.count()).where(m.CampaignCreator.campaign_pk == c.id).scalar_subquery()
        )
        orders = select(func.count()).where(m.Order.campaign_pk == c.id).scalar_subquery()
        query = select(
            c.id,
            c.campaign_id,
            c.campaign_name,
            c.brand_name,
            c.description,
            c.spark_days_default,
            c.start_date,
            c.end_date,
            c.budget,
            c.currency,
            c.archived_at,
            creators.label("creators"),
            orders.label("orders"),
        ).order_by(c.created_at.desc(), c.id.desc())
        if not include_archived:
            query = query.where(c.archived_at.is_(None))
        with self.store.read() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def get(self, actor: Principal, campaign_pk: int) -> CampaignRow:
        """One campaign's every field."""
        require(actor, "read")
        table = m.Campaign.__table__
        with self.store.read() as conn:
            row = conn.execute(select(table).where(table.c.id == campaign_pk)).first()
        if row is None:
            raise CampaignError({"campaign": "no such campaign"})
        return dict(row._mapping)

    def resolve(self, actor: Principal, ref: str) -> int:
        """The local id of a campaign named by its TikTok campaign_id or its local id."""
        require(actor, "read")
        text = (ref or "").strip()
        with self.store.read() as conn:
            pk = conn.execute(
                select(m.Campaign.id).where(m.Campaign.campaign_id == text)
            ).scalar_one_or_none()
            if pk is None and text.isdigit() and len(text) < 10:
                pk = conn.execute(
                    select(m.Campaign.id).where(m.Campaign.id == int(text))
                ).scalar_one_or_none()
        if pk is None:
            raise CampaignError({"campaign": f"no campaign with id {text[:40]!r}"})
        return int(pk)

    # ------------------------------------------------------------ create, edit, archive

    def create(self, actor: Principal, data: CampaignInput) -> Created:
        """Create the campaign on TikTok (exactly once) and record it with the team's plan."""
        return self._creator.create(actor, data)

    def update(self, actor: Principal, campaign_pk: int, data: CampaignInput) -> None:
        """Save the settings form (team plan and TTCM section) after validating every field."""
        require(actor, "campaign.write")
        values = checked(data)
        target = str(values["campaign_name"])[:400]
        values["updated_at"] = datetime.now(UTC)
        self._change(actor, campaign_pk, values, "campaign.update", target)

    def archive(self, actor: Principal, campaign_pk: int, archived: bool = True) -> None:
        """Archive (or restore) a campaign; nothing is deleted."""
        require(actor, "campaign.write")
        action = "campaign.archive" if archived else "campaign.restore"
        when = datetime.now(UTC) if archived else None
        self._change(actor, campaign_pk, {"archived_at": when}, action, str(campaign_pk))

    def _change(
        self,
        actor: Principal,
        campaign_pk: int,
        values: dict[str, object],
        action: str,
        target: str,
    ) -> None:
        """Write `values` to the campaign and audit it in one transaction."""
        with self.store.write() as conn:
            done = conn.execute(
                update(m.Campaign).where(m.Campaign.id == campaign_pk).values(**values)
            ).rowcount
            if not done:
                raise CampaignError({"campaign": "no such campaign"})
            record(conn, actor.username, action, target, {"campaign_pk": campaign_pk}, None)

    def add_creators(self, actor: Principal, campaign_pk: int, handles: Sequence[str]) -> AddResult:
        """Add creators by handle; unsupported or unknown accounts are refused with the way out."""
        return self.members.add_creators(actor, campaign_pk, handles)

    def remove_creators(
        self, actor: Principal, campaign_pk: int, handles: Sequence[str]
    ) -> Removed:
        """Take creators off the campaign; one with an order (or one being sent) stays."""
        return self.members.remove_creators(actor, campaign_pk, handles)

    def creators(self, actor: Principal, campaign_pk: int) -> builtins.list[CreatorRow]:
        """Creators with account kind, order status, list price and agreed fee, and any problem."""
        return self.members.creators(actor, campaign_pk)
