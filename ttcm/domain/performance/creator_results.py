"""One creator's results in one campaign (orders, posts, views, ER, fee, CPV) and campaign medians.

The same maths as the campaign overview, applied to one creator's share of the campaign data:
views and engagement rate from `totals` over the creator's counted posts, the fee and cost per
view from `costs` over the creator's orders (agreed fee, else list price, converted into the
campaign's currency; declined orders cost nothing). A campaign's median is the median over its
creators whose figure is known; a creator whose figure is unknown is left out and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ttcm.domain import format as numfmt
from ttcm.domain import formula
from ttcm.domain.cells import Row
from ttcm.domain.performance.campaign_data import CampaignData
from ttcm.domain.performance.costs import costs
from ttcm.domain.performance.totals import totals
from ttcm.domain.performance.values import Value, missing


@dataclass(frozen=True)
class CreatorResult:
    """What one creator did in one campaign."""

    handle_name: str
    orders: int
    statuses: tuple[str, ...]  # each order's status, as stored (None: "UNKNOWN")
    posts: int
    views: Value
    engagement_rate: Value
    fee: Value  # in the campaign's currency
    cpv: Value


def creator_result(data: CampaignData, handle: str, on: date) -> CreatorResult:
    """The creator's orders, posts, views, engagement rate, fee and CPV in the campaign."""
    posts = data.posts[data.posts["handle_name"] == handle]
    orders = [o for o in data.orders if o.get("handle_name") == handle]
    t = totals(posts)
    c = costs(data.campaign, orders, t, data.rates, on)
    return CreatorResult(
        handle_name=handle,
        orders=len(orders),
        statuses=tuple(str(o.get("status") or "UNKNOWN") for o in orders),
        posts=t.posts,
        views=t.views,
        engagement_rate=t.engagement_rate,
        fee=c.creator_cost,
        cpv=c.cpv,
    )


def median_value(results: Sequence[CreatorResult], metric: str, unit: str, what: str) -> Value:
    """The campaign median through its formula (`campaign_median_er` or `campaign_median_cpv`)
    over the creators whose figure is known; a note says how many were unknown; why when none is."""
    term = {"campaign_median_er": "engagement_rate", "campaign_median_cpv": "cpv"}[metric]
    rows: list[Row] = [
        {"handle_name": r.handle_name, term: getattr(r, term).value, "currency": unit or None}
        for r in results
    ]
    inputs: formula.Inputs = {"creators": rows, "currency": unit or None}
    result = formula.evaluate(metric, inputs)
    how = formula.explain(metric, inputs)
    if isinstance(result, formula.Missing):
        return missing(unit, f"No creator of this campaign has a known {what} yet.", how)
    known = len(results) - len(result.left_out)
    left_out = len(result.left_out)
    note = (
        f"over {numfmt.plural(known, 'creator')}; {left_out} without a known {what}"
        if left_out
        else f"over {numfmt.plural(known, 'creator')}"
    )
    return Value(result.value, unit, note=note, how=how)
