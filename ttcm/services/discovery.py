"""Creator discovery: a validated filter (round-trips through a URL query), search, histograms."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
from sqlalchemy import func, select

from ttcm import rules
from ttcm.errors import InputError
from ttcm.services import creator_index
from ttcm.services.creator_index import Query
from ttcm.services.eligibility import ALREADY_TTCM, ELIGIBLE, NOT_ELIGIBLE, UNKNOWN
from ttcm.services.exchange_rates import Pricing, pricing
from ttcm.store import Store
from ttcm.store import models as m

MAX_COUNT = int(rules.input_limits()["count_max"])  # above any count TikTok reports
MAX_QUERY_CHARS = int(rules.input_limits()["search_max_chars"])
SORTS = {
    "followers": "followers",
    "avg_views": "avg_views",
    "median_views": "median_views",
    "engagement_rate": "er",
    "price": "price",
}
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
ACCOUNT_KIND_LABELS: dict[str, str] = rules.display()["labels"]["account_kind"]
ELIGIBILITY_LABELS = {
    ALREADY_TTCM: "on TTCM",
    ELIGIBLE: "eligible",
    NOT_ELIGIBLE: "not eligible",
    UNKNOWN: "unknown",
}


class FilterError(InputError):
    """Filter values that cannot be used: `problems` maps each bad URL key to why."""

    def __init__(self, message: str, problems: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems: dict[str, str] = dict(problems or {})


# the URL key of each filter field, and what the page calls it
URL_KEYS = {
    "countries": "country",
    "states": "state",
    "min_followers": "fmin",
    "max_followers": "fmax",
    "min_avg_views": "avmin",
    "max_avg_views": "avmax",
    "min_median_views": "mvmin",
    "max_median_views": "mvmax",
    "min_er": "ermin",
    "max_er": "ermax",
    "min_price": "pmin",
    "max_price": "pmax",
    "currency": "cur",
    "languages": "lang",
    "labels": "label",
    "audience_countries": "aud",
    "gender_skew": "gender",
    "age_band": "age",
    "tcm": "tcm",
    "authenticated": "auth",
    "eligible": "elig",
    "query": "q",
    "sort": "sort",
    "descending": "asc",
}
URL_LABELS = {
    "country": "Creator country",
    "state": "State / province",
    "fmin": "Followers from",
    "fmax": "Followers to",
    "avmin": "Avg views from",
    "avmax": "Avg views to",
    "mvmin": "Median views from",
    "mvmax": "Median views to",
    "ermin": "Engagement % from",
    "ermax": "Engagement % to",
    "pmin": "Price from",
    "pmax": "Price to",
    "cur": "Price currency",
    "lang": "Languages",
    "label": "Content and industry labels",
    "aud": "Audience country",
    "gender": "Audience gender",
    "age": "Main audience age",
    "tcm": "On TikTok Creator Marketplace",
    "auth": "Authenticated",
    "elig": "TTCM eligibility",
    "q": "Search text",
    "sort": "Sort by",
    "asc": "Largest first",
    "page": "Page",
}
# control characters (NUL, escapes) are never part of a search a person typed
_CONTROL = frozenset(chr(i) for i in range(32)) | {chr(127)}


# (field, URL key, kind) — one table drives validation, URL encoding and the CLI
_RANGES = (
    ("followers", "fmin", "fmax", "followers"),
    ("avg_views", "avmin", "avmax", "average views"),
    ("median_views", "mvmin", "mvmax", "median views"),
    ("er", "ermin", "ermax", "engagement rate"),
    ("price", "pmin", "pmax", "price (team currency)"),
)


@dataclass(frozen=True)
class CreatorFilter:
    """Every discovery filter TikTok One offers, plus account kind, eligibility and text."""

    countries: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    min_followers: int | None = None
    max_followers: int | None = None
    min_avg_views: int | None = None
    max_avg_views: int | None = None
    min_median_views: int | None = None
    max_median_views: int | None = None
    min_er: float | None = None
    max_er: float | None = None
    min_price: float | None = None
    max_price: float | None = None
    currency: str | None = None
    languages: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    audience_countries: tuple[str, ...] = ()
    gender_skew: str | None = None
    age_band: str | None = None
    tcm: bool | None = None
    authenticated: bool | None = None
    eligible: bool | None = None
    query: str | None = None
    sort: str = "followers"
    descending: bool = True
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        problems = dict(self._problems())
        if problems:
            first = next(iter(problems.values()))
            raise FilterError(first, {URL_KEYS.get(k, k): v for k, v in problems.items()})

    def _problems(self) -> Iterator[tuple[str, str]]:
        """(field, message) for every value that cannot be used."""
        known = set(rules.countries()) | set(rules.load("countries")["unsupported_examples"])
        for code in self.countries:
            if code not in known:
                yield "countries", f"country: unknown country code {code!r}"
                break
        for code in self.audience_countries:
            if code not in rules.countries():
                yield (
                    "audience_countries",
                    f"audience country: {code!r} is not one of the 24 TTCM countries "
                    f"({', '.join(sorted(rules.countries()))})",
                )
                break
        for attr, _, _, label in _RANGES:
            lo, hi = self._bounds(attr)
            name = {"er": "er", "price": "price"}.get(attr, attr)
            for bound, value in (("min", lo), ("max", hi)):
                where = f"{bound}_{name}"
                if value is None:
                    continue
                if not isinstance(value, int | float) or value != value or value < 0:
                    yield where, f"{label}: expected a number ≥ 0, got {value!r}"
                elif attr == "er" and value > 1:
                    yield where, f"{label}: a rate is between 0 and 1 (0 % … 100 %)"
                elif value > MAX_COUNT:
                    yield where, f"{label}: {value!r} is larger than any TikTok figure"
            if lo is not None and hi is not None and lo > hi:
                yield f"min_{name}", f"{label}: the minimum is above the maximum"
        if self.currency is not None and self.currency not in _currencies():
            yield (
                "currency",
                f"price currency: {self.currency!r} is not a TTCM currency "
                f"({', '.join(_currencies())})",
            )
        if self.languages:
            unknown = [x for x in self.languages if x not in rules.vocab()["languages"]]
            if unknown:
                yield (
                    "languages",
                    f"language: unknown code {unknown[0]!r} "
                    f"(one of {', '.join(rules.vocab()['languages'])})",
                )
        if self.gender_skew is not None and self.gender_skew not in rules.vocab()["gender_ratios"]:
            yield (
                "gender_skew",
                f"audience gender: choose one of {', '.join(rules.vocab()['gender_ratios'])}",
            )
        if self.age_band is not None and self.age_band not in rules.vocab()["age_bands"]:
            yield (
                "age_band",
                f"audience age: choose one of {', '.join(rules.vocab()['age_bands'])}",
            )
        if self.sort not in SORTS:
            yield "sort", f"sort: choose one of {', '.join(SORTS)}"
        if self.query is not None:
            if len(self.query) > MAX_QUERY_CHARS:
                yield "query", f"search text: at most {MAX_QUERY_CHARS} characters"
            elif _CONTROL.intersection(self.query):
                yield (
                    "query",
                    "search text: holds a control character (such as NUL); "
                    "type letters, digits and punctuation only",
                )
        try:
            object.__setattr__(self, "labels", tuple(label_id(x) for x in self.labels))
        except FilterError as exc:
            yield "labels", str(exc)

    def _bounds(self, attr: str) -> tuple[Any, Any]:
        name = {"er": "er", "price": "price"}.get(attr, attr)
        return getattr(self, f"min_{name}"), getattr(self, f"max_{name}")

    # ------------------------------------------------------------ URL round trip

    def to_query(self) -> dict[str, str]:
        """The filter as URL query parameters (defaults omitted)."""
        q: dict[str, str] = {}

        def put(key: str, value: Any) -> None:
            if value in (None, (), "", []):
                return
            if isinstance(value, tuple):
                q[key] = ",".join(value)
            elif isinstance(value, bool):
                q[key] = "1" if value else "0"
            elif isinstance(value, float):
                q[key] = repr(value)
            else:
                q[key] = str(value)

        put("country", self.countries)
        put("state", self.states)
        for attr, lo_key, hi_key, _ in _RANGES:
            lo, hi = self._bounds(attr)
            put(lo_key, lo)
            put(hi_key, hi)
        put("cur", self.currency)
        put("lang", self.languages)
        put("label", self.labels)
        put("aud", self.audience_countries)
        put("gender", self.gender_skew)
        put("age", self.age_band)
        put("tcm", self.tcm)
        put("auth", self.authenticated)
        put("elig", self.eligible)
        put("q", (self.query or "").strip() or None)
        if self.sort != "followers":
            q["sort"] = self.sort
        if not self.descending:
            q["asc"] = "1"
        return q

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> CreatorFilter:
        """Parse URL query parameters; raises FilterError naming every bad one."""
        problems: dict[str, str] = {}

        def raw(key: str) -> str | None:
            value = params.get(key)
            if isinstance(value, list | tuple):
                value = value[-1] if value else None
            return None if value is None or str(value).strip() == "" else str(value).strip()

        def items(key: str, upper: bool = False) -> tuple[str, ...]:
            value = raw(key)
            if value is None:
                return ()
            parts = [p.strip() for p in value.split(",") if p.strip()]
            return tuple(p.upper() if upper else p for p in parts)

        def number(key: str, kind: type) -> Any:
            value = raw(key)
            if value is None:
                return None
            try:
                number_value = float(value.replace("_", "").rstrip("%"))
            except ValueError:
                raise FilterError(f"{key}: expected a number, got {value[:20]!r}") from None
            if value.endswith("%"):
                number_value /= 100
            if kind is int:
                if number_value != number_value or abs(number_value) > MAX_COUNT:
                    raise FilterError(f"{key}: {value[:20]!r} is out of range")
                return int(number_value)
            return number_value

        def flag(key: str) -> bool | None:
            value = raw(key)
            if value is None:
                return None
            if value.lower() in ("1", "true", "yes"):
                return True
            if value.lower() in ("0", "false", "no"):
                return False
            raise FilterError(f"{key}: expected 1 or 0, got {value[:20]!r}")

        def parsed(key: str, read: Any, *args: Any) -> Any:
            try:
                return read(key, *args)
            except FilterError as exc:
                problems[key] = str(exc)
                return None

        kwargs: dict[str, Any] = {
            "countries": items("country", upper=True),
            "states": items("state"),
            "currency": (raw("cur") or "").upper() or None,
            "languages": items("lang"),
            "labels": items("label"),
            "audience_countries": items("aud", upper=True),
            "gender_skew": (raw("gender") or "").upper() or None,
            "age_band": raw("age"),
            "tcm": parsed("tcm", flag),
            "authenticated": parsed("auth", flag),
            "eligible": parsed("elig", flag),
            "query": raw("q"),
            "sort": raw("sort") or "followers",
            "descending": not parsed("asc", flag),
        }
        for attr, lo_key, hi_key, _ in _RANGES:
            kind = float if attr in ("er", "price") else int
            kwargs[f"min_{attr}"] = parsed(lo_key, number, kind)
            kwargs[f"max_{attr}"] = parsed(hi_key, number, kind)
        try:
            made = cls(**kwargs)
        except FilterError as exc:
            problems.update(exc.problems)
        if problems:
            raise FilterError(next(iter(problems.values())), problems)
        return made

    @classmethod
    def from_url(cls, store: Store, params: Mapping[str, Any]) -> CreatorFilter:
        """`from_query`, and states checked against the ones in the cache."""
        problems: dict[str, str] = {}
        try:
            made = cls.from_query(params)
        except FilterError as exc:
            problems.update(exc.problems)
            made = None
        value = params.get("state")
        wanted = [p.strip() for p in str(value or "").split(",") if p.strip()]
        unknown = [x for x in wanted if x not in states(store)]
        if unknown:
            problems["state"] = (
                f"state / province: no cached creator is in {unknown[0]!r}; pick one from the list"
            )
        if problems or made is None:
            raise FilterError(next(iter(problems.values())), problems)
        return made

    def cleared(self, name: str) -> CreatorFilter:
        """The same filter without one field (back to its default)."""
        default = {f.name: f.default for f in fields(self)}[name]
        return replace(self, **{name: default})

    def active(self) -> list[str]:
        """Names of the fields that differ from their default (sort excluded)."""
        out = []
        for f in fields(self):
            if f.name in ("sort", "descending", "extra"):
                continue
            if getattr(self, f.name) not in (f.default, None, ()):
                out.append(f.name)
        return out


def label_id(name_or_id: str) -> str:
    """A label id from an id or a (case-insensitive) label name."""
    vocab = rules.vocab()
    items = vocab["content_labels"] + vocab["industry_labels"]
    ids = {lab["label_id"] for lab in items}
    if name_or_id in ids:
        return name_or_id
    by_name = {lab["label_name"].lower(): lab["label_id"] for lab in items}
    found = by_name.get(name_or_id.strip().lower())
    if found is None:
        raise FilterError(f"label: unknown label {name_or_id!r}")
    return found


# ---------------------------------------------------------------- text search


def text_ids(store: Store, query: str) -> np.ndarray:
    """Sorted ids of creators whose handle, display name or bio contains `query` (any case)."""
    q = query.strip()
    if not q:
        return np.zeros(0, dtype=np.int64)
    with store.read() as conn:
        if store.is_sqlite and len(q) >= 3:
            phrase = '"' + q.replace('"', '""') + '"'  # user text is one phrase, never FTS syntax
            cursor = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                "SELECT rowid FROM creators_fts WHERE creators_fts MATCH ?", (phrase,)
            )
            ids = np.fromiter((r[0] for r in cursor), dtype=np.int64)
        else:
            c = m.Creator
            escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            blob = func.lower(
                func.coalesce(c.handle_name, "")
                + " "
                + func.coalesce(c.display_name, "")
                + " "
                + func.coalesce(c.bio, "")
            )
            rows = conn.execute(select(c.id).where(blob.like(f"%{escaped}%", escape="\\")))
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64)
    ids.sort()
    return ids


# ---------------------------------------------------------------- search


def to_query(store: Store, f: CreatorFilter, prices: Pricing | None = None) -> Query:
    """Translate the public filter into index terms (runs the text search)."""
    prices = prices or pricing(store)
    ranges = tuple(
        (attr, *f._bounds(attr))
        for attr, *_ in _RANGES
        if any(v is not None for v in f._bounds(attr))
    )
    female_min = male_min = None
    if f.gender_skew:
        gender, pct = f.gender_skew.split("_")
        share = int(pct) / 100
        female_min, male_min = (share, None) if gender == "FEMALE" else (None, share)
    eligibility: tuple[int, ...] = ()
    if f.eligible is True:
        eligibility = (ELIGIBLE,)
    elif f.eligible is False:
        eligibility = (NOT_ELIGIBLE,)
    return Query(
        countries=f.countries,
        states=f.states,
        ranges=ranges,
        currency=f.currency,
        languages=f.languages,
        labels=f.labels,
        audience_countries=f.audience_countries,
        female_min=female_min,
        male_min=male_min,
        age_band=f.age_band,
        tcm=f.tcm,
        authenticated=f.authenticated,
        eligibility=eligibility,
        text_ids=text_ids(store, f.query) if f.query and f.query.strip() else None,
        price_factors=tuple(sorted(prices.factors().items())),
        sort=SORTS[f.sort],
        descending=f.descending,
    )


@dataclass(frozen=True)
class SearchResult:
    """One page of matching creators, the total count, and the histograms of all matches."""

    rows: list[dict[str, Any]]
    total: int
    follower_hist: tuple[np.ndarray, np.ndarray] | None = None
    er_hist: tuple[np.ndarray, np.ndarray] | None = None
    columns: tuple[str, ...] = tuple(c for c, _ in COLUMNS)
    team_currency: str = ""


def headers(team_currency: str) -> tuple[tuple[str, str], ...]:
    """COLUMNS with the team currency named in the converted price's header."""
    return tuple(
        (key, f"Price in {team_currency}" if key == "team_price" else label)
        for key, label in COLUMNS
    )


