"""The `ttcm refresh` progress bar: a TikTok pause is always printed, whatever the line rate."""

from __future__ import annotations

import pytest

from ttcm.cli.refresh import ProgressBar
from ttcm.sync import Progress


def test_a_pause_notice_is_printed_even_right_after_another_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.monotonic", lambda: 1000.0)  # both ticks in the same second
    bar = ProgressBar()
    assert not bar.tty
    bar(Progress("creators", 500, None, 12, 3.0, "US ≥ 1,000 followers"))
    bar(Progress("creators", 500, None, 13, 3.0, "paused by TikTok until 21:45 UTC"))
    bar(Progress("creators", 520, None, 14, 3.0, "US ≥ 2,000 followers"))  # rate-limited again
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("US ≥ 1,000 followers")
    assert lines[1].endswith("paused by TikTok until 21:45 UTC")


def test_a_pause_notice_is_never_cut_by_a_long_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.monotonic", lambda: 1000.0)
    huge = 10**15
    ProgressBar()(
        Progress("creator details", huge, huge, huge, 1.0, "paused by TikTok until 00:00 UTC")
    )
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith("  paused by TikTok until 00:00 UTC") and len(line) <= 120
