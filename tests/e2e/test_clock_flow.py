"""In chromium: an admin moves the sandbox clock from the app; the Posts page follows it and
refuses a hand-added post by a creator who is not in the campaign."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import numpy as np

from tests.e2e.builders import make_campaign
from tests.e2e.conftest import App, shot, sign_in


def test_an_admin_moves_sandbox_time_and_the_posts_page_follows(page, app: App) -> None:
    pk, sandbox = make_campaign(app, first=80)
    sign_in(page, app, "admin")
    page.goto(f"{app.url}/admin_sandbox")
    page.get_by_text("Sandbox time (in-process sandbox)").wait_for()
    before = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    field = page.get_by_label("Hours to move forward")
    field.fill("-2")
    field.press("Enter")
    page.get_by_text("The sandbox clock only moves forward").wait_for()
    assert page.get_by_role("button", name="Move forward").is_disabled()
    shot(page, "clock-bad-hours")
    field.fill("48")
    field.press("Enter")
    page.get_by_role("button", name="Move forward").dblclick()  # a double click moves once
    page.get_by_text(re.compile(r"Sandbox time moved from .* UTC\.")).wait_for()
    after = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    moved = datetime.strptime(after, "%Y-%m-%d %H:%M UTC") - datetime.strptime(
        before, "%Y-%m-%d %H:%M UTC"
    )
    assert timedelta(hours=48) <= moved < timedelta(hours=49), (before, after)
    shot(page, "clock-moved")

    page.goto(f"{app.url}/posts?campaign={pk}")
    page.get_by_text("KPI progress", exact=True).wait_for()
    caption = page.get_by_text(re.compile(r"stats as of .* sandbox time")).inner_text()
    assert after.removesuffix(" UTC")[:10] in caption
    shot(page, "posts-on-sandbox-time")

    listed = np.flatnonzero(sandbox.discover.listed)
    stranger = sandbox.directory.handles[int(listed[0])]  # the campaign orders listed[40:46]
    page.goto(f"{app.url}/posts?campaign={pk}&view=Published+posts")
    page.get_by_text("Add a post by hand").click()
    page.get_by_label("Creator handle").fill(f"@{stranger}")
    page.get_by_label("Creator handle").press("Enter")
    page.get_by_role("button", name="Load the creator's videos").click()
    page.get_by_text(f"@{stranger} is not a creator of this campaign").wait_for()
    assert page.get_by_label("Video").count() == 0
    shot(page, "posts-stranger-refused")