def csv_columns(team_currency: str) -> tuple[tuple[str, str] | tuple[str, str, str], ...]:
    """The CSV's columns: percentages in the % column, people's names for account kinds."""
    kinds = {"engagement_rate": "percent", "account_kind": "label:account_kind"}
    return tuple(
        (key, header, kinds[key]) if key in kinds else (key, header)
        for key, header in headers(team_currency)
    )


def account_kind(is_tcm: bool | None, is_auth: bool | None) -> str:
    """The account-kind key of metric_availability.json."""
    return f"{'auth' if is_auth else 'nonauth'}_{'ttcm' if is_tcm else 'nonttcm'}"


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
) -> list[dict[str, Any]]:
    """Display rows for creator ids, in the order given (eligibility codes from the index)."""
    prices = prices or pricing(store)
    factors = prices.factors()
    if not ids:
        return []
    table = m.Creator.__table__
    cols = [table.c.id, *(table.c[name] for name in _DISPLAY)]
    with store.read() as conn:
        found = {r[0]: r for r in conn.execute(select(*cols).where(table.c.id.in_(ids)))}
    if eligibility is None:
        from ttcm.services.eligibility import check

        with store.read() as conn:
            full = {
                r.id: r._mapping for r in conn.execute(select(table).where(table.c.id.in_(ids)))
            }
        eligibility = [check(full[i]).code if i in full else UNKNOWN for i in ids]
    out = []
    for i, code in zip(ids, eligibility, strict=True):
        r = found.get(i)
        if r is None:
            continue
        row = dict(zip(_DISPLAY, r[1:], strict=True))
        row["id"] = i
        row["account_kind"] = account_kind(row.pop("is_tcm_creator"), row.pop("is_authenticated"))
        row["eligibility"] = ELIGIBILITY_LABELS[code]
        price, factor = row["creator_price"], factors.get(row["currency"] or "")
        row["team_price"] = None if price is None or factor is None else round(price * factor, 2)
        row["team_currency"] = prices.currency
        out.append(row)
    return out


