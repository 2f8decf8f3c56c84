"""KPI progress: each goal of the campaign plan, actual against target."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ttcm.domain import format as numfmt
from ttcm.domain.performance.campaign_data import CampaignData
from ttcm.domain.performance.totals import Totals, totals
from ttcm.domain.performance.values import Value, fmt


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
