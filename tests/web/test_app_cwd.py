"""app.py finds its pages beside itself, whatever the current directory (an installed app)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import signed_in


def test_signed_in_app_shows_home_when_started_from_another_directory(
    people, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    at = signed_in(people["admin"]).run()
    assert not at.exception
    assert "Data source" in [h.value for h in at.subheader]  # the Home page, not an empty frame
