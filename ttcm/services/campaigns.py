"""Campaigns: the TTCM section sent to TikTok plus the team's plan (goals, KPIs, budget, brief).

A campaign is created on TikTok exactly once (ttcm.services.writes): its business key is the
name and brand (plus how many campaigns of that name and brand were archived, so an archived one
can be started again). A retry after an unconfirmed create looks for it on TikTok first.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select, update

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt
from ttcm.domain.account_kind import ACCOUNT_KIND_LABELS, account_kind
from ttcm.errors import InputError
from ttcm.services.audit import record
from ttcm.services.order_rules import COLUMNS as ORDER_COLUMNS
from ttcm.services.order_rules import why_not_orderable
from ttcm.services.shortlists import UNSUPPORTED_REASON, AddResult
from ttcm.services.writes import STALE_AFTER, claim, finish, mark, mark_outcome
from ttcm.store import Store
from ttcm.store import models as m

MAX_WHOLE = 10**12
TEXT_LIMITS = {  # team-plan text fields: (limit, multi-line)
    "goals": 5000,
    "brief_content": 20_000,
    "brief_dos": 5000,
    "brief_donts": 5000,
    "payment_terms": 5000,
}
KPI_WHOLE = ("kpi_views", "kpi_reach", "kpi_posts", "kpi_spark_codes")
HANDLE_RE = re.compile(r"[A-Za-z0-9._]{1,100}")
NOT_CACHED = "Not in the cache yet: refresh, or check the handle."
_CURRENCY_RE = re.compile(r"[A-Za-z]{3}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


class CampaignError(InputError):
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
    target_audience: dict[str, list[str]] | None = None  # {"countries": [...], "genders": ...}


@dataclass(frozen=True)
class Removed:
    """What a remove-creators request did."""

    removed: list[str]
    kept: dict[str, str]  # handle -> why it stays


def audience_choices() -> dict[str, list[str]]:
    """The values each target-audience dimension takes (from the rules data)."""
    return {
        "countries": sorted(rules.countries()),
        "genders": ["FEMALE", "MALE"],
        "ages": list(rules.vocab()["age_bands"]),
    }


def _audience_problem(value: Any) -> str | None:
    if value is None:
        return None
    choices = audience_choices()
    if not isinstance(value, dict) or set(value) - set(choices):
        return f"dimensions are {', '.join(choices)}"
    for dim, picked in value.items():
        if not isinstance(picked, list) or any(p not in choices[dim] for p in picked):
            return f"{dim}: choose from {', '.join(choices[dim][:8])}…"
    return None


@dataclass(frozen=True)
class Created:
    """The campaign a create call returned, and whether this call created it."""

    pk: int
    new: bool
    campaign_id: str | None
    request_id: str | None = None


def text_problem(value: Any, limit: int, *, required: bool, multiline: bool) -> str | None:
    """What is wrong with a text field (None when it is fine)."""
    if value is not None and not isinstance(value, str):
        return "must be text"
    text = (value or "").strip()
    if required and not text:
        return "required"
    if len(text) > limit:
        return f"at most {numfmt.count(limit)} characters ({numfmt.count(len(text))} now)"
    if _CONTROL_RE.search(text) or (not multiline and ("\n" in text or "\t" in text)):
        return "contains control characters or line breaks"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate(data: CampaignInput) -> dict[str, str]:
    """Field -> problem, for every field that is wrong (empty when the input is usable)."""
    lim = rules.limits()
    errors: dict[str, str] = {}
    ttcm_text = int(lim["text_max_chars"])
    for name, limit, required, multiline in (
        ("campaign_name", int(lim["campaign_name_max_chars"]), True, False),
        ("brand_name", ttcm_text, True, False),
        ("description", ttcm_text, True, False),
        *((n, limit, False, True) for n, limit in TEXT_LIMITS.items()),
    ):
        problem = text_problem(getattr(data, name), limit, required=required, multiline=multiline)
        if problem:
            errors[name] = problem
    days = rules.spark_days()
    if isinstance(data.spark_days_default, bool) or data.spark_days_default not in days:
        errors["spark_days_default"] = f"choose {', '.join(map(str, days))} days"
    for name in KPI_WHOLE:
        value = getattr(data, name)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_WHOLE
        ):
            errors[name] = f"a whole number between 0 and {numfmt.count(MAX_WHOLE)}"
    er = data.kpi_engagement_rate
    if er is not None and (not _is_number(er) or not 0 <= er <= 1):
        errors["kpi_engagement_rate"] = "a rate between 0 % and 100 %"
    budget = data.budget
    if budget is not None and (not _is_number(budget) or not 0 < budget <= MAX_WHOLE):
        errors["budget"] = f"a positive amount up to {numfmt.count(MAX_WHOLE)}"
    currency = data.currency.strip() if isinstance(data.currency, str) else data.currency
    if currency and not (isinstance(currency, str) and _CURRENCY_RE.fullmatch(currency)):
        errors["currency"] = "a 3-letter currency code such as USD"
    elif budget is not None and not currency:
        errors["currency"] = "required when a budget is set"
    for name in ("start_date", "end_date", "posting_start", "posting_end"):
        value = getattr(data, name)
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            errors[name] = "a date"
    audience = _audience_problem(data.target_audience)
    if audience:
        errors["target_audience"] = audience
    if any(k in errors for k in ("start_date", "end_date", "posting_start", "posting_end")):
        return errors
    for start, end, what in (
        ("start_date", "end_date", "the campaign start"),
        ("posting_start", "posting_end", "the posting window opens"),
    ):
        a, b = getattr(data, start), getattr(data, end)
        if a and b and a > b:
            errors[end] = f"before {what}"
    if data.posting_start and data.start_date and data.posting_start < data.start_date:
        errors["posting_start"] = "before the campaign starts"
    if data.posting_end and data.end_date and data.posting_end > data.end_date:
        errors["posting_end"] = "after the campaign ends"
    return errors


def clean(data: CampaignInput) -> dict[str, Any]:
    """The stored values of valid input (text trimmed, empty text as None, currency upper-case)."""
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip() or None
    if values["currency"]:
        values["currency"] = values["currency"].upper()
    if values["budget"] is not None:
        values["budget"] = float(values["budget"])
    if values["kpi_engagement_rate"] is not None:
        values["kpi_engagement_rate"] = float(values["kpi_engagement_rate"])
    audience = {k: list(v) for k, v in (values["target_audience"] or {}).items() if v}
    values["target_audience"] = audience or None
    return values


def _checked(data: CampaignInput) -> dict[str, Any]:
    errors = validate(data)
    if errors:
        raise CampaignError(errors)
    return clean(data)


def _key(name: str, brand: str, generation: int) -> str:
    text = json.dumps([name.casefold(), brand.casefold(), generation], ensure_ascii=False)
    return "campaign:" + hashlib.sha256(text.encode()).hexdigest()


class Campaigns:
    """Campaign operations; changes need `campaign.write`."""

    def __init__(
        self,
        store: Store,
        client_factory: Callable[[], Any],
        *,
        wait_seconds: float = 30.0,
        stale_after: Any = STALE_AFTER,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.wait_seconds = wait_seconds
        self.stale_after = stale_after

    # ------------------------------------------------------------ reads

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

    def get(self, actor: Principal, campaign_pk: int) -> dict[str, Any]:
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
        require(actor, "campaign.write")
        values = _checked(data)
        name, brand = values["campaign_name"], values["brand_name"]
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
                        campaign_description=values["description"],
                        default_spark_ads_requested_authorization_days=values["spark_days_default"],
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

    def _find_unrecorded(self, client: Any, name: str, brand: str) -> Any | None:
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
        values: dict[str, Any],
        found: Any,
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
                    m.Campaign.__table__.insert()
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
                values["campaign_name"][:400],
                {"campaign_pk": pk, "campaign_id": found.campaign_id},
                request_id,
            )
        return int(pk)

    def update(self, actor: Principal, campaign_pk: int, data: CampaignInput) -> None:
        """Save the settings form (team plan and TTCM section) after validating every field."""
        require(actor, "campaign.write")
        values = _checked(data)
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
                values["campaign_name"][:400],
                {"campaign_pk": campaign_pk},
                None,
            )

    def remove_creators(
        self, actor: Principal, campaign_pk: int, handles: Sequence[str]
    ) -> Removed:
        """Take creators off the campaign; one with an order (or one being sent) stays."""
        require(actor, "campaign.write")
        wanted = [h for h in dict.fromkeys(handles) if isinstance(h, str) and h]
        kept: dict[str, str] = {}
        with self.store.write() as conn:
            ordered = set(
                conn.execute(
                    select(m.Order.handle_name).where(
                        m.Order.campaign_pk == campaign_pk, m.Order.handle_name.in_(wanted)
                    )
                ).scalars()
            )
            sending = {
                key.split(":", 2)[2]
                for key in conn.execute(
                    select(m.WriteIntent.business_key).where(
                        m.WriteIntent.business_key.in_(
                            [f"order:{campaign_pk}:{h}" for h in wanted]
                        ),
                        m.WriteIntent.status.in_(("pending", "unknown", "done")),
                    )
                ).scalars()
            }
            removed = []
            for h in wanted:
                if h in ordered or h in sending:
                    kept[h] = "has an order on TikTok (or one being sent): it stays"
                    continue
                gone = conn.execute(
                    m.CampaignCreator.__table__.delete().where(
                        m.CampaignCreator.campaign_pk == campaign_pk,
                        m.CampaignCreator.handle_name == h,
                    )
                ).rowcount
                if gone:
                    removed.append(h)
                else:
                    kept[h] = "not in this campaign"
            if removed:
                record(
                    conn,
                    actor.username,
                    "campaign.remove_creators",
                    str(campaign_pk),
                    {"handles": removed[:100], "count": len(removed)},
                    None,
                )
        return Removed(removed, kept)

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
                {"campaign_pk": campaign_pk},
                None,
            )

    # ------------------------------------------------------------ creators

    def add_creators(self, actor: Principal, campaign_pk: int, handles: Sequence[str]) -> AddResult:
        """Add creators by handle; unsupported or unknown accounts are refused with the way out."""
        require(actor, "campaign.write")
        result = AddResult()
        wanted: dict[str, str] = {}  # lower-case -> as typed
        for raw in handles:
            h = raw.strip().removeprefix("@") if isinstance(raw, str) else ""
            if not h:
                continue
            if not HANDLE_RE.fullmatch(h):
                shown = h if len(h) <= 40 else h[:39] + "…"
                result.refused[shown] = (
                    "Not a TikTok handle: use letters, digits, '.' and '_' (at most 100)."
                )
                continue
            wanted.setdefault(h.lower(), h)
        now = datetime.now(UTC)
        with self.store.write() as conn:
            if (
                conn.execute(select(m.Campaign.id).where(m.Campaign.id == campaign_pk)).first()
                is None
            ):
                raise CampaignError({"campaign": "no such campaign"})
            known = _creators_by_lower(conn, list(wanted))
            present = set(
                conn.execute(
                    select(m.CampaignCreator.handle_name).where(
                        m.CampaignCreator.campaign_pk == campaign_pk
                    )
                ).scalars()
            )
            for low, typed in wanted.items():
                row = known.get(low)
                if row is None:
                    result.refused[typed] = NOT_CACHED
                elif account_kind(row.is_tcm_creator, row.is_authenticated) == "nonauth_nonttcm":
                    result.refused[row.handle_name] = UNSUPPORTED_REASON
                elif row.handle_name in present:
                    result.already.append(row.handle_name)
                else:
                    conn.execute(
                        m.CampaignCreator.__table__.insert().values(
                            campaign_pk=campaign_pk,
                            handle_name=row.handle_name,
                            added_by=actor.username,
                            added_at=now,
                        )
                    )
                    present.add(row.handle_name)
                    result.added.append(row.handle_name)
            if result.added:
                record(
                    conn,
                    actor.username,
                    "campaign.add_creators",
                    str(campaign_pk),
                    {"handles": result.added[:100], "count": len(result.added)},
                    None,
                )
        return result

    def creators(self, actor: Principal, campaign_pk: int) -> list[dict[str, Any]]:
        """Creators with account kind, order status, list price and agreed fee, and any problem."""
        require(actor, "read")
        cc, c, o = m.CampaignCreator, m.Creator, m.Order
        query = (
            select(
                cc.handle_name,
                c.display_name,
                c.country_code,
                c.followers_count,
                *(getattr(c, col) for col in ORDER_COLUMNS if col not in _SHOWN),
                c.id.label("creator_pk"),
                o.order_id,
                o.status,
                o.invite_link,
                o.campaign_code,
                o.video_number,
                cc.agreed_fee,
                cc.fee_currency,
                c.creator_price,
                c.currency,
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
        labels = rules.vocab()["order_statuses"]
        for row in rows:
            known = row.pop("creator_pk") is not None
            facts = {col: row.pop(col) for col in ORDER_COLUMNS if col not in _SHOWN}
            facts.update({col: row[col] for col in _SHOWN})
            kind = account_kind(facts["is_tcm_creator"], facts["is_authenticated"])
            unsupported = known and kind == "nonauth_nonttcm"
            row["account_kind"] = ACCOUNT_KIND_LABELS[kind] if known else "not in the cache"
            row["supported"] = known and not unsupported
            row["status_label"] = labels.get(row["status"] or "", row["status"]) or "no order"
            row["error"] = UNSUPPORTED_REASON if unsupported else (None if known else NOT_CACHED)
            row["order_block"] = why_not_orderable(facts) if known else NOT_CACHED
            row["list_price"] = numfmt.money(row["creator_price"], row["currency"])
            if row["agreed_fee"] is None:
                row["fee_label"] = "list price"
            else:
                row["fee_label"] = numfmt.money(row["agreed_fee"], row["fee_currency"])
        return rows


_SHOWN = ("handle_name", "country_code", "followers_count")  # kept in the creators() rows


def _creators_by_lower(conn: Any, lowered: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(0, len(lowered), 500):
        chunk = lowered[i : i + 500]
        for r in conn.execute(
            select(*(getattr(m.Creator, c) for c in ORDER_COLUMNS)).where(
                func.lower(m.Creator.handle_name).in_(chunk)
            )
        ):
            out[r.handle_name.lower()] = r
    return out


def creators_by_handle(store: Store, handles: Sequence[str]) -> dict[str, Any]:
    """Cached creators (the columns the order rules read) by lower-case handle."""
    with store.read() as conn:
        return _creators_by_lower(conn, [h.lower() for h in handles])


def as_input(row: dict[str, Any]) -> CampaignInput:
    """A stored campaign as form input (for editing)."""
    values = {f.name: row.get(f.name) for f in fields(CampaignInput)}
    for name in ("campaign_name", "brand_name", "description"):
        values[name] = values[name] or ""
    values["spark_days_default"] = (
        values["spark_days_default"] or rules.limits()["spark_ads_default_days"]
    )
    for name in ("budget", "kpi_engagement_rate"):
        if values[name] is not None and not math.isfinite(values[name]):
            values[name] = None
    return CampaignInput(**values)


__all__ = [
    "HANDLE_RE",
    "NOT_CACHED",
    "CampaignError",
    "CampaignInput",
    "Campaigns",
    "Created",
    "Removed",
    "as_input",
    "audience_choices",
    "clean",
    "creators_by_handle",
    "validate",
]
