"""Campaign performance maths: totals, KPI progress, pacing, cost per result, benchmarks, audience.

Pure functions over plain data (`CampaignData`, DataFrames); no store, no Streamlit. A number
that cannot be known is a `Value` whose `value` is None and whose `reason` says why — never 0.

Definitions used throughout:
* engagements = likes + comments + shares (TikTok's `engagement_count`); engagement rate =
  engagements / views, summed over the posts where both are known (views-weighted, not a mean
  of per-post rates);
* reach is the sum of per-post reach (an account reached by two posts counts twice);
* a creator's "usual" performance is their cached median views and engagement rate (TikTok's
  figures over their latest videos).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ttcm.domain import format as numfmt
from ttcm.domain.exchange import MissingRate, RateTable

# audience dimensions of a post (keys of `posts.audience`) and their labels
AUDIENCE_DIMENSIONS = {
    "ages": "Age",
    "genders": "Gender",
    "countries": "Country",
    "locales": "Locale",
}
_DIM_ALIASES = {
    "age": "ages",
    "ages": "ages",
    "gender": "genders",
    "genders": "genders",
    "country": "countries",
    "countries": "countries",
    "locale": "locales",
    "locales": "locales",
}
POST_COLUMNS = (
    "video_id",
    "handle_name",
    "display_name",
    "tracking",
    "order_id",
    "create_time",
    "video_views",
    "video_views_organic",
    "video_views_paid",
    "reach",
    "likes",
    "comments",
    "shares",
    "favorites",
    "engagement_count",
    "engagement_rate",
    "video_completion_rate",
    "total_play_time",
    "average_view_time",
    "usual_views",
    "usual_engagement_rate",
)
DAILY_COLUMNS = ("day", "handle_name", "views", "likes", "comments", "shares")
OTHERS = "Other creators"
TOTAL = "Total"


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Value:
    """A number as shown: value and unit, or why there is none; `note` qualifies a known value."""

    value: float | None
    unit: str
    reason: str | None = None
    note: str | None = None

    @property
    def known(self) -> bool:
        """True when there is a number."""
        return self.value is not None

    def text(self, *, with_unit: bool = True) -> str:
        """The value formatted with its unit, or "—" when unknown."""
        return fmt(self.value, self.unit, with_unit=with_unit)


def missing(unit: str, reason: str) -> Value:
    """An unknown value with the reason."""
    return Value(None, unit, reason)


def fmt(value: float | None, unit: str, *, with_unit: bool = True) -> str:
    """Format a number for people: rates in %, money with 2 decimals, counts as whole numbers.

    `with_unit=False` drops a count's unit (views, accounts, …) for tight places such as metric
    tiles whose label already names it; %, seconds and currencies always keep theirs.
    """
    return numfmt.quantity(value, unit, with_unit=with_unit)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None:
        return None
    if _nan(numerator) or _nan(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _nan(x: Any) -> bool:
    return isinstance(x, float) and math.isnan(x)


def _known(series: pd.Series) -> pd.Series:
    return series[series.notna()]


# ---------------------------------------------------------------- the data a campaign has


@dataclass
class CampaignData:
    """Everything the overview is computed from, as loaded from the store.

    `posts`: one row per published post (columns `POST_COLUMNS`, metrics TikTok does not provide
    for the post's tracking already blank); `audience`: video_id -> {dimension: [[key, share]]};
    `daily`: views and engagements per day and creator (`DAILY_COLUMNS`); `orders`: one dict per
    order with `handle_name`, `status`, `video_number`, `creator_price`, `currency` and the
    agreed `agreed_fee` / `fee_currency` (None: the list price applies).
    """

    campaign: dict[str, Any]
    posts: pd.DataFrame
    daily: pd.DataFrame
    orders: list[dict[str, Any]] = field(default_factory=list)
    audience: dict[str, dict[str, Any]] = field(default_factory=dict)
    spark_codes: int = 0
    rates: RateTable | None = None  # converts fees into the campaign's currency

    @classmethod
    def empty(cls, campaign: dict[str, Any]) -> CampaignData:
        """A campaign with no posts, no stats and no orders."""
        return cls(campaign, empty_posts(), empty_daily())


def empty_posts() -> pd.DataFrame:
    """A posts frame with no rows."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in POST_COLUMNS})


def empty_daily() -> pd.DataFrame:
    """A daily frame with no rows."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in DAILY_COLUMNS})


# ---------------------------------------------------------------- totals


@dataclass(frozen=True)
class Totals:
    """Campaign totals over its published posts."""

    posts: int
    order_posts: int
    views: Value
    engagements: Value
    engagement_rate: Value
    reach: Value
    views_organic: Value
    views_paid: Value


def _sum(posts: pd.DataFrame, column: str, unit: str, label: str) -> Value:
    if posts.empty:
        return missing(unit, "No published posts yet.")
    known = _known(posts[column])
    if known.empty:
        return missing(unit, f"No post of this campaign reports {label}.")
    note = None
    if len(known) < len(posts):
        note = f"{len(posts) - len(known)} of {len(posts)} posts carry no {label}"
    return Value(float(known.sum()), unit, note=note)


def totals(posts: pd.DataFrame) -> Totals:
    """Views, engagements, engagement rate, reach and the organic/paid split of the posts."""
    n = len(posts)
    order_posts = int((posts["tracking"] == "order").sum()) if n else 0
    views = _sum(posts, "video_views", "views", "views")
    engagements = _sum(posts, "engagement_count", "engagements", "engagement data")
    if posts.empty:
        rate = missing("%", "No published posts yet.")
    else:
        both = posts[posts["engagement_count"].notna() & posts["video_views"].notna()]
        value = ratio(both["engagement_count"].sum(), both["video_views"].sum())
        if both.empty:
            rate = missing("%", "No post of this campaign reports engagement data.")
        elif value is None:
            rate = missing("%", "The posts with engagement data have no views yet.")
        else:
            note = (
                f"over the {len(both)} of {n} posts that report engagements"
                if len(both) < n
                else None
            )
            rate = Value(value, "%", note=note)
    return Totals(
        posts=n,
        order_posts=order_posts,
        views=views,
        engagements=engagements,
        engagement_rate=rate,
        reach=_sum(posts, "reach", "accounts", "reach"),
        views_organic=_sum(posts, "video_views_organic", "views", "organic views"),
        views_paid=_sum(posts, "video_views_paid", "views", "paid views"),
    )


# ---------------------------------------------------------------- KPI progress


@dataclass(frozen=True)
class Kpi:
    """One goal of the campaign plan: actual against target."""

    key: str
    label: str
    actual: Value
    target: float | None
    progress: float | None  # actual / target (1.0 = reached)
    reason: str | None = None

    @property
    def target_text(self) -> str:
        """The target formatted in the actual's unit."""
        return fmt(self.target, self.actual.unit)


def _kpi(key: str, label: str, actual: Value, target: float | None, what: str) -> Kpi:
    if target is None:
        return Kpi(key, label, actual, None, None, f"No {what} target in the campaign plan.")
    if target == 0:
        return Kpi(key, label, actual, 0.0, None, f"The {what} target is 0.")
    if actual.value is None:
        return Kpi(key, label, actual, float(target), None, actual.reason)
    return Kpi(key, label, actual, float(target), actual.value / float(target))


def ordered_videos(orders: Iterable[Mapping[str, Any]]) -> int:
    """Videos ordered from creators who did not decline (the orders that stand)."""
    return sum(
        int(o.get("video_number") or 0) for o in orders if (o.get("status") or "") != "DECLINED"
    )


def declined_videos(orders: Iterable[Mapping[str, Any]]) -> int:
    """Videos of the orders the creators declined."""
    return sum(
        int(o.get("video_number") or 0) for o in orders if (o.get("status") or "") == "DECLINED"
    )


DELIVERED_LABEL = "Posts delivered vs ordered (declined orders not counted)"


def kpi_progress(data: CampaignData, t: Totals | None = None) -> list[Kpi]:
    """Views, engagement rate, reach, posts delivered vs ordered, and the optional targets."""
    t = t or totals(data.posts)
    c = data.campaign
    ordered = ordered_videos(data.orders)
    declined = declined_videos(data.orders)
    note = (
        f"{numfmt.count(ordered + declined)} ordered, {numfmt.count(declined)} declined: "
        f"over the {numfmt.count(ordered)} that stand"
        if declined
        else None
    )
    delivered = Value(float(t.order_posts), "posts", note=note)
    out = [
        _kpi("views", "Views", t.views, c.get("kpi_views"), "views"),
        _kpi(
            "engagement_rate",
            "Engagement rate",
            t.engagement_rate,
            c.get("kpi_engagement_rate"),
            "engagement rate",
        ),
        _kpi("reach", "Reach", t.reach, c.get("kpi_reach"), "reach"),
    ]
    if ordered:
        out.append(_kpi("delivered", DELIVERED_LABEL, delivered, ordered, "order"))
    else:
        why = (
            f"Every order was declined ({numfmt.plural(declined, 'video')})."
            if declined
            else "No orders yet."
        )
        out.append(Kpi("delivered", DELIVERED_LABEL, delivered, None, None, why))
    if c.get("kpi_posts") is not None:
        posts = Value(float(t.posts), "posts")
        out.append(_kpi("posts", "Published posts", posts, c.get("kpi_posts"), "posts"))
    if c.get("kpi_spark_codes") is not None:
        codes = Value(float(data.spark_codes), "codes")
        out.append(
            _kpi("spark", "Spark Ads codes", codes, c.get("kpi_spark_codes"), "Spark Ads codes")
        )
    return out


# ---------------------------------------------------------------- pacing


@dataclass(frozen=True)
class Pacing:
    """Cumulative views against the plan line, with a projection to the end date."""

    target: float | None
    start: date | None
    end: date | None
    as_of: date | None
    actual: list[tuple[date, float]]
    plan: list[tuple[date, float]]
    projection: list[tuple[date, float]]
    to_date: Value
    expected_to_date: Value
    projected_total: Value
    status: str | None = None
    reason: str | None = None


def daily_totals(daily: pd.DataFrame) -> pd.Series:
    """Views per day over all creators (days without a report are absent, not 0)."""
    if daily.empty:
        return pd.Series(dtype="float64")
    by_day = daily.groupby("day", sort=True)["views"].sum(min_count=1)
    return by_day[by_day.notna()].astype("float64")


def default_as_of(daily: pd.DataFrame, today: date) -> date:
    """The last day TikTok reported stats for (reports lag), else today."""
    days = daily_totals(daily)
    return max(days.index) if len(days) else today


def pacing(
    views_by_day: pd.Series,
    start: date | None,
    end: date | None,
    target: float | None,
    as_of: date,
) -> Pacing:
    """Cumulative views by day vs a straight plan line, and where the current pace ends up.

    Method: the plan is a straight line from 0 views at `start` to `target` at `end`. The actual
    line is the cumulative sum of reported daily views; views reported before `start` count on
    `start`. Pacing is measured up to `as_of` (clipped to the timeline). The projection takes the
    current daily average — cumulative views at `as_of` divided by the days elapsed since
    `start`, both days included — and extends it to `end`:
    projected total = average × (days from `start` to `end`, both included).
    """

    def unavailable(reason: str, plan: list[tuple[date, float]] | None = None) -> Pacing:
        none = missing("views", reason)
        return Pacing(target, start, end, None, [], plan or [], [], none, none, none, None, reason)

    if start is None or end is None:
        return unavailable("Set the campaign's start and end dates to see pacing.")
    if end < start:
        return unavailable(
            "The campaign ends before it starts; fix the dates in the campaign settings."
        )
    span = (end - start).days
    days = [start + timedelta(days=i) for i in range(span + 1)]
    plan: list[tuple[date, float]] = []
    if target is not None and target > 0:
        plan = [(d, target * ((d - start).days / span if span else 1.0)) for d in days]
    if as_of < start:
        return unavailable(f"The campaign starts on {start:%Y-%m-%d}; pacing begins then.", plan)
    as_of = min(as_of, end)
    series = views_by_day.dropna()
    if series.empty:
        return unavailable("No daily views reported yet.", plan)
    clipped = pd.Series(
        series.to_numpy(dtype="float64"), index=[max(d, start) for d in series.index]
    )
    per_day = clipped.groupby(level=0).sum()
    shown = [d for d in days if d <= as_of]
    cumulative = per_day.reindex(shown, fill_value=0.0).cumsum()
    actual = [(d, float(v)) for d, v in cumulative.items()]
    to_date = actual[-1][1]
    elapsed = (as_of - start).days + 1
    average = to_date / elapsed
    projected = average * (span + 1)
    projection = [(as_of, to_date), (end, projected)] if as_of < end else []
    expected = (
        Value(target * ((as_of - start).days / span if span else 1.0), "views")
        if target
        else missing("views", "No views target in the campaign plan.")
    )
    status = None
    reason = None
    if target:
        status = "on track" if projected >= target else "behind"
    else:
        reason = "No views target in the campaign plan: the projection has nothing to meet."
    return Pacing(
        target,
        start,
        end,
        as_of,
        actual,
        plan,
        projection,
        Value(to_date, "views"),
        expected,
        Value(projected, "views", note=f"{numfmt.count(average)} views a day, {elapsed} days in"),
        status,
        reason,
    )


# ---------------------------------------------------------------- costs


@dataclass(frozen=True)
class Costs:
    """What the campaign costs per result, on the creators' prices and on the budget."""

    currency: str | None
    creator_cost: Value
    budget: Value
    cpv: Value
    cpe: Value
    cpm: Value
    budget_cpv: Value
    budget_cpe: Value
    budget_cpm: Value
    spend_vs_budget: Value
    remaining_budget: Value


def order_fee(order: Mapping[str, Any]) -> tuple[float | None, str, bool]:
    """(amount, currency, agreed?) an order costs: the agreed fee, else the creator's list price."""
    if order.get("agreed_fee") is not None:
        return float(order["agreed_fee"]), (order.get("fee_currency") or "").upper(), True
    price = order.get("creator_price")
    return (None if price is None else float(price)), (order.get("currency") or "").upper(), False


def _names(handles: Sequence[str]) -> str:
    return ", ".join(f"@{h}" for h in handles[:3]) + (" …" if len(handles) > 3 else "")


def creator_cost(
    orders: Sequence[Mapping[str, Any]],
    currency: str | None,
    rates: RateTable | None = None,
    on: date | None = None,
) -> Value:
    """Sum of the fees (agreed, else list price) of the orders that were not declined.

    A fee in another currency is converted through the dated rates in force on `on`; a fee with
    no rate (or no currency) makes the total unknown and is named, never guessed or left out.
    """
    unit = currency or ""
    live = [o for o in orders if (o.get("status") or "") != "DECLINED"]
    if not currency:
        return missing(unit, "The campaign has no currency; set one in the campaign settings.")
    if not live:
        return missing(unit, "No orders yet (declined orders cost nothing).")
    fees = [(o["handle_name"], *order_fee(o)) for o in live]
    unknown = [h for h, amount, _, _ in fees if amount is None]
    if unknown:
        return missing(unit, f"No fee or list price is known for {_names(unknown)}.")
    target = currency.upper()
    no_currency = [h for h, _, cur, _ in fees if not cur]
    if no_currency:
        return missing(unit, f"The fee of {_names(no_currency)} has no currency.")
    total = 0.0
    converted: list[str] = []
    lacking: dict[str, list[str]] = {}
    for handle, amount, cur, _ in fees:
        if cur == target:
            total += float(amount or 0)
            continue
        if rates is None or on is None:
            lacking.setdefault(cur, []).append(handle)
            continue
        try:
            total += rates.convert(float(amount or 0), cur, target, on)
        except MissingRate:
            lacking.setdefault(cur, []).append(handle)
            continue
        if cur not in converted:
            converted.append(cur)
    if lacking:
        day = f" on {on:%Y-%m-%d}" if on else ""
        parts = "; ".join(f"{cur} (the fee of {_names(hs)})" for cur, hs in sorted(lacking.items()))
        return missing(
            unit,
            f"Missing exchange rate{day} to {target} for {parts}: the total is not shown "
            "(fees in different currencies are never added up unconverted).",
        )
    agreed = sum(1 for f in fees if f[3])
    notes = []
    if agreed:
        notes.append(f"{agreed} of {len(fees)} fees agreed, the others at list price")
    if converted:
        notes.append(f"{', '.join(converted)} converted at the rates of {on:%Y-%m-%d}")
    return Value(total, target, note="; ".join(notes) or None)


def _per(cost: Value, amount: Value, what: str, unit: str, scale: float = 1.0) -> Value:
    if cost.value is None:
        return missing(unit, cost.reason or "The cost is unknown.")
    if cost.value == 0:
        return missing(unit, "The cost is 0, so there is no cost per result to show.")
    if amount.value is None:
        return missing(unit, amount.reason or f"No {what} yet.")
    if amount.value == 0:
        return missing(unit, f"No {what} yet.")
    return Value(cost.value / amount.value * scale, unit, note=amount.note)


def costs(
    campaign: Mapping[str, Any],
    orders: Sequence[Mapping[str, Any]],
    t: Totals,
    rates: RateTable | None = None,
    on: date | None = None,
) -> Costs:
    """Cost per view, per engagement and per 1,000 views (CPM) on fees and on the budget."""
    currency = (campaign.get("currency") or "").upper() or None
    unit = currency or ""
    budget_raw = campaign.get("budget")
    if budget_raw is None:
        budget = missing(unit, "No budget in the campaign plan.")
    elif not currency:
        budget = missing(unit, "The budget has no currency.")
    else:
        budget = Value(float(budget_raw), currency)
    cost = creator_cost(orders, currency, rates, on)
    if not cost.known or not budget.known:
        why = cost.reason if not cost.known else budget.reason
        share = missing("%", why or "")
        remaining = missing(unit, why or "")
    else:
        spent, planned = float(cost.value or 0), float(budget.value or 0)
        share = (
            Value(spent / planned, "%")
            if planned
            else missing("%", "The budget is 0, so there is no share of it to show.")
        )
        over = spent > planned
        remaining = Value(planned - spent, unit, note="over budget" if over else None)
    return Costs(
        currency=currency,
        creator_cost=cost,
        budget=budget,
        cpv=_per(cost, t.views, "views", unit),
        cpe=_per(cost, t.engagements, "engagements", unit),
        cpm=_per(cost, t.views, "views", unit, 1000.0),
        budget_cpv=_per(budget, t.views, "views", unit),
        budget_cpe=_per(budget, t.engagements, "engagements", unit),
        budget_cpm=_per(budget, t.views, "views", unit, 1000.0),
        spend_vs_budget=share,
        remaining_budget=remaining,
    )


# ---------------------------------------------------------------- views over time


def top_creators(daily: pd.DataFrame, top: int) -> list[str]:
    """The `top` creators by reported views, largest first."""
    if daily.empty:
        return []
    named = daily[daily["handle_name"] != OTHERS]
    views = named.groupby("handle_name")["views"].sum(min_count=1).dropna()
    ranked = sorted(views.items(), key=lambda kv: (-kv[1], kv[0]))
    return [h for h, _ in ranked[:top]]


def over_time(
    daily: pd.DataFrame, metric: str = "views", *, cumulative: bool = False, top: int = 8
) -> pd.DataFrame:
    """A day-indexed frame: one column per top creator, `Other creators`, and `Total`.

    `metric` is "views" or "engagements" (likes + comments + shares). A day a creator did not
    report is blank in the daily view (and carries the previous total in the cumulative one).
    """
    if metric not in ("views", "engagements"):
        raise ValueError(f"metric must be 'views' or 'engagements', got {metric!r}")
    if daily.empty:
        return pd.DataFrame(index=pd.Index([], name="day"), columns=[TOTAL], dtype="float64")
    frame = daily.copy()
    if metric == "engagements":
        parts = frame[["likes", "comments", "shares"]].astype("float64")
        frame["engagements"] = parts.sum(axis=1, min_count=3)
    values = frame[metric].astype("float64")
    leaders = top_creators(daily, top)
    series_name = frame["handle_name"].where(frame["handle_name"].isin(leaders), OTHERS)
    wide = (
        pd.DataFrame({"day": frame["day"], "who": series_name, "v": values})
        .groupby(["day", "who"], sort=True)["v"]
        .sum(min_count=1)
        .unstack("who")
    )
    columns = [c for c in leaders if c in wide.columns]
    if OTHERS in wide.columns:
        columns.append(OTHERS)
    wide = wide[columns]
    wide[TOTAL] = wide.sum(axis=1, min_count=1)
    wide.index.name = "day"
    if cumulative:
        wide = wide.fillna(0.0).cumsum().where(wide.notna().cummax())
    return wide


def engagement_rate_by_day(daily: pd.DataFrame) -> pd.Series:
    """Engagements / views per day over all creators (blank on days without views)."""
    if daily.empty:
        return pd.Series(dtype="float64", name="engagement_rate")
    frame = daily[["day", "views", "likes", "comments", "shares"]].copy()
    frame["eng"] = frame[["likes", "comments", "shares"]].astype("float64").sum(axis=1, min_count=3)
    both = frame[frame["eng"].notna() & frame["views"].notna()]
    grouped = both.groupby("day", sort=True)[["eng", "views"]].sum()
    views = grouped["views"].astype("float64")
    rate = grouped["eng"].astype("float64") / views.where(views > 0)
    return rate.rename("engagement_rate")


# ---------------------------------------------------------------- benchmarks


def _safe_div(a: pd.Series, b: pd.Series | float) -> pd.Series:
    if isinstance(b, pd.Series):
        b = b.astype("float64").where(b.astype("float64") > 0)
    elif not b or (isinstance(b, float) and math.isnan(b)):
        return pd.Series(np.nan, index=a.index, dtype="float64")
    return a.astype("float64") / b


def post_benchmarks(posts: pd.DataFrame) -> pd.DataFrame:
    """Each post against the campaign median and against its creator's usual performance.

    Ratios: 1.0 = equal, 2.0 = twice as many; blank when either side is unknown or 0.
    """
    cols = [
        "video_id",
        "handle_name",
        "video_views",
        "engagement_rate",
        "views_vs_campaign",
        "views_vs_usual",
        "er_vs_campaign",
        "er_vs_usual",
    ]
    if posts.empty:
        return pd.DataFrame(columns=cols)
    views = posts["video_views"].astype("float64")
    rates = posts["engagement_rate"].astype("float64")
    out = posts[["video_id", "handle_name"]].copy()
    out["video_views"] = views
    out["engagement_rate"] = rates
    out["views_vs_campaign"] = _safe_div(views, float(views.median()))
    out["views_vs_usual"] = _safe_div(views, posts["usual_views"])
    out["er_vs_campaign"] = _safe_div(rates, float(rates.median()))
    out["er_vs_usual"] = _safe_div(rates, posts["usual_engagement_rate"])
    return out[cols]


def creator_benchmarks(posts: pd.DataFrame) -> pd.DataFrame:
    """Per creator: posts, views, and the median of their posts' benchmark ratios."""
    cols = [
        "handle_name",
        "posts",
        "video_views",
        "views_vs_campaign",
        "views_vs_usual",
        "er_vs_campaign",
        "er_vs_usual",
    ]
    bench = post_benchmarks(posts)
    if bench.empty:
        return pd.DataFrame(columns=cols)
    grouped = bench.groupby("handle_name", sort=False)
    out = pd.DataFrame(
        {
            "posts": grouped["video_id"].count(),
            "video_views": grouped["video_views"].sum(min_count=1),
            "views_vs_campaign": grouped["views_vs_campaign"].median(),
            "views_vs_usual": grouped["views_vs_usual"].median(),
            "er_vs_campaign": grouped["er_vs_campaign"].median(),
            "er_vs_usual": grouped["er_vs_usual"].median(),
        }
    ).reset_index()
    return out.sort_values("video_views", ascending=False, kind="stable", na_position="last")[cols]


# ---------------------------------------------------------------- audience


def campaign_audiences(
    posts: pd.DataFrame, audience: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, float]]:
    """The campaign's audience in every dimension: each post's shares weighted by its views.

    Posts without audience data or without views do not count; in each dimension the shares sum
    to 1 over the posts that report it (a dimension nobody reports is absent).
    """
    if posts.empty or not audience:
        return {}
    weights = dict(zip(posts["video_id"], posts["video_views"], strict=True))
    acc: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    for vid, dims in audience.items():
        w = weights.get(vid)
        if not dims or w is None or _nan(w) or w <= 0:
            continue
        for dim, shares in dims.items():
            pairs = _pairs(shares)
            if not pairs:
                continue
            totals[dim] = totals.get(dim, 0.0) + float(w)
            bucket = acc.setdefault(dim, {})
            for key, share in pairs:
                bucket[key] = bucket.get(key, 0.0) + float(w) * share
    return {
        dim: dict(sorted(((k, v / totals[dim]) for k, v in bucket.items()), key=lambda kv: -kv[1]))
        for dim, bucket in acc.items()
    }


