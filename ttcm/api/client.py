"""`TikTokOneClient`: typed methods over the TikTok One endpoints of `endpoints.py`.

Reads return models (`ttcm.api.models`) or iterators of models that follow every page; writes
return `WriteResult(value, request_id)` so callers can audit them. Arguments are checked against
`ttcm/rules/api_limits.json` before sending. Transport, retries and paging live in `base.py`; the
calls live in `ttcm.api.resources`, one module per resource group, as functions of the client that
this class gathers as its methods. Which transport (real HTTP or the offline sandbox) is the
runtime's choice (`ttcm.runtime.make_client`).
"""

from __future__ import annotations

from ttcm.api.base import BaseClient
from ttcm.api.resources import accounts, campaigns, creators, orders, spark


class TikTokOneClient(BaseClient):
    """The TikTok One API for one brand account (thread-safe; share one per process)."""

    # accounts and labels (tcm_accounts is the transport's own: it finds the account id)
    account_info = accounts.account_info
    labels = accounts.labels

    # creators
    discover = creators.discover
    iter_discover = creators.iter_discover
    creator_status = creators.creator_status
    creator_public = creators.creator_public
    iter_public_videos = creators.iter_public_videos
    iter_authorized_creators = creators.iter_authorized_creators
    creator_authorized = creators.creator_authorized
    iter_authorized_videos = creators.iter_authorized_videos
    invite = creators.invite

    # brand profiles and campaigns
    brand_profile_create = campaigns.brand_profile_create
    iter_brand_profiles = campaigns.iter_brand_profiles
    campaign_create = campaigns.campaign_create
    campaign_update = campaigns.campaign_update
    iter_campaigns = campaigns.iter_campaigns
    campaign_link = campaigns.campaign_link
    iter_link_status = campaigns.iter_link_status
    iter_campaign_report = campaigns.iter_campaign_report

    # Spark Ads
    spark_apply = spark.spark_apply
    spark_status = spark.spark_status

    # orders
    order_create = orders.order_create
    iter_orders = orders.iter_orders
    iter_order_report = orders.iter_order_report
