"""What a campaign's performance is computed from: posts, daily stats, orders, audience."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ttcm.domain.exchange import RateTable

# a post's metrics, in the order a table of posts shows them
POST_METRICS = (
    "video_views",
    "likes",
    "comments",
    "shares",
    "favorites",
    "engagement_count",
    "engagement_rate",
    "reach",
    "total_play_time",
    "average_view_time",
    "video_completion_rate",
)
POST_COLUMNS = (
    "video_id",
    "handle_name",
    "display_name",
    "tracking",
    "order_id",
    "create_time",
    *POST_METRICS,
    "video_views_organic",
    "video_views_paid",
    "usual_views",
    "usual_engagement_rate",
)
DAILY_COLUMNS = ("day", "handle_name", "views", "likes", "comments", "shares")
# trackings of posts added by hand: public counters only, no daily stats
MANUAL = ("manual_auth", "manual_nonauth")
OTHERS = "Other creators"
TOTAL = "Total"


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
