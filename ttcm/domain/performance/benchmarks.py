"""Benchmarks: each post and creator against the campaign median and the creator's usual."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


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
