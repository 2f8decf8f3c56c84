"""Create a campaign on TikTok exactly once (ttcm.services.writes) and record it with the plan.

Its business key is the name and brand (plus how many campaigns of that name and brand were
archived, so an archived one can be started again). A retry after an unconfirmed create looks for
it on TikTok first.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update

from ttcm.api.client import TikTokOneClient
from ttcm.api.models.campaigns import Campaign as ApiCampaign
from ttcm.auth import Principal, require
from ttcm.services.campaigns.settings import CampaignInput, checked
from ttcm.services.tiktok_writer import TikTokWriter
from ttcm.services.writes import claim, finish, mark, mark_outcome
from ttcm.store import models as m
from ttcm.store.audit import record


@dataclass(frozen=True)
class Created:
    """The campaign a create call returned, and whether this call created it."""

    pk: int
    new: bool
    campaign_id: str | None
    request_id: str | None = None


def _key(name: str, brand: str, generation: int) -> str:
    text = json.dumps([name.casefold(), brand.casefold(), generation], ensure_ascii=False)
    return "campaign:" + hashlib.sha256(text.encode()).hexdigest()


class CampaignCreator:
    """Sends a campaign's create call once and records the campaign with the team's plan."""

    def __init__(self, writer: TikTokWriter) -> None:
        self.store = writer.store
        self.client_factory = writer.client_factory
        self.wait_seconds = writer.wait_seconds
        self.stale_after = writer.stale_after

    def create(self, actor: Principal, data: CampaignInput) -> Created:
        """Create the campaign on TikTok (exactly once) and record it with the team's plan."""
        require(actor, "campaign.write")
        values = checked(data)
        name, brand = str(values["campaign_name"]), str(values["brand_name"])
        with self.store.read() as conn:
            generation = conn.execute(
                select(func.count()).where(
                    func.lower(m.Campaign.campaign_name) == name.lower(),
                    func.lower(m.Campaign.brand_name) == brand.lower(),
                    m.Campaign.archived_at.is_not(None),
                    m.Campaign.created_by.is_not(None),
                )
            ).scalar_one()
        intent = claim(
            self.store,
            _key(name, brand, generation),
            "campaign.create",
            values,
            actor,
            wait_seconds=self.wait_seconds,
            stale_after=self.stale_after,
        )
        if intent.done:
            assert intent.done_result is not None
            return Created(
                int(intent.done_result["campaign_pk"]),
                False,
                intent.done_result.get("campaign_id"),
                intent.request_id,
            )
        sending = False
        try:
            with self.client_factory() as client:
                found = self._find_unrecorded(client, name, brand) if intent.resumed else None
                request_id = None
                if found is None:
                    sending = True
                    sent = client.campaign_create(
                        campaign_name=name,
                        brand_name=brand,
                        campaign_description=str(values["description"]),
                        default_spark_ads_requested_authorization_days=int(
                            str(values["spark_days_default"])
                        ),
                        handle_names=[],
                    )
                    found, request_id = sent.value, sent.request_id
        except Exception as exc:
            if sending:
                mark_outcome(self.store, [intent.id], exc)
            else:  # nothing was sent by this call: the intent stays as the last send left it
                mark(
                    self.store,
                    [intent.id],
                    "unknown" if intent.resumed else "failed",
                    f"look-up failed before sending: {exc.__class__.__name__}"[:500],
                )
            raise
        pk = self._record_created(actor, values, found, intent.id, request_id)
        return Created(pk, True, found.campaign_id, request_id)

    def _find_unrecorded(
        self, client: TikTokOneClient, name: str, brand: str
    ) -> ApiCampaign | None:
        """The TikTok campaign an unconfirmed create made, if any (not one the team recorded)."""
        with self.store.read() as conn:
            ours = set(
                conn.execute(
                    select(m.Campaign.campaign_id).where(
                        m.Campaign.campaign_id.is_not(None), m.Campaign.created_by.is_not(None)
                    )
                ).scalars()
            )
        matches = [
            c
            for c in client.iter_campaigns()
            if c.campaign_name == name and c.brand_name == brand and c.campaign_id not in ours
        ]
        return matches[-1] if matches else None  # the API lists campaigns in creation order

    def _record_created(
        self,
        actor: Principal,
        values: dict[str, object],
        found: ApiCampaign,
        intent_id: str,
        request_id: str | None,
    ) -> int:
        now = datetime.now(UTC)
        tiktok = {
            "campaign_type": getattr(found, "campaign_type", None),
            "invite_link": getattr(found, "invite_link", None),
            "tiktok_create_time": getattr(found, "create_time", None),
            "fetched_at": now,
        }
        with self.store.write() as conn:
            # a refresh may have cached the campaign (without the team's plan) in the meantime
            pk = conn.execute(
                select(m.Campaign.id).where(m.Campaign.campaign_id == found.campaign_id)
            ).scalar_one_or_none()
            if pk is None:
                pk = conn.execute(
                    insert(m.Campaign)
                    .values(
                        campaign_id=found.campaign_id,
                        created_by=actor.username,
                        created_at=now,
                        updated_at=now,
                        **tiktok,
                        **values,
                    )
                    .returning(m.Campaign.id)
                ).scalar_one()
            else:
                conn.execute(
                    update(m.Campaign)
                    .where(m.Campaign.id == pk)
                    .values(created_by=actor.username, updated_at=now, **tiktok, **values)
                )
            finish(
                conn,
                intent_id,
                "done",
                request_id,
                {"campaign_pk": pk, "campaign_id": found.campaign_id},
            )
            record(
                conn,
                actor.username,
                "campaign.create" if request_id else "campaign.reconcile",
                str(values["campaign_name"])[:400],
                {"campaign_pk": pk, "campaign_id": found.campaign_id},
                request_id,
            )
        return int(pk)
