"""The Discovery filter: one field table drives validation, the URL, the page's widgets and the CLI.

A new filter is one row of `FIELDS` (plus its attribute on `CreatorFilter` and, for a new kind
of comparison, its term in `search.to_query`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields, replace

from ttcm import rules
from ttcm.errors import InputError

MAX_COUNT = int(rules.input_limits()["count_max"])  # above any count TikTok reports
MAX_QUERY_CHARS = int(rules.input_limits()["search_max_chars"])
SORTS = {
    "followers": "followers",
    "avg_views": "avg_views",
    "median_views": "median_views",
    "engagement_rate": "er",
    "price": "price",
}
# control characters (NUL, escapes) are never part of a search a person typed
_CONTROL = frozenset(chr(i) for i in range(32)) | {chr(127)}
_TRUE, _FALSE = ("1", "true", "yes", "y"), ("0", "false", "no", "n")


@dataclass(frozen=True)
class Field:
    """One filter: its attribute, its names in each place it appears, and how it is read."""

    name: str  # CreatorFilter attribute
    label: str  # in messages and hints ("Clear the minimum followers filter")
    kind: str  # codes | items | count | rate | money | code | choice | flag | text | sort | asc
    url: str  # URL query key
    cli: str  # command-line flag
    widget: str  # the page's field label
    unit: str = ""  # "%" (a rate shown as a percentage) or "team" (the team's currency)
    limit: str | None = None  # key of rules.input_limits() holding the largest value
    help: str = ""


FIELDS: tuple[Field, ...] = (
    Field("query", "search text", "text", "q", "--query", "Search handle, name or bio",
          limit="search_max_chars", help="text in handle, display name or bio"),
    Field("countries", "creator country", "codes", "country", "--country", "Creator country",
          help="creator countries, e.g. US,GB"),
    Field("states", "state / province", "items", "state", "--state", "State / province",
          help="states or provinces, where known"),
    Field("min_followers", "minimum followers", "count", "fmin", "--min-followers",
          "Followers from", limit="count_max"),
    Field("max_followers", "maximum followers", "count", "fmax", "--max-followers",
          "Followers to", limit="count_max"),
    Field("min_avg_views", "minimum average views", "count", "avmin", "--min-avg-views",
          "Avg views from", limit="count_max"),
    Field("max_avg_views", "maximum average views", "count", "avmax", "--max-avg-views",
          "Avg views to", limit="count_max"),
    Field("min_median_views", "minimum median views", "count", "mvmin", "--min-median-views",
          "Median views from", limit="count_max"),
    Field("max_median_views", "maximum median views", "count", "mvmax", "--max-median-views",
          "Median views to", limit="count_max"),
    Field("min_er", "minimum engagement rate", "rate", "ermin", "--min-er", "Engagement % from",
          unit="%", limit="engagement_percent_max", help="engagement rate, 0.05 or 5%"),
    Field("max_er", "maximum engagement rate", "rate", "ermax", "--max-er", "Engagement % to",
          unit="%", limit="engagement_percent_max", help="engagement rate, 0.05 or 5%"),
    Field("min_price", "minimum price (team currency)", "money", "pmin", "--min-price",
          "Price from", unit="team", limit="count_max",
          help="each creator's price converted to the team currency at today's rates"),
    Field("max_price", "maximum price (team currency)", "money", "pmax", "--max-price",
          "Price to", unit="team", limit="count_max",
          help="each creator's price converted to the team currency at today's rates"),
    Field("currency", "price currency", "code", "cur", "--currency", "Creator's price currency",
          help="price currency, e.g. USD"),
    Field("languages", "language", "items", "lang", "--language", "Languages", help="e.g. en,es"),
    Field("labels", "labels", "items", "label", "--label", "Content and industry labels",
          help="label ids or names (repeatable)"),
    Field("audience_countries", "audience country", "codes", "aud", "--audience-country",
          "Audience country (largest share)"),
    Field("gender_skew", "audience gender", "code", "gender", "--gender-skew", "Audience gender",
          help="FEMALE_50 … MALE_70"),
    Field("age_band", "audience age", "choice", "age", "--age", "Main audience age",
          help="main audience age band, e.g. 18-24"),
    Field("tcm", "marketplace", "flag", "tcm", "--tcm", "On TikTok Creator Marketplace",
          help="on the marketplace: yes or no"),
    Field("authenticated", "authenticated", "flag", "auth", "--authenticated", "Authenticated",
          help="authenticated: yes or no"),
    Field("eligible", "TTCM eligibility", "flag", "elig", "--eligible",
          "TTCM eligibility (creators not on TTCM)",
          help="TTCM-eligible (non-TTCM creators): yes or no"),
    Field("sort", "sort", "sort", "sort", "--sort", "Sort by"),
    Field("descending", "order", "asc", "asc", "--asc", "Largest first",
          help="ascending (default descending)"),
)  # fmt: skip
BY_NAME = {f.name: f for f in FIELDS}
# what a hint or a message calls a filter; sort and order are not filters
FILTER_LABELS = {f.name: f.label for f in FIELDS if f.kind not in ("sort", "asc")}
URL_LABELS = {f.url: f.widget for f in FIELDS} | {"page": "Page"}
# (index column, min field, max field) of every range
RANGES = (
    ("followers", "min_followers", "max_followers"),
    ("avg_views", "min_avg_views", "max_avg_views"),
    ("median_views", "min_median_views", "max_median_views"),
    ("er", "min_er", "max_er"),
    ("price", "min_price", "max_price"),
)


class FilterError(InputError):
    """Filter values that cannot be used: `problems` maps each bad URL key to why."""

    def __init__(self, message: str, problems: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems: dict[str, str] = dict(problems or {})


Value = str | int | float | bool | tuple[str, ...] | None


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

    def __post_init__(self) -> None:
        problems = dict(self._problems())
        if problems:
            first = next(iter(problems.values()))
            raise FilterError(first, {BY_NAME[k].url: v for k, v in problems.items()})

    def _problems(self) -> Iterator[tuple[str, str]]:
        """(field, message) for every value that cannot be used."""
        for f in FIELDS:
            message = _problem(f, getattr(self, f.name))
            if message:
                yield f.name, f"{f.label}: {message}"
        for _, lo_name, hi_name in RANGES:
            lo, hi = getattr(self, lo_name), getattr(self, hi_name)
            if _is_number(lo) and _is_number(hi) and lo > hi:
                yield lo_name, f"{BY_NAME[lo_name].label}: the minimum is above the maximum"
        try:
            object.__setattr__(self, "labels", tuple(label_id(x) for x in self.labels))
        except FilterError as exc:
            yield "labels", str(exc)

    def bounds(self, column: str) -> tuple[float | None, float | None]:
        """(min, max) of the range over an index column ("followers", "er", "price", …)."""
        _, lo, hi = next(r for r in RANGES if r[0] == column)
        return getattr(self, lo), getattr(self, hi)

    def to_query(self) -> dict[str, str]:
        """The filter as URL query parameters (defaults omitted)."""
        q: dict[str, str] = {}
        for f in FIELDS:
            value = getattr(self, f.name)
            if f.kind == "text":
                value = (value or "").strip() or None
            if f.kind == "sort":
                value = None if value == "followers" else value
            if f.kind == "asc":
                value = None if value else True
            if value is None or value == () or value == "":
                continue
            if isinstance(value, tuple):
                q[f.url] = ",".join(value)
            elif isinstance(value, bool):
                q[f.url] = "1" if value else "0"
            elif isinstance(value, float):
                q[f.url] = repr(value)
            else:
                q[f.url] = str(value)
        return q

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> CreatorFilter:
        """Parse URL query parameters; raises FilterError naming every bad one."""
        problems: dict[str, str] = {}
        kwargs: dict[str, Value] = {}
        for f in FIELDS:
            value = params.get(f.url)
            if isinstance(value, list | tuple):
                value = value[-1] if value else None
            text = None if value is None or str(value).strip() == "" else str(value).strip()
            try:
                kwargs[f.name] = _parse(f, text)
            except FilterError as exc:
                problems[f.url] = f"{f.label}: {exc}"
        try:  # the values that parsed may still be wrong: name those too
            made = cls(**{k: v for k, v in kwargs.items() if BY_NAME[k].url not in problems})  # type: ignore[arg-type]
        except FilterError as exc:
            problems.update(exc.problems)
        if problems:
            raise FilterError(next(iter(problems.values())), problems)
        return made

    def cleared(self, name: str) -> CreatorFilter:
        """The same filter without one field (back to its default)."""
        default = {f.name: f.default for f in fields(self)}[name]
        return replace(self, **{name: default})  # type: ignore[arg-type]

    def active(self) -> list[str]:
        """Names of the fields that differ from their default (sort excluded)."""
        return [
            f.name
            for f in fields(self)
            if f.name in FILTER_LABELS and getattr(self, f.name) not in (f.default, None, ())
        ]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _items(value: object) -> tuple[str, ...]:
    return tuple(str(x) for x in value) if isinstance(value, tuple | list) else (str(value),)


def _problem(f: Field, value: object) -> str | None:
    """Why `value` cannot be field `f`, or None."""
    if value is None or value == ():
        return None
    vocab = rules.vocab()
    if f.kind in ("count", "rate", "money"):
        if not _is_number(value) or value < 0:  # type: ignore[operator]
            return f"expected a number ≥ 0, got {value!r}"
        if f.kind == "count" and not float(value).is_integer():  # type: ignore[arg-type]
            return f"expected a whole number, got {value!r}"
        if f.kind == "rate" and value > 1:  # type: ignore[operator]
            return "a rate is between 0 and 1 (0 % … 100 %)"
        if value > MAX_COUNT:  # type: ignore[operator]
            return f"{value!r} is larger than any TikTok figure"
        return None
    if f.name == "countries":
        known = set(rules.countries()) | set(rules.load("countries")["unsupported_examples"])
        bad = [c for c in _items(value) if c not in known]
        return f"unknown country code {bad[0]!r}" if bad else None
    if f.name == "audience_countries":
        bad = [c for c in _items(value) if c not in rules.countries()]
        listed = ", ".join(sorted(rules.countries()))
        return f"{bad[0]!r} is not one of the 24 TTCM countries ({listed})" if bad else None
    if f.name == "languages":
        bad = [x for x in _items(value) if x not in vocab["languages"]]
        listed = ", ".join(vocab["languages"])
        return f"unknown code {bad[0]!r} (one of {listed})" if bad else None
    choices = {
        "currency": currencies(),
        "gender_skew": list(vocab["gender_ratios"]),
        "age_band": list(vocab["age_bands"]),
        "sort": list(SORTS),
    }.get(f.name)
    if choices is not None and value not in choices:
        shown = repr(str(value)[:20])
        if f.name == "currency":
            return f"unknown currency: {shown} is not a TTCM currency ({', '.join(choices)})"
        return f"{shown} is not one of the choices; choose one of {', '.join(choices)}"
    if f.kind == "text" and isinstance(value, str):
        if len(value) > MAX_QUERY_CHARS:
            return f"at most {MAX_QUERY_CHARS} characters"
        if _CONTROL.intersection(value):
            return (
                "holds a control character (such as NUL); type letters, digits and punctuation only"
            )
    return None


def _parse(f: Field, text: str | None) -> Value:
    """A URL (or CLI) value in the field's type; raises FilterError when it cannot be read."""
    if f.kind == "sort":
        return text or "followers"
    if f.kind == "asc":
        return not _flag(text)
    if text is None:
        return () if f.kind in ("codes", "items") else None
    if f.kind in ("codes", "items"):
        parts = [p.strip() for p in text.split(",") if p.strip()]
        return tuple(p.upper() if f.kind == "codes" else p for p in parts)
    if f.kind == "code":
        return text.upper()
    if f.kind == "flag":
        return _flag(text)
    if f.kind in ("count", "rate", "money"):
        try:
            number = float(text.replace("_", "").rstrip("%"))
        except ValueError:
            raise FilterError(f"expected a number, got {text[:20]!r}") from None
        if text.endswith("%"):
            number /= 100
        if number != number or abs(number) > MAX_COUNT:
            raise FilterError(f"{text[:20]!r} is out of range")
        if f.kind == "count":
            if not number.is_integer():
                raise FilterError(f"expected a whole number, got {text[:20]!r}")
            return int(number)
        return number
    return text


