"""Campaign settings: what the form collects (TTCM section and team plan), its checks, cleaning."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from datetime import date, datetime

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.services.form_error import FormError

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
_CURRENCY_RE = re.compile(r"[A-Za-z]{3}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


class CampaignError(FormError):
    """Invalid campaign input; `errors` maps each field to what is wrong with it."""


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


def audience_choices() -> dict[str, list[str]]:
    """The values each target-audience dimension takes (from the rules data)."""
    return {
        "countries": sorted(rules.countries()),
        "genders": ["FEMALE", "MALE"],
        "ages": list(rules.vocab()["age_bands"]),
    }


def _audience_problem(value: object) -> str | None:
    if value is None:
        return None
    choices = audience_choices()
    if not isinstance(value, dict) or set(value) - set(choices):
        return f"dimensions are {', '.join(choices)}"
    for dim, picked in value.items():
        if not isinstance(picked, list) or any(p not in choices[dim] for p in picked):
            return f"{dim}: choose from {', '.join(choices[dim][:8])}…"
    return None


def text_problem(value: object, limit: int, *, required: bool, multiline: bool) -> str | None:
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


def _is_number(value: object) -> bool:
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


def clean(data: CampaignInput) -> dict[str, object]:
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


def checked(data: CampaignInput) -> dict[str, object]:
    """The stored values of `data`, or a CampaignError naming every wrong field."""
    errors = validate(data)
    if errors:
        raise CampaignError(errors)
    return clean(data)


def as_input(row: dict[str, object]) -> CampaignInput:
    """A stored campaign as form input (for editing)."""
    values = {f.name: row.get(f.name) for f in fields(CampaignInput)}
    for name in ("campaign_name", "brand_name", "description"):
        values[name] = values[name] or ""
    values["spark_days_default"] = (
        values["spark_days_default"] or rules.limits()["spark_ads_default_days"]
    )
    for name in ("budget", "kpi_engagement_rate"):
        value = values[name]
        if not isinstance(value, int | float) or not math.isfinite(value):
            values[name] = None
    return CampaignInput(**values)  # type: ignore[arg-type]  # the store's columns are the fields
