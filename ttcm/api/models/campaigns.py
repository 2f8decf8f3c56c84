"""Brand profiles, campaigns and video link requests."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field

from ttcm.api.coerce import Count, Flag, Id, Nested, OptId, StrList, Text, Time
from ttcm.api.models.base import Model


class BrandProfile(Model):
    """A brand profile (create answer or an item of `brands[]`)."""

    brand_profile_id: Id
    brand_name: Text = None
    brand_industry_id: OptId = None
    brand_industry: Text = None
    brand_website: Text = None
    logo_url: Text = None
    tiktok_account_url: Text = None


class DmInfo(Model):
    """Direct-message settings of a campaign."""

    business_account_handle: Text = None
    dm_allowed: Flag = None


class Campaign(Model):
    """A TikTok One campaign (create/update answer or an item of `campaigns[]`)."""

    campaign_id: Id
    campaign_type: Text = None
    brand_profile_id: OptId = None
    brand_name: Text = None
    campaign_name: Text = None
    campaign_description: Text = None
    handle_names: StrList = None
    anchor_id: OptId = None
    video_ids: StrList = None
    advertiser_ids: StrList = None
    spark_ads_requested_authorization_days: Count = Field(
        None,
        validation_alias=AliasChoices(
            "spark_ads_requested_authorization_days",
            "default_spark_ads_requested_authorization_days",
        ),
    )
    invite_link: Text = None
    invite_start_time: Time = Field(
        None, validation_alias=AliasChoices("invite_start_time", "invite_start_time_stamp")
    )
    create_time: Time = None
    update_time: Time = None
    country_codes: StrList = None
    failed_handle_names: StrList = None
    dm_info: Annotated[DmInfo | None, Nested] = None


class LinkInfo(Model):
    """A video link request (`/tto/tcm/campaign/link/` answer, `video_infos[]` item)."""

    video_id: Id
    status: Text = None
    campaign_id: OptId = None
    last_reminded_timestamp: Time = None
    number_of_requests: Count = None
    campaign_type: Text = None
    link_request_id: OptId = None
    handle_name: Text = None
