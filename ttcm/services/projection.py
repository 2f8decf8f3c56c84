"""What a selection of creators could deliver, against a campaign's goals and budget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Projection:
    """Sums over a selection; `missing` counts the creators a figure could not include."""

    creators: int
    followers: int
    expected_views: int  # sum of median views
    expected_engagements: int  # sum of median views x engagement rate
    cost_by_currency: dict[str, float]
    missing: dict[str, int] = field(default_factory=dict)
    goal_views: int | None = None
    goal_engagement_rate: float | None = None
    budget: float | None = None
    budget_currency: str | None = None

    @property
    def views_vs_goal(self) -> float | None:
        """Expected views as a share of the views goal (None when there is no goal)."""
        if not self.goal_views:
            return None
        return self.expected_views / self.goal_views

    @property
    def expected_engagement_rate(self) -> float | None:
        """Engagements over views of the creators that have both (None when none do)."""
        if self.expected_views <= 0:
            return None
        return self.expected_engagements / self.expected_views

    @property
    def cost_vs_budget(self) -> float | None:
        """Estimated cost in the budget's currency over the budget (None when not comparable)."""
        if not self.budget or not self.budget_currency:
            return None
        if set(self.cost_by_currency) - {self.budget_currency}:
            return None  # prices in other currencies: no exchange rates here, so no fake number
        return self.cost_by_currency.get(self.budget_currency, 0.0) / self.budget


def project(
    creators: Sequence[Mapping[str, Any]], campaign: Mapping[str, Any] | None = None
) -> Projection:
    """Combine creators' cached metrics; unknown values are counted as missing, never as 0."""
    missing = {"followers": 0, "median_views": 0, "engagement_rate": 0, "price": 0}
    followers = views = engagements = 0
    cost: dict[str, float] = {}
    for c in creators:
        f = c.get("followers_count")
        if f is None:
            missing["followers"] += 1
        else:
            followers += int(f)
        mv = c.get("median_views")
        er = c.get("engagement_rate")
        if mv is None:
            missing["median_views"] += 1
        else:
            views += int(mv)
        if er is None:
            missing["engagement_rate"] += 1
        elif mv is not None:
            engagements += round(int(mv) * float(er))
        price, currency = c.get("creator_price"), c.get("currency")
        if price is None or not currency:
            missing["price"] += 1
        else:
            cost[currency] = cost.get(currency, 0.0) + float(price)
    campaign = campaign or {}
    return Projection(
        creators=len(creators),
        followers=followers,
        expected_views=views,
        expected_engagements=engagements,
        cost_by_currency=cost,
        missing={k: v for k, v in missing.items() if v},
        goal_views=campaign.get("kpi_views"),
        goal_engagement_rate=campaign.get("kpi_engagement_rate"),
        budget=campaign.get("budget"),
        budget_currency=campaign.get("currency"),
    )
