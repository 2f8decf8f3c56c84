"""A creator's history with the team: every campaign they were in, against the campaign's median,
and what a rebooking starts from (the deliverables and fee of their last order).

Numbers come from the stored campaign data through the overview's own maths
(`ttcm.domain.performance.creator_results`): posts are the ones the campaign counts, fees are the
agreed fee (else the list price) in the campaign's currency, CPV = fee / views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain.performance.creator_results import CreatorResult, creator_result, median_value
from ttcm.domain.performance.values import Value
from ttcm.services.campaign_posts import creator_handles
from ttcm.services.post_metrics import load_campaign
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.timestamps import utcnow


@dataclass(frozen=True)
class CampaignHistory:
    """One campaign the creator was in: their results and the campaign's medians."""

    campaign_pk: int
    campaign_name: str
    brand_name: str | None
    currency: str | None
    archived: bool
    result: CreatorResult
    status_labels: tuple[str, ...]
    median_cpv: Value
    median_er: Value
    creators: int  # the campaign's creators the medians are taken over


@dataclass(frozen=True)
class Rebooking:
    """What a new order for the creator is prefilled with: their last order, and its fee."""

    handle_name: str
    from_campaign_pk: int
    from_campaign_name: str
    video_number: int
    deliverable_names: tuple[str, ...]
    spark_days: tuple[int, ...]  # per deliverable, 0 = no Spark Ads request
    agreed_fee: float | None
    fee_currency: str | None


class CreatorHistory:
    """The campaigns a creator was in, and the template of a rebooking (every call: `read`)."""

    def __init__(self, store: Store, now: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.now = now

    def campaigns(self, actor: Principal, handle: str) -> list[CampaignHistory]:
        """Every campaign of the team the creator was added to or ordered in, newest first."""
        require(actor, "read")
        c = m.Campaign
        added = select(m.CampaignCreator.campaign_pk).where(m.CampaignCreator.handle_name == handle)
        ordered = select(m.Order.campaign_pk).where(
            m.Order.handle_name == handle, m.Order.campaign_pk.is_not(None)
        )
        with self.store.read() as conn:
            pks = [
                int(pk)
                for pk in conn.execute(
                    select(c.id)
                    .where(c.id.in_(added.union(ordered).scalar_subquery()))
                    .order_by(c.created_at.desc(), c.id.desc())
                ).scalars()
            ]
            members = {
                pk: sorted(str(h) for h in conn.execute(creator_handles(pk)).scalars())
                for pk in pks
            }
        on = self.now().date()
        labels = rules.vocab()["order_statuses"]
        out = []
        for pk in pks:
            data = load_campaign(self.store, actor, pk, audience=False, daily=False, cache=False)
            mine = creator_result(data, handle, on)
            everyone = [creator_result(data, h, on) for h in members[pk]]
            currency = (data.campaign.get("currency") or "").upper() or None
            out.append(
                CampaignHistory(
                    campaign_pk=pk,
                    campaign_name=str(data.campaign["campaign_name"]),
                    brand_name=data.campaign.get("brand_name"),
                    currency=currency,
                    archived=data.campaign.get("archived_at") is not None,
                    result=mine,
                    status_labels=tuple(labels.get(s, s) for s in mine.statuses),
                    median_cpv=median_value(everyone, "campaign_median_cpv", currency or "", "CPV"),
                    median_er=median_value(everyone, "campaign_median_er", "%", "engagement rate"),
                    creators=len(everyone),
                )
            )
        return out

    def rebooking(self, actor: Principal, handle: str) -> Rebooking | None:
        """The creator's last order (newest created) with its deliverables and agreed fee."""
        require(actor, "read")
        o, c, cc = m.Order, m.Campaign, m.CampaignCreator
        with self.store.read() as conn:
            last = conn.execute(
                select(o.order_id, o.video_number, o.campaign_pk, c.campaign_name)
                .join(c, c.id == o.campaign_pk)
                .where(o.handle_name == handle)
                .order_by(o.create_time.desc().nulls_last(), o.fetched_at.desc())
                .limit(1)
            ).first()
            if last is None:
                return None
            items = conn.execute(
                select(m.Deliverable.deliverable_name, m.Deliverable.spark_days)
                .where(m.Deliverable.order_id == last.order_id)
                .order_by(m.Deliverable.position)
            ).all()
            fee = conn.execute(
                select(cc.agreed_fee, cc.fee_currency).where(
                    cc.campaign_pk == last.campaign_pk, cc.handle_name == handle
                )
            ).first()
        videos = int(last.video_number or len(items) or 1)
        return Rebooking(
            handle_name=handle,
            from_campaign_pk=int(last.campaign_pk),
            from_campaign_name=str(last.campaign_name),
            video_number=videos,
            deliverable_names=tuple(str(d.deliverable_name or "") for d in items),
            spark_days=tuple(int(d.spark_days or 0) for d in items),
            agreed_fee=None if fee is None or fee.agreed_fee is None else float(fee.agreed_fee),
            fee_currency=None if fee is None else fee.fee_currency,
        )