def _flag(text: str | None) -> bool | None:
    if text is None:
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise FilterError(f"expected 1 or 0 (yes or no), got {text[:20]!r}")


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


def currencies() -> list[str]:
    """The currencies TTCM prices are given in."""
    return sorted({v["currency"] for v in rules.countries().values()})


# ---------------------------------------------------------------- the command line


def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """One flag per filter field, read and checked as the URL's value (argparse names a bad one)."""
    for f in FIELDS:
        help_text = (f.help or f.widget).replace("%", "%%")
        if f.kind == "asc":
            parser.add_argument(f.cli, dest=f.name, action="store_true", help=help_text)
        elif f.kind == "sort":
            parser.add_argument(f.cli, dest=f.name, default="followers", choices=list(SORTS))
        else:
            parser.add_argument(
                f.cli,
                dest=f.name,
                type=_cli_reader(f),
                action="append" if f.kind in ("codes", "items") else "store",
                help=help_text,
            )


def _cli_reader(f: Field) -> Callable[[str], Value]:
    def read(text: str) -> Value:
        text = text.strip()
        try:
            if not text and f.kind not in ("code", "choice"):  # "" is not a code either
                raise FilterError("expected a value, got nothing")
            value = _parse(f, text) if text else text
            problem = _problem(f, value)
        except FilterError as exc:
            problem = str(exc)
        if problem:
            raise argparse.ArgumentTypeError(f"{f.label}: {problem}")
        return value

    return read


def from_cli_args(ns: argparse.Namespace) -> CreatorFilter:
    """The filter the flags of `add_cli_arguments` describe; FilterError across fields."""
    kwargs: dict[str, Value] = {}
    for f in FIELDS:
        value = getattr(ns, f.name, None)
        if f.kind == "asc":
            kwargs[f.name] = not value
        elif isinstance(value, list):  # a repeated flag, each a comma-separated list
            kwargs[f.name] = tuple(item for part in value for item in part)
        elif value is not None:
            kwargs[f.name] = value
    return CreatorFilter(**kwargs)  # type: ignore[arg-type]
