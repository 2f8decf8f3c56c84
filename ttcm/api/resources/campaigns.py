"""Brand profiles, campaigns, video links and the campaign report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from ttcm.api import parsing as p
from ttcm.api import validation as v
from ttcm.api.base import BaseClient
from ttcm.api.models.campaigns import BrandProfile, Campaign, LinkInfo
from ttcm.api.models.posts import ReportVideo
from ttcm.api.wire import WriteResult

CAMPAIGN_TYPES = ("CAMPAIGN", "BRAND_LINK")
LINK_ACTIONS = ("LINK", "REVOKE")


def brand_profile_create(
    api: BaseClient,
    brand_name: str,
    brand_industry_id: str,
    brand_website: str,
    logo_url: str,
    tiktok_account_url: str | None = None,
) -> WriteResult[BrandProfile]:
    """Create a brand profile (name, industry and logo cannot be changed later)."""
    body = {
        "brand_name": v.text(brand_name, "brand_name", max_chars=int(v.limit("text_max_chars"))),
        "brand_industry_id": v.identifier(brand_industry_id, "brand_industry_id"),
        "brand_website": v.url(brand_website, "brand_website", "https://"),
        "logo_url": v.url(logo_url, "logo_url", "http"),
        "tiktok_account_url": None
        if tiktok_account_url is None
        else v.url(tiktok_account_url, "tiktok_account_url", "https://www.tiktok.com/@"),
    }
    return p.write(api, BrandProfile, "brand_profile_create", body)


def iter_brand_profiles(
    api: BaseClient, brand_profile_ids: Iterable[str] | None = None
) -> Iterator[BrandProfile]:
    """The account's brand profiles (all, or the given ids, at most 20)."""
    ids = v.optional_strings(
        brand_profile_ids, "brand_profile_ids", max_items=int(v.limit("brand_profile_ids_max"))
    )
    return p.iter_items(api, BrandProfile, "brand_profiles", {"brand_profile_ids": ids})


# ------------------------------------------------------------ campaigns


def campaign_create(
    api: BaseClient,
    campaign_name: str,
    handle_names: Iterable[str] | None = None,
    *,
    campaign_type: str = "CAMPAIGN",
    brand_profile_id: str | None = None,
    brand_name: str | None = None,
    campaign_description: str | None = None,
    anchor_id: str | None = None,
    advertiser_ids: Iterable[str] | None = None,
    default_spark_ads_requested_authorization_days: int | None = None,
    send_notification: bool | None = None,
    campaign_id: str | None = None,
    business_account_handle: str | None = None,
) -> WriteResult[Campaign]:
    """Create a campaign, or add creators to an existing one (`campaign_id`).

    Keyword names are the API's own; `handle_names` may be empty (creators come later).
    """
    body = {
        "campaign_name": v.text(
            campaign_name, "campaign_name", max_chars=int(v.limit("campaign_name_max_chars"))
        ),
        "campaign_type": v.choice(campaign_type, "campaign_type", CAMPAIGN_TYPES),
        "handle_names": None
        if handle_names is None
        else v.handles(handle_names, "handle_names", required=False),
        "brand_profile_id": None
        if brand_profile_id is None
        else v.identifier(brand_profile_id, "brand_profile_id"),
        "brand_name": v.optional_text(
            brand_name, "brand_name", max_chars=int(v.limit("text_max_chars"))
        ),
        "campaign_description": v.optional_text(campaign_description, "campaign_description"),
        "anchor_id": None if anchor_id is None else v.identifier(anchor_id, "anchor_id"),
        "advertiser_ids": v.optional_strings(advertiser_ids, "advertiser_ids"),
        "default_spark_ads_requested_authorization_days": None
        if default_spark_ads_requested_authorization_days is None
        else v.spark_days(
            default_spark_ads_requested_authorization_days,
            "default_spark_ads_requested_authorization_days",
        ),
        "send_notification": send_notification,
        "campaign_id": None if campaign_id is None else v.identifier(campaign_id, "campaign_id"),
        "business_account_handle": v.optional_text(
            business_account_handle, "business_account_handle"
        ),
    }
    return p.write(api, Campaign, "campaign_create", body)


def campaign_update(
    api: BaseClient,
    campaign_id: str,
    *,
    campaign_type: str = "CAMPAIGN",
    handle_names: Iterable[str] | None = None,
    advertiser_ids: Iterable[str] | None = None,
    send_notification: bool | None = None,
) -> WriteResult[Campaign]:
    """Change a campaign's creators or advertisers."""
    body = {
        "campaign_id": v.identifier(campaign_id, "campaign_id"),
        "campaign_type": v.choice(campaign_type, "campaign_type", CAMPAIGN_TYPES),
        "handle_names": None
        if handle_names is None
        else v.handles(handle_names, "handle_names", required=False),
        "advertiser_ids": v.optional_strings(advertiser_ids, "advertiser_ids"),
        "send_notification": send_notification,
    }
    return p.write(api, Campaign, "campaign_update", body)


def iter_campaigns(
    api: BaseClient, campaign_ids: Iterable[str] | None = None, campaign_type: str | None = None
) -> Iterator[Campaign]:
    """The account's campaigns (all, or the given ids)."""
    params = {
        "campaign_ids": v.optional_strings(campaign_ids, "campaign_ids"),
        "campaign_type": None
        if campaign_type is None
        else v.choice(campaign_type, "campaign_type", CAMPAIGN_TYPES),
    }
    return p.iter_items(api, Campaign, "campaigns", params)


def campaign_link(
    api: BaseClient, campaign_id: str, video_id: str, action: str
) -> WriteResult[LinkInfo]:
    """Ask to link a creator's video to a campaign (`LINK`) or withdraw it (`REVOKE`)."""
    body = {
        "campaign_id": v.identifier(campaign_id, "campaign_id"),
        "video_id": v.identifier(video_id, "video_id"),
        "action": v.choice(action, "action", LINK_ACTIONS),
    }
    result = p.write(api, LinkInfo, "campaign_link", {**body})
    if result.value.campaign_id is None:
        result.value.campaign_id = body["campaign_id"]
    return result


def iter_link_status(
    api: BaseClient,
    campaign_ids: Iterable[str] | None = None,
    handle_names: Iterable[str] | None = None,
) -> Iterator[LinkInfo]:
    """Video link requests and their review state."""
    params = {
        "campaign_ids": v.optional_strings(campaign_ids, "campaign_ids"),
        "handle_names": None if handle_names is None else v.handles(handle_names, "handle_names"),
    }
    return p.iter_items(api, LinkInfo, "campaign_link_status", params)


def iter_campaign_report(
    api: BaseClient,
    campaign_id: str,
    start_date: date | str | None = None,
    end_date: date | str | None = None,
    country_code: str | None = None,
) -> Iterator[ReportVideo]:
    """Per-video metrics of one campaign (`country_code` goes in the Country-Code header).

    Dates are both given or both omitted (the API then reports the last 60 days).
    """
    cid = v.identifier(campaign_id, "campaign_id")
    start, end = v.date_range(start_date, end_date, max_days=int(v.limit("report_max_days")))
    headers = None
    if country_code is not None:
        headers = {"Country-Code": v.text(country_code, "country_code", max_chars=2).upper()}
    params = {"campaign_id": cid, "start_date": start, "end_date": end}
    videos = p.iter_items(api, ReportVideo, "campaign_report", params, headers=headers)
    return p.filled(videos, "campaign_id", cid)
