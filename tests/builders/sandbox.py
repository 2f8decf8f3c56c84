"""Sandbox states reached through its API: orders whose videos have all been posted."""

from __future__ import annotations

import numpy as np

from tests.sandbox.support import Api
from ttcm.sandbox.data import IN


def order_videos(api: Api, k: int = 12) -> tuple[list[dict], list[str]]:
    """Orders for k marketplace creators, then enough time for all videos to be posted."""
    d = api.app.directory
    handles = [d.handles[i] for i in np.flatnonzero(d.status == IN)[:k].tolist()]
    out = api.ok_post(
        "/tcm/order/create/v2/",
        brand_name="Acme",
        description="Launch",
        handle_names=handles,
        video_number=2,
        default_spark_ads_requested_authorization_days=0,  # no Spark Ads with the order
    )
    api.app.advance(24 * 12)
    orders = api.ok_get(
        "/tcm/order/get/v2/", query_type="CAMPAIGN_CODE", campaign_code=out["campaign_code"]
    )["orders"]
    return orders, [v for o in orders for v in o["video_ids"]]