def campaign_audience(
    posts: pd.DataFrame, audience: Mapping[str, Mapping[str, Any]], dimension: str
) -> dict[str, float]:
    """The campaign's audience shares in one dimension (see `campaign_audiences`)."""
    return campaign_audiences(posts, audience).get(dimension, {})


def _pairs(raw: Any) -> list[tuple[str, float]]:
    """[[key, share]] or {key: share} -> [(key, share)], dropping what is not a share."""
    items = raw.items() if isinstance(raw, Mapping) else raw
    out = []
    for item in items or ():
        try:
            key, share = item
            share = float(share)
        except (TypeError, ValueError):
            continue
        if key is None or math.isnan(share) or share < 0:
            continue
        out.append((str(key), share))
    return out


def parse_target(raw: Any) -> tuple[dict[str, dict[str, float]], list[str]]:
    """The campaign's `target_audience` as {dimension: {key: share}}, and what was unusable.

    Shape: {"ages": {"18-24": 0.5, "25-34": 0.3}, "genders": {"FEMALE": 0.7},
    "countries": {"US": 0.6}, "locales": {...}}; a dimension may also be a list of
    [key, share] pairs, or a list of keys (an equal split). Shares are fractions (0.6 = 60 %);
    singular dimension names (age, gender, country, locale) are accepted.
    """
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, ["the target audience is not a mapping of dimensions"]
    out: dict[str, dict[str, float]] = {}
    problems: list[str] = []
    for name, value in raw.items():
        dim = _DIM_ALIASES.get(str(name).strip().lower())
        if dim is None:
            shown = str(name)[:30]
            problems.append(f"unknown dimension {shown!r} (use ages, genders, countries, locales)")
            continue
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = {v: 1.0 / len(value) for v in value}
        pairs = _pairs(value)
        bad = [p for p in pairs if p[1] > 1]
        if bad:
            problems.append(f"{dim}: shares are fractions between 0 and 1 ({bad[0][0]!r})")
            pairs = [p for p in pairs if p[1] <= 1]
        if pairs:
            out[dim] = {k: s for k, s in pairs}
        elif value:
            problems.append(f"{dim}: no usable [key, share] entries")
    return out, problems


