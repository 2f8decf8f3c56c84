"""What a selection of creators could deliver, against a campaign's goals and budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ttcm.domain import formula
from ttcm.domain.cells import Row, number
from ttcm.domain.format import count


@dataclass(frozen=True)
class Projection:
    """Sums over a selection; `missing` counts the creators a figure could not include."""

    # None: no creator of the selection has the figure (unknown, never a made-up 0)
    creators: int
    followers: int | None
    expected_views: int | None  # sum of median views
    expected_engagements: int | None  # sum of median views x engagement rate
    cost_by_currency: dict[str, float]
    missing: dict[str, int] = field(default_factory=dict)
    views_with_er: int = 0  # median views of the creators whose engagement rate is known
    goal_views: int | None = None
    goal_engagement_rate: float | None = None
    budget: float | None = None
    budget_currency: str | None = None

    @property
    def views_vs_goal(self) -> float | None:
        """Expected views as a share of the views goal (None when there is no goal)."""
        if not self.goal_views or self.expected_views is None:
            return None
        return self.expected_views / self.goal_views

    @property
    def expected_engagement_rate(self) -> float | None:
        """Engagements over views of the creators that have both (None when none do)."""
        if self.expected_engagements is None or self.views_with_er <= 0:
            return None
        return self.expected_engagements / self.views_with_er

    @property
    def cost_vs_budget(self) -> float | None:
        """Estimated cost in the budget's currency over the budget (None when not comparable)."""
        if not self.budget or not self.budget_currency:
            return None
        if set(self.cost_by_currency) - {self.budget_currency}:
            return None  # prices in other currencies: no exchange rates here, so no fake number
        return self.cost_by_currency.get(self.budget_currency, 0.0) / self.budget

    def coverage(self, figure: str) -> str | None:
        """'median views unknown for 2 of 5 creators (not counted)', or None when all known."""
        n = self.missing.get(figure, 0)
        if not n:
            return None
        noun = "creator" if self.creators == 1 else "creators"
        name = figure.replace("_", " ")
        return f"{name} unknown for {count(n)} of {count(self.creators)} {noun} (not counted)"


def _tally(value: float | None, figure: str, known: dict[str, int], missing: dict[str, int]) -> int:
    """`value` as the whole number to add (0 when unknown), counted as known or missing."""
    if value is None:
        missing[figure] += 1
        return 0
    known[figure] += 1
    return int(value)


def project(creators: Sequence[Row], campaign: Row | None = None) -> Projection:
    """Combine creators' cached metrics; unknown values are counted as missing, never as 0."""
    missing = {"followers": 0, "median_views": 0, "engagement_rate": 0, "price": 0}
    followers = views_with_er = 0
    known = {"followers": 0, "median_views": 0}
    cost: dict[str, float] = {}
    for c in creators:
        followers += _tally(number(c, "followers_count"), "followers", known, missing)
        mv = number(c, "median_views")
        er = number(c, "engagement_rate")
        _tally(mv, "median_views", known, missing)
        if er is None:
            missing["engagement_rate"] += 1
        elif mv is not None:
            views_with_er += round(mv)
        price, currency = number(c, "creator_price"), c.get("currency")
        if price is None or not isinstance(currency, str) or not currency:
            missing["price"] += 1
        else:
            cost[currency] = cost.get(currency, 0.0) + float(price)
    campaign = campaign or {}
    rows = {"creators": list(creators)}
    return Projection(
        creators=len(creators),
        followers=followers if known["followers"] else None,
        expected_views=_sum_of("expected_views", rows),
        expected_engagements=_sum_of("expected_engagements", rows),
        cost_by_currency=cost,
        missing={k: v for k, v in missing.items() if v},
        views_with_er=views_with_er,
        goal_views=_whole(number(campaign, "kpi_views")),
        goal_engagement_rate=number(campaign, "kpi_engagement_rate"),
        budget=number(campaign, "budget"),
        budget_currency=_text(campaign.get("currency")),
    )


def _sum_of(metric: str, rows: formula.Inputs) -> int | None:
    """A sum over the creators through its formula (None when no creator has the inputs)."""
    result = formula.evaluate(metric, rows)
    return None if isinstance(result, formula.Missing) else round(result.value)


def explain(creators: Sequence[Row]) -> list[str]:
    """The expected views and engagements of a selection as filled formulas."""
    rows = {"creators": list(creators)}
    return [formula.explain(m, rows) for m in ("expected_views", "expected_engagements")]


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
