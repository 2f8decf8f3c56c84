"""In a real browser: save a Discovery search, new creators arrive, the count says so, open it."""

from __future__ import annotations

from sqlalchemy import select

from tests.e2e.conftest import App, shot, sign_in
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.timestamps import utcnow
from ttcm.store.upsert import upsert

# far above any sandbox creator, so the search matches this flow's own creators only
FILTER = "country=GB&fmin=900000000"
NAME = 'Mega GB <b>"e2e"</b> 🎯'


def arrive(app: App, *handles: str) -> None:
    """Creators first seen now, written as the refresh writes them (a new data version)."""
    store = Store.from_url(app.env["TTCM_DATABASE_URL"])
    now = utcnow()
    rows = [
        {
            "handle_name": h,
            "display_name": f"Mega {h}",
            "country_code": "GB",
            "followers_count": 950_000_000,
            "is_tcm_creator": True,
            "is_authenticated": True,
            "source": m.API_SOURCE,
            "first_seen_at": now,
            "fetched_at": now,
        }
        for h in handles
    ]
    with store.write() as conn:
        upsert(conn, m.Creator.__table__, rows, key=["handle_name"])
        versions.bump(conn, "creators")
        assert conn.execute(select(m.Creator.id).where(m.Creator.handle_name == handles[0])).first()
    store.dispose()


def test_save_see_new_since_and_open(page, app: App) -> None:
    sign_in(page, app, "manny")
    page.goto(app.url + f"/discovery?{FILTER}")
    page.get_by_text("0 creators match").wait_for()
    page.get_by_text("Saved searches").first.click()
    page.get_by_label("Saved search name").fill(NAME)
    page.get_by_role("button", name="Save this search").click()
    page.get_by_text(f"Saved “{NAME}”.").wait_for()
    page.get_by_text("0 new creators since it was saved").wait_for()

    arrive(app, "e2e_mega_one", "e2e_mega_two")
    page.goto(app.url + "/discovery")  # no filter in the URL
    page.get_by_text("creators match").first.wait_for()
    for _ in range(20):  # the index of the new data version is built in the background
        if page.get_by_text("2 new creators since it was saved").count():
            break
        page.wait_for_timeout(500)
        page.reload()
        page.get_by_text("creators match").first.wait_for()
    page.get_by_text("Saved searches (1) · 2 new").click()
    page.get_by_text("2 new creators since it was saved").wait_for()
    page.get_by_text(NAME).first.wait_for()  # the name as typed, never markup
    shot(page, "saved-search-new-since")

    # (select boxes carry an "Open" button of their own: take Streamlit's button)
    page.locator("[data-testid^=stBaseButton]", has_text="Open").click()
    page.wait_for_url("**fmin=900000000**")
    assert "country=GB" in page.url
    page.get_by_text("2 creators match").wait_for()
    page.get_by_text("0 new creators since you last opened it").wait_for()
    shot(page, "saved-search-opened")