def search(
    store: Store,
    f: CreatorFilter,
    *,
    limit: int = 50,
    offset: int = 0,
    histograms: bool = False,
) -> SearchResult:
    """Creators matching `f`: one sorted page, the total, optionally the histograms."""
    index = creator_index.current(store)
    prices = pricing(store)
    q = to_query(store, f, prices)
    mask = index.mask(q)
    total = int(mask.sum())
    positions = index.page(q, mask, limit=max(0, limit), offset=max(0, offset))
    codes = [int(x) for x in np.asarray(index.cols["eligibility"])[positions]]
    return SearchResult(
        rows=fetch_rows(store, index.ids(positions), codes, prices),
        total=total,
        follower_hist=index.histogram(mask, "followers") if histograms else None,
        er_hist=index.histogram(mask, "er") if histograms else None,
        team_currency=prices.currency,
    )


FILTER_LABELS = {
    "countries": "creator country",
    "states": "state / province",
    "min_followers": "minimum followers",
    "max_followers": "maximum followers",
    "min_avg_views": "minimum average views",
    "max_avg_views": "maximum average views",
    "min_median_views": "minimum median views",
    "max_median_views": "maximum median views",
    "min_er": "minimum engagement rate",
    "max_er": "maximum engagement rate",
    "min_price": "minimum price (team currency)",
    "max_price": "maximum price (team currency)",
    "currency": "price currency",
    "languages": "language",
    "labels": "labels",
    "audience_countries": "audience country",
    "gender_skew": "audience gender",
    "age_band": "audience age",
    "tcm": "marketplace",
    "authenticated": "authenticated",
    "eligible": "TTCM eligibility",
    "query": "search text",
}


