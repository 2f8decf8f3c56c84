"""In a real browser: sign in, open every page, sign out, and the back button shows no data."""

from __future__ import annotations

from tests.e2e.conftest import App, shot, sign_in


def _sidebar_pages(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    return [
        links.nth(i).inner_text().strip().splitlines()[-1].strip() for i in range(links.count())
    ]


def test_anonymous_visit_to_any_url_shows_only_the_sign_in_form(page, app: App) -> None:
    for path in ("", "/admin_users", "/admin_audit", "/admin_refresh", "/nonexistent"):
        page.goto(app.url + path)
        page.get_by_role("button", name="Sign in").wait_for()
        body = page.locator("body").inner_text()
        assert "Cached data" not in body and "Audit log" not in body
        assert page.locator('[data-testid="stDataFrame"]').count() == 0


def test_sign_in_every_page_sign_out_back_button(page, app: App) -> None:
    sign_in(page, app, "admin")
    names = _sidebar_pages(page)
    assert {"Home", "Refresh", "Users", "Audit log"} <= set(names)
    for name in names:
        page.locator('[data-testid="stSidebarNav"] a', has_text=name).first.click()
        page.wait_for_load_state("networkidle")
        page.get_by_text("Signed in as").wait_for()
        assert "error" not in page.locator('[data-testid="stException"]').all_inner_texts()
        assert page.locator('[data-testid="stException"]').count() == 0, name
    shot(page, "signed-in-audit")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    page.go_back()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Sign in").wait_for()
    # stale elements of the previous run fade out when the new run ends: they must all go
    page.get_by_text("Signed in as").wait_for(state="detached")
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()


def test_viewer_sees_no_admin_pages(page, app: App) -> None:
    sign_in(page, app, "vic")
    assert _sidebar_pages(page) == [] or "Users" not in _sidebar_pages(page)
    page.goto(app.url + "/admin_users")
    page.get_by_text("Signed in as").wait_for()
    assert "Add a user" not in page.locator("body").inner_text()


def test_a_page_url_shows_no_data_before_sign_in_and_the_session_survives_a_reload(
    page, app: App
) -> None:
    page.goto(app.url + "/discovery?country=US")
    page.get_by_role("button", name="Sign in").wait_for()
    assert "creators match" not in page.locator("body").inner_text()
    page.keyboard.press("Escape")  # Streamlit's "page not found" notice for a signed-out link
    page.wait_for_timeout(500)
    page.get_by_label("User name", exact=True).fill("manny")
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    page.wait_for_timeout(1500)  # the session cookie is written by the signed-in run
    page.goto(app.url + "/discovery?country=US")
    page.get_by_text("creators match").wait_for()  # the cookie brings the session back
    page.reload()
    page.get_by_text("Signed in as").wait_for()
