"""In a real browser: opening a profile queues the creator for the next refresh's detail fetch."""

from __future__ import annotations

import json
import sqlite3

from tests.e2e.conftest import App, shot, sign_in


def _opened(app: App) -> list[str]:
    path = app.env["TTCM_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return [h for (h,) in db.execute("SELECT handle_name FROM creator_openings")]


def test_opening_a_profile_records_it_and_a_refresh_takes_it_off_the_queue(page, app: App) -> None:
    done = app.ttcm("creators", "search", "--limit", "1", "--format", "json")
    assert done.returncode == 0, done.stderr
    handle = json.loads(done.stdout)[0]["handle_name"]
    sign_in(page, app, "vic")
    page.goto(app.url + f"/creator?handle={handle}")
    page.get_by_role("heading", name=f"@{handle}").wait_for()
    shot(page, "profile-opened")
    assert handle in _opened(app)
    page.reload()  # opening it again is still one row
    page.get_by_role("heading", name=f"@{handle}").wait_for()
    assert _opened(app).count(handle) == 1
    refreshed = app.ttcm("refresh", "--resources", "creators")
    assert refreshed.returncode == 0, refreshed.stderr
    path = app.env["TTCM_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        fetched = db.execute(
            "SELECT detail_fetched_at FROM creator_openings WHERE handle_name = ?", (handle,)
        ).fetchone()[0]
    assert fetched is not None
