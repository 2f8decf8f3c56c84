"""Discovery's plain-Python oracle and the single filters it is checked with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.builders.creators import CONTENT
from ttcm import rules
from ttcm.domain.eligibility import check
from ttcm.domain.exchange import RateTable, rates_from_data
from ttcm.services.discovery.filters import CreatorFilter

SHIPPED = RateTable(rates_from_data(rules.exchange_rates()))


def usd_price(r: dict[str, Any]) -> float | None:
    """The creator's price in the default team currency (USD) at the shipped rates."""
    if r["creator_price"] is None:
        return None
    on = datetime.now(UTC).date()
    return r["creator_price"] / SHIPPED.rate(r["currency"], on).per_usd


def oracle(rows: list[dict[str, Any]], f: CreatorFilter) -> list[str]:
    """Handles matching `f`, in the page's order, computed the slow obvious way."""
    rows = [{**r, "team_price": usd_price(r)} for r in rows]

    def within(v: Any, lo: Any, hi: Any) -> bool:
        if lo is None and hi is None:
            return True
        if v is None:
            return False
        return (lo is None or v >= lo) and (hi is None or v <= hi)

    def has(field: str | None, wanted: tuple[str, ...]) -> bool:
        items = set((field or "").strip(",").split(",")) - {""}
        return bool(items & set(wanted))

    out = []
    for r in rows:
        text = " ".join(str(r[k] or "") for k in ("handle_name", "display_name", "bio")).lower()
        ok = (
            (not f.countries or r["country_code"] in f.countries)
            and (not f.states or r["state_province"] in f.states)
            and within(r["followers_count"], f.min_followers, f.max_followers)
            and within(r["avg_views"], f.min_avg_views, f.max_avg_views)
            and within(r["median_views"], f.min_median_views, f.max_median_views)
            and within(r["engagement_rate"], f.min_er, f.max_er)
            and within(r["team_price"], f.min_price, f.max_price)
            and (not f.currency or r["currency"] == f.currency)
            and (not f.languages or has(r["languages"], f.languages))
            and (not f.labels or has(r["label_ids"], f.labels))
            and (not f.audience_countries or r["audience_top_country"] in f.audience_countries)
            and (f.age_band is None or r["audience_top_age"] == f.age_band)
            and (f.tcm is None or bool(r["is_tcm_creator"]) == f.tcm)
            and (f.authenticated is None or bool(r["is_authenticated"]) == f.authenticated)
            and (not f.query or f.query.strip().lower() in text)
        )
        if ok and f.gender_skew:
            gender, pct = f.gender_skew.split("_")
            share = r["audience_female_share" if gender == "FEMALE" else "audience_male_share"]
            ok = share is not None and share >= int(pct) / 100
        if ok and f.eligible is not None:
            code = check(r).code
            ok = code == (1 if f.eligible else 2)
        if ok:
            out.append(r)
    key = {
        "followers": "followers_count",
        "avg_views": "avg_views",
        "median_views": "median_views",
        "engagement_rate": "engagement_rate",
        "price": "team_price",
    }[f.sort]
    known = [r for r in out if r[key] is not None]
    unknown = [r for r in out if r[key] is None]
    known.sort(key=lambda r: r["handle_name"])
    known.sort(key=lambda r: r[key], reverse=f.descending)
    unknown.sort(key=lambda r: r["handle_name"])
    return [r["handle_name"] for r in known + unknown]


SINGLE_FILTERS = [
    CreatorFilter(),
    CreatorFilter(countries=("US", "GB")),
    CreatorFilter(countries=("MX",)),
    CreatorFilter(states=("CA",)),
    CreatorFilter(min_followers=50_000),
    CreatorFilter(max_followers=20_000),
    CreatorFilter(min_followers=10_000, max_followers=100_000),
    CreatorFilter(min_avg_views=5_000, max_avg_views=200_000),
    CreatorFilter(min_median_views=3_000),
    CreatorFilter(max_median_views=2_000),
    CreatorFilter(min_er=0.05),
    CreatorFilter(min_er=0.02, max_er=0.08),
    CreatorFilter(min_price=100, max_price=1000, currency="USD"),
    CreatorFilter(currency="EUR"),
    CreatorFilter(languages=("es",)),
    CreatorFilter(languages=("en", "ja")),
    CreatorFilter(labels=(CONTENT[0],)),
    CreatorFilter(labels=("Beauty Tutorials & Tips", CONTENT[2])),
    CreatorFilter(audience_countries=("DE",)),
    CreatorFilter(gender_skew="FEMALE_60"),
    CreatorFilter(gender_skew="MALE_70"),
    CreatorFilter(age_band="18-24"),
    CreatorFilter(tcm=True),
    CreatorFilter(tcm=False, authenticated=True),
    CreatorFilter(eligible=True),
    CreatorFilter(eligible=False),
    CreatorFilter(query="mira"),
    CreatorFilter(query="MOON"),
    CreatorFilter(query='"q"'),
    CreatorFilter(query="<b>"),
    CreatorFilter(query="100%"),
    CreatorFilter(query="c_a"),
    CreatorFilter(query="🎯"),
    CreatorFilter(query="ze"),
    CreatorFilter(sort="median_views"),
    CreatorFilter(sort="engagement_rate", descending=False),
    CreatorFilter(sort="price"),
    CreatorFilter(sort="avg_views", descending=False, countries=("BR",)),
]
