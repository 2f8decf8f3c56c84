"""Views and engagements over time: per top creator, the others summed, and the total."""

from __future__ import annotations

import pandas as pd

from ttcm.domain.performance.campaign_data import OTHERS, TOTAL


def top_creators(daily: pd.DataFrame, top: int) -> list[str]:
    """The `top` creators by reported views, largest first."""
    if daily.empty:
        return []
    named = daily[daily["handle_name"] != OTHERS]
    views = named.groupby("handle_name")["views"].sum(min_count=1).dropna()
    ranked = sorted(views.items(), key=lambda kv: (-kv[1], kv[0]))
    return [str(h) for h, _ in ranked[:top]]


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
