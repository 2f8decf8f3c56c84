"""Campaigns: the TTCM section sent to TikTok plus the team's plan (goals, KPIs, budget, brief)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select, update

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.services.audit import record
from ttcm.services.discovery import ACCOUNT_KIND_LABELS, account_kind
from ttcm.services.shortlists import UNSUPPORTED_REASON
from ttcm.services.writes import claim, finish, mark_outcome
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.upsert import upsert


class CampaignError(ValueError):
    """Invalid campaign input; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass
class CampaignInput:
    """What a manager fills in on the campaign settings form."""

    campaign_name: str
    brand_name: str
    description: str
    spark_days_default: int = 30
    goals: str | None = None
    kpi_views: int | None = None
    kpi_engagement_rate: float | None = None  # fraction
    kpi_reach: int | None = None
    kpi_posts: int | None = None
    kpi_spark_codes: int | None = None
    budget: float | None = None
    currency: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    posting_start: date | None = None
    posting_end: date | None = None
    brief_content: str | None = None
    brief_dos: str | None = None
    brief_donts: str | None = None
    payment_terms: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _text_errors(name: str, value: str | None, limit: int, required: bool) -> str | None:
    text = (value or "").strip()
    if required and not text:
        return "required"
    if len(text) > limit:
        return f"at most {limit} characters ({len(text)} now)"
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        return "contains control characters"
    return None


def validate(data: CampaignInput) -> dict[str, str]:
    """Field -> problem, for every field that is wrong (empty when the input is usable)."""
    lim = rules.limits()
    errors: dict[str, str] = {}
    for name, limit, required in (
        ("campaign_name", lim["campaign_name_max_chars"], True),
        ("brand_name", lim["text_max_chars"], True),
        ("description", lim["text_max_chars"], True),
        ("goals", 5000, False),
        ("brief_content", 20_000, False),
        ("brief_dos", 5000, False),
        ("brief_donts", 5000, False),
        ("payment_terms", 5000, False),
    ):
        problem = _text_errors(name, getattr(data, name), limit, required)
        if problem:
            errors[name] = problem
    if data.spark_days_default not in rules.spark_days():
        errors["spark_days_default"] = f"choose {', '.join(map(str, rules.spark_days()))} days"
    for name in ("kpi_views", "kpi_reach", "kpi_posts", "kpi_spark_codes"):
        value = getattr(data, name)
        if value is not None and (not isinstance(value, int) or value < 0 or value > 10**12):
            errors[name] = "a whole number between 0 and 1,000,000,000,000"
    if data.kpi_engagement_rate is not None and not 0 <= data.kpi_engagement_rate <= 1:
        errors["kpi_engagement_rate"] = "a rate between 0 % and 100 %"
    if data.budget is not None and not (0 <= data.budget <= 10**12):
        errors["budget"] = "an amount between 0 and 1,000,000,000,000"
    if data.budget is not None and not data.currency:
        errors["currency"] = "required when a budget is set"
    if data.currency and (len(data.currency) != 3 or not data.currency.isalpha()):
        errors["currency"] = "a 3-letter currency code such as USD"
    for start, end in (("start_date", "end_date"), ("posting_start", "posting_end")):
        a, b = getattr(data, start), getattr(data, end)
        if a and b and a > b:
            errors[end] = f"before the {start.replace('_', ' ')}"
    if data.posting_start and data.start_date and data.posting_start < data.start_date:
        errors["posting_start"] = "before the campaign starts"
    if data.posting_end and data.end_date and data.posting_end > data.end_date:
        errors["posting_end"] = "after the campaign ends"
    return errors


def _clean(data: CampaignInput) -> dict[str, Any]:
    values = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "extra"}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip() or None
    if values["currency"]:
        values["currency"] = values["currency"].upper()
    return values


