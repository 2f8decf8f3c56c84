"""Creator discovery over the store: filters, sort, count, page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, text

from ttcm import rules
from ttcm.store import Store
from ttcm.store import models as m

SORTS = {
    "followers": m.Creator.followers_count,
    "median_views": m.Creator.median_views,
    "engagement_rate": m.Creator.engagement_rate,
    "price": m.Creator.creator_price,
}
COLUMNS = (
    "handle_name",
    "display_name",
    "country_code",
    "followers_count",
    "avg_views",
    "median_views",
    "engagement_rate",
    "creator_price",
    "currency",
)


@dataclass(frozen=True)
class Filters:
    """A discovery filter; every field optional. Raises ValueError on values that make no sense."""

    countries: tuple[str, ...] = ()
    min_followers: int | None = None
    max_followers: int | None = None
    min_er: float | None = None
    max_er: float | None = None
    min_median_views: int | None = None
    labels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    audience_countries: tuple[str, ...] = ()
    gender_skew: str | None = None
    age_band: str | None = None
    query: str | None = None
    sort: str = "followers"
    descending: bool = True

    def __post_init__(self) -> None:
        known = set(rules.countries()) | set(rules.load("countries")["unsupported_examples"])
        for code in self.countries:
            if code not in known:
                raise ValueError(f"unknown country code {code!r}")
        if (
            self.min_followers is not None
            and self.max_followers is not None
            and self.min_followers > self.max_followers
        ):
            raise ValueError("min followers is above max followers")
        if self.min_er is not None and self.max_er is not None and self.min_er > self.max_er:
            raise ValueError("min engagement rate is above max engagement rate")
        if self.gender_skew is not None and self.gender_skew not in rules.vocab()["gender_ratios"]:
            raise ValueError(
                f"gender skew must be one of {', '.join(rules.vocab()['gender_ratios'])}"
            )
        if self.age_band is not None and self.age_band not in rules.vocab()["age_bands"]:
            raise ValueError(f"age band must be one of {', '.join(rules.vocab()['age_bands'])}")
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")


@dataclass(frozen=True)
class SearchResult:
    """One page of matching creators and the total count."""

    rows: list[dict[str, Any]]
    total: int
    columns: tuple[str, ...] = COLUMNS


def _label_ids(names_or_ids: tuple[str, ...]) -> list[str]:
    vocab = rules.vocab()
    by_name = {
        lab["label_name"].lower(): lab["label_id"]
        for lab in vocab["content_labels"] + vocab["industry_labels"]
    }
    out = []
    for item in names_or_ids:
        label_id = by_name.get(item.lower(), item)
        if not label_id.isdigit():
            raise ValueError(f"unknown label {item!r}")
        out.append(label_id)
    return out


def _where(f: Filters, store: Store) -> list[Any]:
    c = m.Creator
    cond: list[Any] = []
    if f.countries:
        cond.append(c.country_code.in_(f.countries))
    if f.min_followers is not None:
        cond.append(c.followers_count >= f.min_followers)
    if f.max_followers is not None:
        cond.append(c.followers_count <= f.max_followers)
    if f.min_er is not None:
        cond.append(c.engagement_rate >= f.min_er)
    if f.max_er is not None:
        cond.append(c.engagement_rate <= f.max_er)
    if f.min_median_views is not None:
        cond.append(c.median_views >= f.min_median_views)
    if f.labels:
        cond.append(or_(*(c.label_ids.contains(f",{lab},") for lab in _label_ids(f.labels))))
    if f.languages:
        cond.append(or_(*(c.languages.contains(f",{lang},") for lang in f.languages)))
    if f.audience_countries:
        cond.append(c.audience_top_country.in_(f.audience_countries))
    if f.gender_skew:
        gender, pct = f.gender_skew.split("_")
        col = c.audience_female_share if gender == "FEMALE" else c.audience_male_share
        cond.append(col >= int(pct) / 100)
    if f.age_band:
        cond.append(c.audience_top_age == f.age_band)
    if f.query and f.query.strip():
        cond.append(_text_match(f.query.strip(), store))
    return cond


def _text_match(query: str, store: Store) -> Any:
    c = m.Creator
    if store.is_sqlite and len(query) >= 3:
        # trigram FTS: quote the query as one phrase so user text is never FTS syntax
        phrase = '"' + query.replace('"', '""') + '"'
        return c.id.in_(
            select(text("rowid"))
            .select_from(text("creators_fts"))
            .where(text("creators_fts MATCH :q").bindparams(q=phrase))
        )
    pattern = (
        "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    )
    blob = func.lower(
        func.coalesce(c.handle_name, "")
        + " "
        + func.coalesce(c.display_name, "")
        + " "
        + func.coalesce(c.bio, "")
    )
    return blob.like(pattern, escape="\\")


def search(store: Store, filters: Filters, *, limit: int = 50, offset: int = 0) -> SearchResult:
    """Creators matching `filters`, sorted, one page of `limit` rows, and the total count."""
    cond = and_(*_where(filters, store)) if _where(filters, store) else None
    sort_col = SORTS[filters.sort]
    order = sort_col.desc() if filters.descending else sort_col.asc()
    cols = [getattr(m.Creator, name) for name in COLUMNS]
    page: Select[Any] = select(*cols).order_by(order.nulls_last(), m.Creator.handle_name)
    count: Select[Any] = select(func.count()).select_from(m.Creator)
    if cond is not None:
        page = page.where(cond)
        count = count.where(cond)
    with store.read() as conn:
        total = conn.execute(count).scalar_one()
        rows = [dict(r._mapping) for r in conn.execute(page.limit(limit).offset(offset))]
    return SearchResult(rows=rows, total=total)
