"""Report windows of the posts refresh."""

from __future__ import annotations

from datetime import date

from ttcm.refresh.posts import windows


def test_windows_cover_the_span_without_gaps_or_overlap() -> None:
    assert windows(date(2026, 1, 1), date(2026, 1, 10), 4) == [
        (date(2026, 1, 1), date(2026, 1, 4)),
        (date(2026, 1, 5), date(2026, 1, 8)),
        (date(2026, 1, 9), date(2026, 1, 10)),
    ]
    assert windows(date(2026, 1, 2), date(2026, 1, 1), 4) == []