class Campaigns:
    """Campaign operations; changes need `campaign.write`."""

    def __init__(self, store: Store, client_factory: Callable[[], Any]) -> None:
        self.store = store
        self.client_factory = client_factory

    def list(self, actor: Principal, *, include_archived: bool = False) -> list[dict[str, Any]]:
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
            c.start_date,
            c.end_date,
            c.budget,
            c.currency,
            c.archived_at,
            creators.label("creators"),
            orders.label("orders"),
        ).order_by(c.created_at.desc())
        if not include_archived:
            query = query.where(c.archived_at.is_(None))
        with self.store.read() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def get(self, actor: Principal, campaign_pk: int) -> dict[str, Any]:
        """One campaign's every field."""
        require(actor, "read")
        table = m.Campaign.__table__
        with self.store.read() as conn:
            row = conn.execute(select(table).where(table.c.id == campaign_pk)).first()
        if row is None:
            raise CampaignError({"campaign": "no such campaign"})
        return dict(row._mapping)

    def create(self, actor: Principal, data: CampaignInput) -> int:
        """Create the campaign on TikTok (exactly once) and record it with the team's plan."""
        require(actor, "campaign.write")
        errors = validate(data)
        if errors:
            raise CampaignError(errors)
        values = _clean(data)
        key = (
            "campaign:"
            + hashlib.sha256(
                json.dumps(
                    [values["campaign_name"].lower(), values["brand_name"].lower()],
                    ensure_ascii=False,
                ).encode()
            ).hexdigest()
        )
        intent = claim(self.store, key, "campaign.create", values, actor)
        if intent.done_result is not None:
            return int(intent.done_result["campaign_pk"])
        with self.client_factory() as client:
            found = None
            if intent.resumed:
                # a previous attempt may have reached TikTok: look it up before sending again
                for c in client.iter_campaigns():
                    if (
                        c.campaign_name == values["campaign_name"]
                        and c.brand_name == values["brand_name"]
                    ):
                        found, request_id = c, intent.request_id
                        break
            if found is None:
                try:
                    sent = client.campaign_create(
                        campaign_name=values["campaign_name"],
                        brand_name=values["brand_name"],
                        campaign_description=values["description"],
                        default_spark_ads_requested_authorization_days=values["spark_days_default"],
                        handle_names=[],
                    )
                except Exception as exc:
                    mark_outcome(self.store, intent.id, exc)
                    raise
                found, request_id = sent.value, sent.request_id
        now = datetime.now(UTC)
        with self.store.write() as conn:
            pk = conn.execute(
                m.Campaign.__table__.insert()
                .values(
                    campaign_id=found.campaign_id,
                    campaign_type=getattr(found, "campaign_type", None),
                    invite_link=getattr(found, "invite_link", None),
                    tiktok_create_time=getattr(found, "create_time", None),
                    created_by=actor.username,
                    created_at=now,
                    updated_at=now,
                    fetched_at=now,
                    **values,
                )
                .returning(m.Campaign.id)
            ).scalar_one()
            finish(conn, intent.id, "done", request_id, {"campaign_pk": pk})
            record(
                conn,
                actor.username,
                "campaign.create",
                values["campaign_name"],
                {"campaign_pk": pk, "campaign_id": found.campaign_id},
                request_id,
            )
        return int(pk)

    def update(self, actor: Principal, campaign_pk: int, data: CampaignInput) -> None:
        """Save the settings form (team plan and TTCM section) after validating every field."""
        require(actor, "campaign.write")
        errors = validate(data)
        if errors:
            raise CampaignError(errors)
        values = _clean(data)
        with self.store.write() as conn:
            done = conn.execute(
                update(m.Campaign)
                .where(m.Campaign.id == campaign_pk)
                .values(updated_at=datetime.now(UTC), **values)
            ).rowcount
            if not done:
                raise CampaignError({"campaign": "no such campaign"})
            record(
                conn,
                actor.username,
                "campaign.update",
                values["campaign_name"],
                {"campaign_pk": campaign_pk},
                None,
            )

    def archive(self, actor: Principal, campaign_pk: int, archived: bool = True) -> None:
        """Archive (or restore) a campaign; nothing is deleted."""
        require(actor, "campaign.write")
        with self.store.write() as conn:
            done = conn.execute(
                update(m.Campaign)
                .where(m.Campaign.id == campaign_pk)
                .values(archived_at=datetime.now(UTC) if archived else None)
            ).rowcount
            if not done:
                raise CampaignError({"campaign": "no such campaign"})
            record(
                conn,
                actor.username,
                "campaign.archive" if archived else "campaign.restore",
                str(campaign_pk),
                None,
                None,
            )

    def add_creators(self, actor: Principal, campaign_pk: int, handles: Sequence[str]) -> int:
        """Add creators by handle (unsupported ones are added too and flagged on the page)."""
        require(actor, "campaign.write")
        now = datetime.now(UTC)
        clean = list(dict.fromkeys(h.strip().lstrip("@") for h in handles if h and h.strip()))
        with self.store.write() as conn:
            self.get(actor, campaign_pk)
            n = upsert(
                conn,
                m.CampaignCreator.__table__,
                [
                    {
                        "campaign_pk": campaign_pk,
                        "handle_name": h,
                        "added_by": actor.username,
                        "added_at": now,
                    }
                    for h in clean
                ],
                key=["campaign_pk", "handle_name"],
                update=(),
            )
            record(
                conn,
                actor.username,
                "campaign.add_creators",
                str(campaign_pk),
                {"handles": clean[:100]},
                None,
            )
        return n

    def creators(self, actor: Principal, campaign_pk: int) -> list[dict[str, Any]]:
        """Creators with account kind, order status, and an error row for unsupported ones."""
        require(actor, "read")
        cc, c, o = m.CampaignCreator, m.Creator, m.Order
        query = (
            select(
                cc.handle_name,
                c.display_name,
                c.followers_count,
                c.is_tcm_creator,
                c.is_authenticated,
                o.order_id,
                o.status,
                o.invite_link,
                o.campaign_code,
                o.video_number,
            )
            .join(c, c.handle_name == cc.handle_name, isouter=True)
            .join(
                o,
                (o.handle_name == cc.handle_name) & (o.campaign_pk == cc.campaign_pk),
                isouter=True,
            )
            .where(cc.campaign_pk == campaign_pk)
            .order_by(cc.handle_name)
        )
        with self.store.read() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        for row in rows:
            known = row["is_tcm_creator"] is not None or row["is_authenticated"] is not None
            kind = account_kind(row.pop("is_tcm_creator"), row.pop("is_authenticated"))
            row["account_kind"] = ACCOUNT_KIND_LABELS[kind] if known else "not in the cache"
            row["supported"] = known and kind != "nonauth_nonttcm"
            row["error"] = (
                UNSUPPORTED_REASON
                if known and kind == "nonauth_nonttcm"
                else (None if known else "Not in the cache yet: refresh, or check the handle.")
            )
        return rows


def as_input(row: dict[str, Any]) -> CampaignInput:
    """A stored campaign as form input (for editing)."""
    names = [f.name for f in fields(CampaignInput) if f.name != "extra"]
    values = {k: row.get(k) for k in names}
    values["campaign_name"] = values["campaign_name"] or ""
    values["brand_name"] = values["brand_name"] or ""
    values["description"] = values["description"] or ""
    values["spark_days_default"] = (
        values["spark_days_default"] or rules.limits()["spark_ads_default_days"]
    )
    return CampaignInput(**values)
