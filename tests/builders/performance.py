"""The "spring" campaign, as the domain's performance maths sees it (pure: no store).

Numbers chosen so every result can be worked by hand:
  posts  v1 @ana order   2,000 views, 120 engagements (100+10+10), reach 1,500
         v2 @ana order   1,000 views,  30 engagements (20+5+5),    reach   900
         v3 @ben order   3,000 views, 150 engagements (120+20+10), reach 2,500
         v4 @cat manual    500 views, no engagements or reach (hand-added, non-authenticated)
  daily  03-01: 1,000 · 03-02: 600 + 500 · 03-03: 400 + 500 + 3,000
  orders ana 2 videos at 300 USD, ben 1 video at 200 USD, dan declined (1 video, 900 USD)
  plan   10,000 views, 5 % engagement, 8,000 reach, 4 posts, budget 1,000 USD, 03-01 → 03-10
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ttcm.domain.performance.campaign_data import DAILY_COLUMNS, POST_COLUMNS, CampaignData


def day(n: int) -> date:
    """The n-th day of March 2026."""
    return date(2026, 3, n)


def spring_campaign(**changes) -> dict:
    """The spring campaign's plan."""
    campaign = {
        "id": 1,
        "campaign_name": "Spring",
        "brand_name": "Acme",
        "kpi_views": 10_000,
        "kpi_engagement_rate": 0.05,
        "kpi_reach": 8_000,
        "kpi_posts": 4,
        "kpi_spark_codes": None,
        "budget": 1000.0,
        "currency": "USD",
        "start_date": day(1),
        "end_date": day(10),
        "target_audience": {"genders": {"FEMALE": 0.7, "MALE": 0.3}},
    }
    campaign.update(changes)
    return campaign


def spring_posts() -> pd.DataFrame:
    """The four posts, as `load_campaign` returns them (unavailable metrics already blank)."""
    nan = np.nan
    rows = [
        ("v1", "ana", "order", 2000, 100, 10, 10, 120, 0.06, 1500, 1000, 0.05),
        ("v2", "ana", "order", 1000, 20, 5, 5, 30, 0.03, 900, 1000, 0.05),
        ("v3", "ben", "order", 3000, 120, 20, 10, 150, 0.05, 2500, 2000, 0.04),
        ("v4", "cat", "manual_nonauth", 500, 40, 2, 1, nan, nan, nan, nan, nan),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "video_id",
            "handle_name",
            "tracking",
            "video_views",
            "likes",
            "comments",
            "shares",
            "engagement_count",
            "engagement_rate",
            "reach",
            "usual_views",
            "usual_engagement_rate",
        ],
    )
    for col in POST_COLUMNS:
        if col not in frame:
            frame[col] = nan
    frame["create_time"] = pd.to_datetime([day(1), day(1), day(2), day(2)])
    frame["video_views_organic"] = frame["video_views"]
    frame["video_views_paid"] = [0.0, 0.0, 0.0, nan]
    return frame


def spring_daily() -> pd.DataFrame:
    """Daily views and engagement counts per creator."""
    return pd.DataFrame(
        [
            (day(1), "ana", 1000.0, 50.0, 5.0, 5.0),
            (day(2), "ana", 1100.0, 50.0, 5.0, 5.0),
            (day(3), "ana", 900.0, 20.0, 5.0, 5.0),
            (day(3), "ben", 3000.0, 120.0, 20.0, 10.0),
        ],
        columns=list(DAILY_COLUMNS),
    )


def spring_orders() -> list[dict]:
    """Orders with the creators' prices."""
    return [
        {"handle_name": "ana", "status": "COMPLETED", "video_number": 2, "creator_price": 300.0,
         "currency": "USD"},
        {"handle_name": "ben", "status": "IN_PROGRESS", "video_number": 1, "creator_price": 200.0,
         "currency": "usd"},
        {"handle_name": "dan", "status": "DECLINED", "video_number": 1, "creator_price": 900.0,
         "currency": "EUR"},
    ]  # fmt: skip


def spring(**changes) -> CampaignData:
    """The whole spring campaign's data."""
    return CampaignData(
        campaign=spring_campaign(**changes),
        posts=spring_posts(),
        daily=spring_daily(),
        orders=spring_orders(),
        audience={
            "v1": {"genders": [["FEMALE", 0.8], ["MALE", 0.2]]},
            "v2": {"genders": [["FEMALE", 0.5], ["MALE", 0.5]]},
        },
        spark_codes=1,
    )
