"""In chromium: a manager sees a post's history past day 21 with the "stopped reporting" note,
opens "ⓘ how is this computed" on the overview, extends a Spark Ads code from the expiry board,
then reads an alert in the Inbox.

The sandbox clock moves on day by day between refreshes (as a demo would), so TikTok's
reporting window (21 days / 30 newer videos) ends for the campaign's first videos while ttcm's
own history goes on with their last values.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.e2e.builders import accepted_video, make_campaign
from tests.e2e.conftest import App, pick_code_to_extend, shot, sign_in, unread
from ttcm.store import Store
from ttcm.store import models as m


def refresh(app: App) -> None:
    done = app.ttcm("refresh", "--resources", "orders,posts,spark")
    assert done.returncode == 0, done.stderr


def stopped_post(app: App, pk: int) -> tuple[str, str, str]:
    """A campaign post TikTok no longer reports: (video id, handle, posting day), chosen so the
    post picker's "@handle · day" names only it."""
    store = Store.from_url(app.env["TTCM_DATABASE_URL"])
    p, s = m.Post, m.PostSnapshot
    try:
        with store.read() as conn:
            posts = conn.execute(
                select(p.video_id, p.handle_name, p.create_time).where(p.campaign_pk == pk)
            ).all()
            stopped = set(conn.execute(select(s.video_id).where(s.reported.is_(False))).scalars())
    finally:
        store.dispose()
    named = [(v, h, t.strftime("%Y-%m-%d")) for v, h, t in posts if t is not None]
    labels = [(h, d) for _, h, d in named]
    unique = [x for x in named if x[0] in stopped and labels.count((x[1], x[2])) == 1]
    assert unique, f"no post past TikTok's window among {len(posts)} ({len(stopped)} stopped)"
    return unique[0]


def see_history_past_day_21(page, app: App, pk: int) -> None:
    """Published posts: the post's cumulative views past day 21 and when TikTok stopped."""
    video, handle, day = stopped_post(app, pk)
    page.goto(f"{app.url}/posts?campaign={pk}&view=Published+posts")
    page.get_by_text("History", exact=True).first.wait_for()  # the default post is drawn
    picker = page.get_by_role("combobox", name="Post details")
    wanted = re.compile(re.escape(f"@{handle} · {day}"))
    shown = page.locator('[data-testid="stSelectbox"]').filter(has_text="Post details")
    if not wanted.search(shown.inner_text()):
        picker.click()
        picker.press_sequentially(f"@{handle}")
        page.get_by_role("option", name=wanted).click()
    note = page.get_by_text(re.compile(r"TikTok stopped reporting this post on \d{4}-\d\d-\d\d"))
    note.wait_for()
    assert note.inner_text().endswith("; last values kept.")
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Cumulative views")
    chart.get_by_text("day 21").wait_for()
    chart.get_by_text("Last values kept", exact=False).first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    chart.scroll_into_view_if_needed()
    shot(page, "memory-post-history")
    assert video


def open_a_formula(page, app: App, pk: int) -> None:
    """Campaign overview: "ⓘ how is this computed" shows ER and CPM filled with its inputs."""
    page.goto(f"{app.url}/posts?campaign={pk}")
    page.get_by_text("how is this computed", exact=False).first.click()
    er = page.get_by_text(re.compile(r"^ER = .*÷ views [\d,]+ = [\d.]+ ?%$"))
    er.first.wait_for()
    page.get_by_text(re.compile(r"^CPM = .*÷ views [\d,]+ × 1,000 = ")).first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    er.first.scroll_into_view_if_needed()
    shot(page, "memory-formula")


def extend_a_code(page, app: App, video: str) -> None:
    """Spark Ads expiry board: pick the video's code and extend it."""
    pick_code_to_extend(page, app, video)
    page.get_by_role("button", name="Extend", exact=True).click()
    page.get_by_text("Extended 1 code.").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "memory-board-extended")


def read_an_alert(page, app: App) -> None:
    """Inbox: one alert marked read, one fewer unread in the sidebar."""
    page.goto(f"{app.url}/inbox")
    page.get_by_role("heading", name="Inbox").wait_for()
    page.get_by_role("button", name="Mark read").first.wait_for()
    before = unread(page)
    page.get_by_role("button", name="Mark read").first.click()
    page.get_by_text(f"Inbox: {before - 1:,} unread alert", exact=False).wait_for()
    page.get_by_text(re.compile(rf"^{before - 1:,} unread of ")).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "memory-inbox-read")


def test_history_formula_expiry_board_and_inbox(page, app: App) -> None:
    pk, sandbox = make_campaign(app, first=100)  # posted within ten days, refreshed (day 10)
    video = accepted_video(app, pk)
    asked = app.ttcm("spark", "request", "--video", video, "--days", "30")
    assert asked.returncode == 0, asked.stderr
    for hours in (100, 24 * 6, 24 * 8):  # days 14, 20 and 28 after the orders
        sandbox.advance(hours)
        refresh(app)

    sign_in(page, app, "manny")
    see_history_past_day_21(page, app, pk)
    open_a_formula(page, app, pk)
    extend_a_code(page, app, video)
    read_an_alert(page, app)