def suggest_relaxation(store: Store, f: CreatorFilter) -> tuple[str, str, int] | None:
    """For a filter matching nothing: the one field whose removal finds the most creators."""
    best: tuple[str, str, int] | None = None
    for name in f.active():
        total = search(store, f.cleared(name), limit=0).total
        if total and (best is None or total > best[2]):
            best = (name, FILTER_LABELS.get(name, name), total)
    return best


def label_options(store: Store) -> list[tuple[str, str, str]]:
    """(label_id, name, type) of the cached search vocabulary (shipped vocabulary if empty)."""
    with store.read() as conn:
        rows = conn.execute(
            select(m.Label.label_id, m.Label.label_name, m.Label.label_type).order_by(
                m.Label.label_type, m.Label.label_name
            )
        ).all()
    if rows:
        return [(r[0], r[1], r[2]) for r in rows]
    vocab = rules.vocab()
    return [(x["label_id"], x["label_name"], "content") for x in vocab["content_labels"]] + [
        (x["label_id"], x["label_name"], "industry") for x in vocab["industry_labels"]
    ]


def _currencies() -> list[str]:
    return sorted({v["currency"] for v in rules.countries().values()})


def states(store: Store) -> list[str]:
    """States and provinces present in the cache."""
    with store.read() as conn:
        return [
            s
            for s in conn.execute(
                select(m.Creator.state_province)
                .where(m.Creator.state_province.is_not(None))
                .distinct()
                .order_by(m.Creator.state_province)
            ).scalars()
        ]
