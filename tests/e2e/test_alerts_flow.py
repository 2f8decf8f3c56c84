"""In a real browser: a manager extends a Spark Ads code from the expiry board, then reads an
alert in the Inbox (the refresh recorded the accepted code and the campaign's posts).
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.builders import accepted_video, make_campaign
from tests.e2e.conftest import App, pick_code_to_extend, shot, sign_in, unread


def test_extend_a_code_from_the_board_then_read_an_alert(page, app: App) -> None:
    pk, sandbox = make_campaign(app, first=60)
    video = accepted_video(app, pk)
    asked = app.ttcm("spark", "request", "--video", video, "--days", "7")
    assert asked.returncode == 0, asked.stderr
    sandbox.advance(100)  # the creator accepts within 96 hours; a 7-day code is near its end
    done = app.ttcm("refresh", "--resources", "spark")
    assert done.returncode == 0, done.stderr
    listed = app.ttcm("alerts", "--since", "2000-01-01")
    assert listed.returncode == 0 and f"post {video}" in listed.stdout

    sign_in(page, app, "manny")
    pick_code_to_extend(page, app, video)
    extend = page.get_by_role("button", name="Extend", exact=True)
    expect(extend).to_be_enabled()  # disabled until a code is chosen
    shot(page, "alerts-board-chosen")
    extend.click()
    page.get_by_text("Extended 1 code.").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "alerts-board-extended")

    page.goto(f"{app.url}/inbox")
    page.get_by_role("heading", name="Inbox").wait_for()
    page.get_by_text("Spark Ads code accepted", exact=False).first.wait_for()
    before = unread(page)
    assert before > 0
    shot(page, "alerts-inbox-unread")
    page.get_by_role("button", name="Mark read").first.click()
    page.get_by_text(f"Inbox: {before - 1:,} unread alert", exact=False).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "alerts-inbox-read")

    page.goto(app.url)
    page.get_by_text("Spark Ads codes expiring within 7 days").wait_for()
    shot(page, "alerts-home-tile")
