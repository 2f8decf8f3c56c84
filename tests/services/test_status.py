"""Home's facts: role-checked, and ages and resource names written for people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.builders import VIEWER
from ttcm.auth import PermissionDenied, Principal
from ttcm.config import Settings
from ttcm.services.status import Status, age_text, resource_name
from ttcm.store import Store

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_overview_takes_the_principal_and_checks_its_role(sqlite_store: Store, tmp_path) -> None:
    settings = Settings.load(env={"TTCM_DATA_DIR": str(tmp_path)}, secrets_file=tmp_path / "n")
    status = Status(sqlite_store, settings)
    info = status.overview(VIEWER)
    assert info.counts["creators"] == 0 and info.is_sandbox
    with pytest.raises(PermissionDenied):
        status.overview(Principal("x", "X", "nobody"))


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (timedelta(seconds=30), "just now"),
        (timedelta(minutes=1, seconds=40), "1 minute ago"),
        (timedelta(minutes=7), "7 minutes ago"),
        (timedelta(hours=2), "2 hours ago"),
        (timedelta(days=3), "3 days ago"),
    ],
)
def test_ages_are_words(ago: timedelta, text: str) -> None:
    assert age_text(NOW - ago, NOW) == text
    assert age_text((NOW - ago).replace(tzinfo=None), NOW) == text  # SQLite's naive UTC
    assert age_text(None, NOW) == "never"


def test_resources_have_names() -> None:
    assert resource_name("spark") == "Spark Ads codes"
    assert resource_name("posts") == "Posts and their stats"