# ---------------------------------------------------------------- the overview


@dataclass
class Overview:
    """The campaign overview: totals, KPIs, pacing and costs as of one day."""

    campaign: dict[str, Any]
    as_of: date
    totals: Totals
    kpis: list[Kpi]
    pacing: Pacing
    costs: Costs
    ordered_videos: int
    declined_videos: int = 0
    views_not_daily: Value | None = None  # in the totals, not (yet) in pacing's daily stats


def views_not_daily(t: Totals, p: Pacing) -> Value | None:
    """Views the totals count that pacing's daily stats do not cover (None when they agree).

    The totals are TikTok's lifetime counters; pacing adds up the daily stats, which TikTok
    reports a few days late. Both cover the same posts, so any difference is that lag.
    """
    if not t.views.known or not p.to_date.known or p.as_of is None:
        return None
    gap = float(t.views.value or 0) - float(p.to_date.value or 0)
    if gap < 0.5:
        return None
    return Value(
        gap,
        "views",
        note=f"in the totals, not yet in TikTok's daily stats (through {p.as_of:%Y-%m-%d})",
    )


def overview(data: CampaignData, as_of: date) -> Overview:
    """Compute the overview of a campaign's data as of a day."""
    t = totals(data.posts)
    c = data.campaign
    p = pacing(
        daily_totals(data.daily), c.get("start_date"), c.get("end_date"), c.get("kpi_views"), as_of
    )
    return Overview(
        campaign=c,
        as_of=as_of,
        totals=t,
        kpis=kpi_progress(data, t),
        pacing=p,
        costs=costs(c, data.orders, t, data.rates, as_of),
        ordered_videos=ordered_videos(data.orders),
        declined_videos=declined_videos(data.orders),
        views_not_daily=views_not_daily(t, p),
    )


