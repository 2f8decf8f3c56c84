"""Refresh of campaigns: TikTok's campaigns, their creators, and the video link requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from ttcm.api.models.campaigns import Campaign, LinkInfo
from ttcm.refresh.context import RunContext
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert

TEAM_FIELDS = ("campaign_name", "brand_name", "description")
LINK_COMPARE = ("video_id", "campaign_id", "status", "number_of_requests")


def _values(c: Campaign, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        "campaign_name": c.campaign_name,
        "brand_name": c.brand_name,
        "description": c.campaign_description,
        "campaign_type": c.campaign_type,
        "invite_link": c.invite_link,
        "tiktok_create_time": c.create_time,
        "fetched_at": now,
    }
    if c.spark_ads_requested_authorization_days:
        values["spark_days_default"] = c.spark_ads_requested_authorization_days
    return values


def write_campaign(conn: Connection, c: Campaign, now: datetime) -> tuple[int, bool]:
    """Insert or update one campaign; returns its key and whether it is new."""
    values = _values(c, now)
    t = m.Campaign
    existing = conn.execute(
        select(t.id, t.created_by, t.campaign_name, t.brand_name, t.description).where(
            t.campaign_id == c.campaign_id
        )
    ).first()
    if existing is None:
        pk = conn.execute(
            table_of(t)
            .insert()
            .values(campaign_id=c.campaign_id, created_at=now, updated_at=now, **values)
            .returning(t.id)
        ).scalar_one()
        return pk, True
    if existing.created_by:
        # the team edits its own campaigns' TTCM section in ttcm: TikTok's copy only fills
        # what is still empty, never overwrites the team's edits
        for team_field in TEAM_FIELDS:
            if getattr(existing, team_field):
                values.pop(team_field, None)
        values.pop("spark_days_default", None)
    conn.execute(update(t).where(t.id == existing.id).values(**values))
    return existing.id, False


def _link_row(li: LinkInfo, now: datetime) -> dict[str, Any]:
    return {
        "link_request_id": li.link_request_id or f"{li.campaign_id}:{li.video_id}",
        "video_id": li.video_id,
        "campaign_id": li.campaign_id,
        "status": li.status,
        "number_of_requests": li.number_of_requests,
        "source": m.API_SOURCE,
        "fetched_at": now,
    }


def refresh_campaigns(ctx: RunContext) -> None:
    """Every campaign with its creators in one transaction, then their link requests."""
    now = ctx.now()
    batch = list(ctx.client.iter_campaigns())
    with ctx.store.write() as conn:
        for c in batch:
            pk, new = write_campaign(conn, c, now)
            ctx.run.add("campaigns", "new" if new else "seen", 1)
            members = [
                {"campaign_pk": pk, "handle_name": h, "added_at": now} for h in c.handle_names or ()
            ]
            upsert(
                conn,
                table_of(m.CampaignCreator),
                members,
                key=["campaign_pk", "handle_name"],
                update=(),
            )
        ctx.renew(conn)
    ids = [c.campaign_id for c in batch if c.campaign_id]
    links = list(ctx.client.iter_link_status(campaign_ids=ids)) if ids else []
    with ctx.store.write() as conn:
        rows = [_link_row(li, now) for li in links]
        changed = upsert(
            conn, table_of(m.LinkStatus), rows, key=["link_request_id"], compare=LINK_COMPARE
        )
        ctx.run.add("links", "changed", changed)
        ctx.complete(conn, "campaigns")
