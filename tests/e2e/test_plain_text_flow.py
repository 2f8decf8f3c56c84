"""In a real browser: hostile creator text and hostile links show as text, never as markup."""

from __future__ import annotations

import json
from urllib.parse import quote

from sqlalchemy import update

from tests.e2e.conftest import App, shot, sign_in
from ttcm.store import Store, make_engine, versions
from ttcm.store import models as m

HOSTILE = (
    "[Your session expired - sign in again](http://evil.example/x) "
    "![p](http://evil.example/px.png) :red[RED] $x^2$ **bold** <img src=x onerror=alert(1)>"
)


def _no_markup(page) -> None:
    """Nothing from the hostile text became a link, an image, bold, colour or maths."""
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("img[src*='evil.example'], img[src='x']").count() == 0
    assert page.locator(".katex").count() == 0
    assert page.locator("strong:text-is('bold')").count() == 0


def test_hostile_profile_and_links_are_plain_text(page, app: App) -> None:
    found = app.ttcm("creators", "search", "--country", "US", "--limit", "1", "--format", "json")
    assert found.returncode == 0, found.stderr
    handle = json.loads(found.stdout)[0]["handle_name"]
    store = Store(make_engine(app.env["TTCM_DATABASE_URL"]))
    with store.write() as conn:
        conn.execute(
            update(m.Creator)
            .where(m.Creator.handle_name == handle)
            .values(display_name=HOSTILE, bio=HOSTILE)
        )
        versions.bump(conn, "creators")
    sign_in(page, app, "manny")

    page.goto(app.url + f"/creator?handle={handle}")
    page.get_by_text("Account metrics").wait_for()
    page.get_by_text(
        "[Your session expired - sign in again](http://evil.example/x)"
    ).first.wait_for()
    _no_markup(page)
    shot(page, "plain-profile-hostile-name")

    page.goto(app.url + "/creator?handle=" + quote(HOSTILE))
    page.get_by_text("Your session expired", exact=False).first.wait_for()
    _no_markup(page)
    shot(page, "plain-profile-hostile-url")

    page.goto(app.url + f"/discovery?q={quote(handle)}")
    page.get_by_text("creator matches").wait_for()
    _no_markup(page)
    shot(page, "plain-discovery-hostile-name")

    for query in ("state=Nowhere&country=US", "aud=MX", "cur=XYZ", "q=ab%00cd",
                  "lang=" + quote(HOSTILE), "label=" + quote(HOSTILE)):  # fmt: skip
        page.goto(app.url + "/discovery?" + query)
        page.get_by_text("This link holds filter values ttcm cannot use").wait_for()
        page.get_by_role("button", name="Clear this filter").first.wait_for()
        _no_markup(page)
    shot(page, "plain-discovery-hostile-url")
    page.get_by_role("button", name="Clear this filter").first.click()
    page.get_by_text("creators match").first.wait_for()
    assert "label=" not in page.url
