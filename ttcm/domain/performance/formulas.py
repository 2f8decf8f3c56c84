"""Which filled formulas each view shows ("ⓘ how is this computed"): a post's, a campaign's."""

from __future__ import annotations

from collections.abc import Mapping

from ttcm import rules
from ttcm.domain import formula
from ttcm.domain.performance.overview import Overview
from ttcm.domain.performance.values import Value

# post metric (metric_availability.json) -> the formula that explains it
POST_FORMULAS = {
    "engagement_rate": "engagement_rate",
    "reach": "reach_rate",
    "video_completion_rate": "completion_rate",
}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def post_hows(post: Mapping[str, object]) -> dict[str, str]:
    """Post metric -> its filled formula, for the derived metrics its tracking provides."""
    trackings = rules.metric_availability()["post_metrics"]
    tracking = post.get("tracking")
    inputs = {
        "likes": _number(post.get("likes")),
        "comments": _number(post.get("comments")),
        "shares": _number(post.get("shares")),
        "views": _number(post.get("video_views")),
        "reach": _number(post.get("reach")),
        "completion_rate": _number(post.get("video_completion_rate")),
    }
    return {
        key: formula.explain(metric, inputs)
        for key, metric in POST_FORMULAS.items()
        if tracking in trackings[key]["trackings"]
    }


def post_formulas(post: Mapping[str, object]) -> list[str]:
    """The derived metrics of one post that its tracking provides, as filled formulas."""
    return list(post_hows(post).values())


def overview_values(ov: Overview) -> list[tuple[str, Value]]:
    """(label, value) of the overview's derived numbers, in the order the page shows them."""
    t, p, c = ov.totals, ov.pacing, ov.costs
    return [
        ("Engagement rate", t.engagement_rate),
        ("Projected views at end date", p.projected_total),
        *c.per_result(),
        *c.spend(),
    ]


def overview_formulas(ov: Overview) -> list[str]:
    """The overview's derived numbers as filled formulas (or why each is unavailable)."""
    out = []
    for label, v in overview_values(ov):
        out.append(v.how or f"{label} is unavailable: {v.reason or 'its inputs are unknown'}")
    return out