def summary_rows(ov: Overview) -> list[dict[str, Any]]:
    """The overview as rows of numbers (metric, value, unit, target, progress, note)."""
    rows: list[dict[str, Any]] = []

    def add(section: str, label: str, v: Value, target: float | None = None, prog=None) -> None:
        rows.append(
            {
                "section": section,
                "metric": label,
                "value": v.value,
                "unit": v.unit,
                "target": target,
                "progress": prog,
                "note": v.reason if v.value is None else v.note,
            }
        )

    t = ov.totals
    add("totals", "Published posts", Value(float(t.posts), "posts"))
    add("totals", "Views", t.views)
    add("totals", "Engagements", t.engagements)
    add("totals", "Engagement rate", t.engagement_rate)
    add("totals", "Reach", t.reach)
    add("totals", "Organic views", t.views_organic)
    add("totals", "Paid views", t.views_paid)
    for k in ov.kpis:
        value = k.actual if k.actual.value is not None else missing(k.actual.unit, k.reason or "")
        rows.append(
            {
                "section": "kpi",
                "metric": k.label,
                "value": value.value,
                "unit": value.unit,
                "target": k.target,
                "progress": k.progress,
                "note": k.reason if k.progress is None else k.actual.note,
            }
        )
    p = ov.pacing
    add(
        "pacing",
        "Views to date",
        p.to_date if p.to_date.known else missing("views", p.reason or ""),
    )
    add("pacing", "Planned views to date", p.expected_to_date)
    if ov.views_not_daily is not None:
        add("pacing", "Views not yet in daily stats", ov.views_not_daily)
    add(
        "pacing",
        "Projected views at end date",
        p.projected_total if p.projected_total.known else missing("views", p.reason or ""),
        p.target,
        ratio(p.projected_total.value, p.target),
    )
    c = ov.costs
    add("costs", "Creator cost (agreed fees)", c.creator_cost)
    add("costs", "Budget", c.budget)
    add("costs", "Spend vs budget", c.spend_vs_budget)
    add("costs", "Remaining budget", c.remaining_budget)
    add("costs", "Cost per view (fees)", c.cpv)
    add("costs", "Cost per engagement (fees)", c.cpe)
    add("costs", "CPM (fees)", c.cpm)
    add("costs", "Cost per view (budget)", c.budget_cpv)
    add("costs", "Cost per engagement (budget)", c.budget_cpe)
    add("costs", "CPM (budget)", c.budget_cpm)
    return rows
