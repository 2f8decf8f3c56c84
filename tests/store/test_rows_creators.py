"""API creator -> `creators` row: only what the payload carried, never a made-up 0."""

from __future__ import annotations

from datetime import UTC, datetime

from ttcm.api.models.creators import Creator
from ttcm.store import models as m
from ttcm.store.rows_creators import CREATOR_FIELDS, creator_row

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_thin_creator_gives_a_row_with_only_its_fields() -> None:
    thin = Creator.model_validate({"handle_name": "ana", "followers_count": "1200"})
    row = creator_row(thin, NOW)
    assert row == {
        "handle_name": "ana",
        "followers_count": 1200,
        "source": m.API_SOURCE,
        "fetched_at": NOW,
        "first_seen_at": NOW,
    }


def test_audience_languages_and_labels_are_flattened() -> None:
    creator = Creator.model_validate(
        {
            "handle_name": "bo",
            "languages": ["en", "es"],
            "content_labels": [{"label_id": 7}, {"label_id": "9"}],
            "audience_genders": [{"gender": "FEMALE", "percentage": 0.7}],
            "audience_countries": [
                {"country": "US", "percentage": 0.4},
                {"country": "MX", "percentage": 0.6},
            ],
        }
    )
    row = creator_row(creator, NOW)
    assert row["languages"] == ",en,es," and row["label_ids"] == ",7,9,"
    assert row["audience_top_country"] == "MX"
    assert row["audience_female_share"] == 0.7 and row["audience_male_share"] == 0
    assert "audience_top_age" not in row  # no age breakdown: nothing claimed


def test_the_stored_fields_are_those_both_models_share() -> None:
    assert {"followers_count", "engagement_rate", "is_tcm_creator"} <= set(CREATOR_FIELDS)
    assert not {"handle_name", "languages"} & set(CREATOR_FIELDS)
