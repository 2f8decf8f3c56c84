"""Discovery's result rows: the columns shown and exported, fetched from the store by id."""

from __future__ import annotations

from sqlalchemy import select

from ttcm.domain.account_kind import account_kind
from ttcm.domain.cells import Cell
from ttcm.domain.eligibility import ALREADY_TTCM, ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, check
from ttcm.services.exchange_rates import Pricing, pricing
from ttcm.store import Store
from ttcm.store import models as m

COLUMNS: tuple[tuple[str, str], ...] = (
    ("handle_name", "Handle"),
    ("display_name", "Display name"),
    ("country_code", "Country"),
    ("followers_count", "Followers"),
    ("avg_views", "Average views"),
    ("median_views", "Median views"),
    ("engagement_rate", "Engagement rate (%)"),
    ("team_price", "Price in team currency"),
    ("creator_price", "Creator's price"),
    ("currency", "Price currency"),
    ("team_currency", "Team currency"),
    ("account_kind", "Account"),
    ("eligibility", "TTCM eligibility"),
)
ELIGIBILITY_LABELS = {
    ALREADY_TTCM: "on TTCM",
    ELIGIBLE: "eligible",
    NOT_ELIGIBLE: "not eligible",
    UNKNOWN: "unknown",
}


def headers(team_currency: str) -> tuple[tuple[str, str], ...]:
    """COLUMNS with the team currency named in the converted price's header."""
    return tuple(
        (key, f"Price in {team_currency}" if key == "team_price" else label)
        for key, label in COLUMNS
    )


def csv_columns(team_currency: str) -> tuple[tuple[str, str] | tuple[str, str, str], ...]:
    """The CSV's columns: percentages in the % column, people's names for account kinds."""
    kinds = {"engagement_rate": "percent", "account_kind": "label:account_kind"}
    out: list[tuple[str, str] | tuple[str, str, str]] = []
    for key, header in headers(team_currency):
        out.append((key, header, kinds[key]) if key in kinds else (key, header))
        if key == "team_price":  # the conversion's filled formula beside it
            out.append(("team_price_how", f"{header} how"))
    return tuple(out)


_DISPLAY = (
    "handle_name",
    "display_name",
    "country_code",
    "followers_count",
    "avg_views",
    "median_views",
    "engagement_rate",
    "creator_price",
    "currency",
    "is_tcm_creator",
    "is_authenticated",
)


def fetch_rows(
    store: Store,
    ids: list[int],
    eligibility: list[int] | None = None,
    prices: Pricing | None = None,
) -> list[dict[str, Cell]]:
    """Display rows for creator ids, in the order given (eligibility codes from the index)."""
    prices = prices or pricing(store)
    if not ids:
        return []
    table = m.Creator.__table__
    cols = [table.c.id, *(table.c[name] for name in _DISPLAY)]
    with store.read() as conn:
        found = {r[0]: r for r in conn.execute(select(*cols).where(table.c.id.in_(ids)))}
    if eligibility is None:
        with store.read() as conn:
            full = {
                r.id: r._mapping for r in conn.execute(select(table).where(table.c.id.in_(ids)))
            }
        eligibility = [check(dict(full[i])).code if i in full else UNKNOWN for i in ids]
    out = []
    for i, code in zip(ids, eligibility, strict=True):
        r = found.get(i)
        if r is None:
            continue
        row = dict(zip(_DISPLAY, r[1:], strict=True))
        row["id"] = i
        row["account_kind"] = account_kind(row.pop("is_tcm_creator"), row.pop("is_authenticated"))
        row["eligibility"] = ELIGIBILITY_LABELS[code]
        row["team_price"] = prices.team_price(row["creator_price"], row["currency"])
        row["team_price_how"] = prices.team_price_how(row["creator_price"], row["currency"])
        row["team_currency"] = prices.currency
        out.append(row)
    return out
