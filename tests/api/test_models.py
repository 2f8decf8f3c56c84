"""Payload models: every known variant parses, missing metrics stay None, ids are strings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import ttcm.api as m
from tests.api.conftest import payload

T0 = datetime(2025, 11, 1, 12, 26, 40, tzinfo=UTC)  # 1762000000


@pytest.mark.parametrize(
    "raw",
    [
        1762000000,
        "1762000000",
        1762000000.0,
        1762000000000,
        "1762000000000",
        1762000000000000,
        "2025-11-01T12:26:40Z",
        "2025-11-01T12:26:40+00:00",
        "2025-11-01 12:26:40",
        "2025-11-01T14:26:40+02:00",
        T0,
        T0.replace(tzinfo=None),
    ],
)
def test_create_time_variants_become_aware_utc(raw: object) -> None:
    post = m.Post.model_validate({"video_id": "1", "create_time": raw})
    assert post.create_time == T0
    assert post.create_time.tzinfo is not None


def test_date_only_strings_are_midnight_utc() -> None:
    post = m.Post.model_validate({"video_id": "1", "create_time": "2025-11-01"})
    assert post.create_time == datetime(2025, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize("raw", [None, "", "soon", [], {}, True, 0, -5, "1e400", float("inf")])
def test_unreadable_times_are_none(raw: object) -> None:
    assert m.Post.model_validate({"video_id": "1", "create_time": raw}).create_time is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ([0.9, 0.8], [0.9, 0.8]),
        ("[0.9, 0.8]", [0.9, 0.8]),
        ("0.9,0.8", [0.9, 0.8]),
        ("0.9, 0.8 ,", [0.9, 0.8]),
        ([1, "0.5", "x", None], [1.0, 0.5]),
        ("", []),
        ([], []),
        ("{}", None),
        ("[oops", None),
        (5, None),
        (None, None),
    ],
)
def test_retention_as_list_or_string(raw: object, expected: list[float] | None) -> None:
    assert m.ReportVideo.model_validate({"video_view_retention": raw}).video_view_retention == (
        expected
    )


def test_views_by_source_object_and_list_forms_agree() -> None:
    obj = m.ViewsBySource.model_validate({"for_you": 45000, "personal_profile": 9000, "search": 7})
    lst = m.ViewsBySource.model_validate(
        [
            {"source": "FOR_YOU", "video_views": 45000},
            {"source": "Personal Profile", "video_views": "9000"},
            {"source": "search", "video_views": 7},
            {"source": "martian", "video_views": 1},
            "junk",
        ]
    )
    assert obj == lst
    assert obj.hashtag is None  # missing is None, never 0


def test_creator_variants_and_missing_metrics() -> None:
    c = m.Creator.model_validate(payload("creator_authorized"))
    assert c.following_count == 12  # followings_count
    assert (c.creator_price, c.currency) == (450.5, "GBP")  # creator_rate {rate, currency}
    assert c.content_labels == [m.Label(label_id="11004001", label_name="Cooking & Recipes")]
    assert c.avg_views is None and c.median_views is None and c.engagement_rate is None
    assert c.audience_devices[0] == m.AudienceShare(
        key="APPLE", percentage=0.61, dimension="device"
    )
    assert c.account_kind == "auth_ttcm"


def test_creator_price_and_currency_at_top_level_win_over_creator_rate() -> None:
    c = m.Creator.model_validate(
        {"creator_price": 10, "currency": "USD", "creator_rate": {"rate": 99, "currency": "EUR"}}
    )
    assert (c.creator_price, c.currency) == (10.0, "USD")
    assert m.Creator.model_validate({"creator_rate": "12.5"}).creator_price == 12.5


def test_ids_are_strings_and_numbers_are_read_from_strings() -> None:
    data = payload("discover")["creators"][1]
    c = m.Creator.model_validate(data)
    assert c.creator_id == "6800000000000000002"
    assert c.followers_count == 98000
    assert c.engagement_rate == pytest.approx(0.034)
    assert c.bio is None and c.avg_views is None


@pytest.mark.parametrize(
    ("tcm", "auth", "kind"),
    [
        (True, True, "auth_ttcm"),
        (True, False, "nonauth_ttcm"),
        (False, True, "auth_nonttcm"),
        (False, False, "nonauth_nonttcm"),
        (None, None, "nonauth_nonttcm"),
        ("1", "true", "auth_ttcm"),
    ],
)
def test_account_kind(tcm: object, auth: object, kind: str) -> None:
    c = m.Creator.model_validate({"is_tcm_creator": tcm, "is_authenticated": auth})
    assert c.account_kind == kind


def test_junk_in_nested_lists_is_dropped_not_fatal() -> None:
    c = m.Creator.model_validate(
        {
            "handle_name": "x",
            "content_labels": [{"label_id": 1}, {"label_name": "no id"}, 7, None],
            "audience_genders": [{"gender": "FEMALE", "percentage": "0.6"}, {"gender": "MALE"}],
            "languages": "en,ko",
            "followers_count": {"oops": 1},
        }
    )
    assert c.content_labels == [m.Label(label_id="1")]
    assert c.audience_genders == [m.AudienceShare(key="FEMALE", percentage=0.6, dimension="gender")]
    assert c.languages == ["en", "ko"]
    assert c.followers_count is None


def test_spark_status_both_spellings() -> None:
    a = m.SparkStatus.model_validate(payload("spark_status"))
    b = m.SparkStatus.model_validate(payload("spark_status_doc_spelling"))
    assert a.auth_status_updated_time == datetime(2025, 11, 4, 10, tzinfo=UTC)
    assert b.auth_status_updated_time == datetime.fromtimestamp(1762300000, UTC)
    assert b.num_remaining_request == 30 and b.auth_code is None


def test_report_video_is_flattened() -> None:
    first, second = (m.ReportVideo.model_validate(v) for v in payload("campaign_report")["videos"])
    assert first.video_id == "7300000000000000003"
    assert first.handle_name == "glow.with.mia" and first.display_name == "Mia"
    assert first.create_time == T0
    assert first.authorization_code == "#spark-abc"
    assert first.video_view_retention == [1.0, 0.82, 0.61]
    assert first.video_views_by_source.for_you == 45000
    assert first.video_views_by_source.search == 7000
    assert first.video_boosted_date == date(2025, 11, 5)
    assert first.anchor_metrics.anchor_clicks == 9
    assert first.anchor_metrics.anchor_unique_views is None
    assert [d.views for d in first.daily_stats] == [30000, 31000]
    assert first.daily_stats[1].comments is None
    assert first.audience_device_distribution[0].key == "ios"
    assert second.video_id == "7300000000000000004"
    assert second.video_boosted_date is None  # 1970-01-01 = never boosted
    assert second.video_view_retention == [1.0, 0.5]
    assert second.likes is None and second.reach is None


def test_order_insight_shares_its_dimensions_with_the_metrics() -> None:
    ins = m.OrderInsight.model_validate(payload("order_report")["insights"][0])
    assert ins.order_id == "7600000000000000001"
    assert ins.video_id == ins.metrics.video_id == "7300000000000000010"
    assert ins.metrics.handle_name == "glow.with.mia"
    assert ins.metrics.create_time == datetime(2025, 11, 3, tzinfo=UTC)
    assert ins.metrics.daily_stats[0].video_views_paid == 0  # a real zero stays zero
    assert m.OrderInsight.model_validate({"metrics": "junk"}).metrics == m.ReportVideo()


def test_orders_campaigns_links_invites() -> None:
    order = m.Order.model_validate(payload("orders")["orders"][0])
    assert order.deliverables[1].spark_ads_requested_authorization_days == 0
    assert order.deliverables[1].video_id is None
    assert order.update_time == datetime.fromtimestamp(1762100000, UTC)
    created = m.OrderCreateResult.model_validate(payload("order_create"))
    assert [o.order_id for o in created.orders] == ["7600000000000000001", "7600000000000000002"]
    assert created.orders[0].quota.per_creator_video_limit == 2
    campaign = m.Campaign.model_validate(payload("campaign"))
    assert campaign.anchor_id is None and campaign.update_time is None
    assert campaign.dm_info.dm_allowed is True
    assert campaign.create_time == datetime(2025, 11, 2, 9, tzinfo=UTC)
    link = m.LinkInfo.model_validate(payload("campaign_link"))
    assert link.link_request_id == "7500000000000000001"
    assert link.last_reminded_timestamp is None  # 0 = never reminded
    inv = m.InviteResult.model_validate(
        {"invited": None, "reject_reasons": [{"handle_name": "a", "reason": "too small"}, "junk"]}
    )
    assert inv.invited == [] and inv.reject_reasons == {"a": "too small"}


def test_onboarding_status_accepts_the_legacy_spelling() -> None:
    rows = [
        m.OnboardingStatus.model_validate(r) for r in payload("creator_status")["onboarding_status"]
    ]
    assert [r.handle_name for r in rows][:2] == ["glow.with.mia", "chef.ollie"]
    assert rows[3].reject_reason == "The creator declined the invitation."


def test_identity_fields_are_required() -> None:
    for model, data in [
        (m.Post, {"caption": "no id"}),
        (m.Order, {"status": "ACCEPTED"}),
        (m.Campaign, {"campaign_id": None}),
        (m.BrandProfile, {"brand_profile_id": True}),
        (m.LinkInfo, {}),
        (m.OnboardingStatus, {"status": "IN"}),
        (m.DailyStat, {"date": "yesterday"}),
        (m.Label, {"label_id": [1]}),
    ]:
        with pytest.raises(ValueError):
            model.model_validate(data)


def test_unknown_keys_are_ignored_and_labels_never_none() -> None:
    labels = m.LabelSet.model_validate({"industry_labels": None, "surprise": 1})
    assert labels.industry_labels == [] and labels.content_labels == []
    assert not hasattr(labels, "surprise")
