"""The audit log in words: action names, targets by the campaign's name, detail as a sentence."""

from __future__ import annotations

from ttcm.domain import audit_detail as ad

NAMES = {3: "Spring <b>launch</b>"}


def test_listed_actions_have_names_and_others_read_as_words() -> None:
    assert ad.action_label("order.create") == "Orders created"
    assert ad.action_label("campaign.add_creators") == "Creators added to campaign"
    assert ad.action_label("brand_new.thing") == "Brand new thing"


def test_a_campaign_target_is_shown_by_its_name_not_its_row_id() -> None:
    assert ad.target_text("campaign.archive", "3", NAMES) == "Spring <b>launch</b>"
    assert ad.target_text("order.create", "campaign 3 code C-9", NAMES) == (
        "Spring <b>launch</b> · code C-9"
    )
    assert ad.target_text("campaign.archive", "8", NAMES) == (
        "campaign #8 (no longer in the cache)"
    )
    # a text target stays as it was, even when it looks like a number
    assert ad.target_text("user.add", "1", NAMES) == "1"
    assert ad.target_text("signin", None, NAMES) == "—"


def test_detail_reads_as_a_sentence_without_json_or_none() -> None:
    text = ad.detail_text({"campaign_pk": 3, "campaign_id": "77"}, NAMES)
    assert text == "Campaign: Spring <b>launch</b>; TikTok campaign id: 77"
    fee = ad.detail_text({"handle": "ana", "before": [None, None], "after": [1500, "JPY"]}, {})
    assert fee == "Creator: ana; Before: —; After: 1,500 JPY"
    moved = ad.detail_text(
        {"hours": 24.0, "before": "2026-12-01T10:00:00+00:00", "after": "2026-12-02T10:00:00"}, {}
    )
    assert moved == "Hours: 24; Before: 2026-12-01 10:00; After: 2026-12-02 10:00"
    rate = ad.detail_text({"per_usd": 16600.5, "valid_from": "2026-12-01"}, {})
    assert rate == "Units per US dollar: 16,600.5; Valid from: 2026-12-01"
    refresh = ad.detail_text({"full": False, "counts": {"creators": 12}, "error": None}, {})
    assert refresh == "Full refresh: no; Rows: creators (12); Error: —"
    assert ad.detail_text({"video_id": "7301234567890123"}, {}) == "Video: 7301234567890123"
    for empty in (None, {}):
        assert ad.detail_text(empty, {}) == "—"
    assert "None" not in ad.detail_text({"handles": ["a", "b"], "count": 2, "x": None}, {})


def test_every_campaign_an_entry_mentions_is_collected() -> None:
    assert ad.campaign_pks("order.create", "campaign 3 code X", {"campaign_pk": 5}) == {3, 5}
    assert ad.campaign_pks("campaign.create", "Spring", {"campaign_pk": 4}) == {4}
    assert ad.campaign_pks("invite", "a,b", None) == set()
