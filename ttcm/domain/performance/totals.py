"""Campaign totals over its published posts (views, engagements, rate, reach, split)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ttcm.domain import formula
from ttcm.domain.performance.values import Value, missing


def _known(series: pd.Series) -> pd.Series:
    return series[series.notna()]


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
        nothing = {"engagements": None, "views": None}
        rate = missing("%", "No published posts yet.", formula.explain("engagement_rate", nothing))
    else:
        both = posts[posts["engagement_count"].notna() & posts["video_views"].notna()]
        inputs = {
            "engagements": float(both["engagement_count"].sum()) if len(both) else None,
            "views": float(both["video_views"].sum()) if len(both) else None,
        }
        how = formula.explain("engagement_rate", inputs)
        result = formula.evaluate("engagement_rate", inputs)
        if both.empty:
            rate = missing("%", "No post of this campaign reports engagement data.", how)
        elif isinstance(result, formula.Missing):
            rate = missing("%", "The posts with engagement data have no views yet.", how)
        else:
            note = (
                f"over the {len(both)} of {n} posts that report engagements"
                if len(both) < n
                else None
            )
            rate = Value(result.value, "%", note=note, how=how)
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
