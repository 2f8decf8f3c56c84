"""Pacing: cumulative views against a straight plan line, projected to the end date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from ttcm.domain import format as numfmt
from ttcm.domain import formula
from ttcm.domain.performance.values import Value, missing


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
    actual = [(d, float(v)) for d, v in zip(shown, cumulative.to_numpy(), strict=True)]
    to_date = actual[-1][1]
    elapsed = (as_of - start).days + 1
    average = to_date / elapsed
    inputs = {"views_to_date": to_date, "days_elapsed": elapsed, "days_total": span + 1}
    computed = formula.evaluate("projected_views", inputs)
    assert isinstance(computed, formula.Computed)  # elapsed >= 1: as_of is on or after start
    projected = computed.value
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
        Value(
            projected,
            "views",
            note=f"{numfmt.count(average)} views a day, {elapsed} days in",
            how=formula.explain("projected_views", inputs),
        ),
        status,
        reason,
    )
