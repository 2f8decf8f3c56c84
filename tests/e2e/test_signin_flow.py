"""In a real browser: sign in, open every page, sign out, and the back button shows no data."""

from __future__ import annotations

import json

from tests.e2e.conftest import ADMIN_PASSWORD, App, settled, shot, sign_in, wait_for_session_cookie


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
        link = page.locator('[data-testid="stSidebarNav"] a', has_text=name).first
        href = link.get_attribute("href") or ""
        link.click()
        # each page in the browser's history before the next click (a click during the last
        # page's run may replace its entry, and Back would then leave the app)
        page.wait_for_url(lambda url, href=href: url.split("?")[0].rstrip("/") == href.rstrip("/"))
        settled(page)
        page.get_by_text("Signed in as").wait_for()
        assert "error" not in page.locator('[data-testid="stException"]').all_inner_texts()
        assert page.locator('[data-testid="stException"]').count() == 0, name
    shot(page, "signed-in-audit")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    page.get_by_text("You are signed out.").wait_for()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("history.length") > 2  # Back stays in the app: a page before this one
    page.go_back()
    page.wait_for_load_state("networkidle")
    shot(page, "after-sign-out-back")
    page.get_by_role("button", name="Sign in").wait_for()
    # stale elements of the previous run fade out when the new run ends: they must all go
    page.get_by_text("Signed in as").wait_for(state="detached")
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()


def test_viewer_sees_no_admin_pages_and_is_told_which_role_they_need(page, app: App) -> None:
    sign_in(page, app, "vic")
    assert "Users" not in _sidebar_pages(page)
    page.goto(app.url + "/admin_users")
    page.get_by_text("The Users page needs the admin role").wait_for()
    body = page.locator("body").inner_text()
    assert "Signed in as vic" in body and "your role is viewer" in body
    assert "Add a user" not in body and "Page not found" not in body
    shot(page, "viewer-on-users-page")


def test_a_shared_link_opened_signed_out_lands_on_its_page_and_filter_after_sign_in(
    page, app: App
) -> None:
    page.goto(app.url + "/discovery?country=US&fmin=50000")
    page.get_by_role("button", name="Sign in").wait_for()
    page.wait_for_load_state("networkidle")
    body = page.locator("body").inner_text()
    assert "creators match" not in body
    assert "Page not found" not in body and "You have requested page" not in body
    shot(page, "shared-link-signed-out")
    page.get_by_label("User name", exact=True).fill("manny")
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    page.get_by_text("creators match").wait_for()  # Discovery, not Home
    assert "country=US" in page.url and "fmin=50000" in page.url
    assert "/discovery" in page.url
    shot(page, "shared-link-after-sign-in")
    wait_for_session_cookie(page)
    page.goto(app.url + "/discovery?country=US")
    page.get_by_text("creators match").wait_for()  # the cookie brings the session back
    page.reload()
    page.get_by_text("Signed in as").wait_for()


def test_you_are_signed_out_shows_after_sign_out_and_stays(page, app: App) -> None:
    sign_in(page, app, "manny")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out.").wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # the cookie component's own rerun comes after the first paint
    assert "You are signed out." in page.locator("body").inner_text()
    assert not any(c["name"] == "ttcm_session" for c in page.context.cookies())
    assert any(c["name"] == "ttcm_device" for c in page.context.cookies())
    shot(page, "signed-out")


def test_users_page_resets_a_password_without_touching_the_role(page, app: App) -> None:
    sign_in(page, app, "admin")
    page.goto(app.url + "/admin_users")
    page.get_by_text("Change a user").wait_for()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Change a user")
    form.get_by_label("New password (optional)").fill("admin's brand new password")
    form.get_by_role("button", name="Apply").click()
    page.get_by_text("password was reset").wait_for()
    shot(page, "users-page-password-reset")
    listed = app.ttcm("users", "list", "--format", "json")
    roles = {u["username"]: u["role"] for u in json.loads(listed.stdout)}
    assert roles["admin"] == "admin" and roles["manny"] == "manager"
    # the only admin cannot demote themself
    sign_in(page, app, "admin", "admin's brand new password")
    # in-app link: a reload could still carry the revoked cookie of the first session
    page.locator('[data-testid="stSidebarNav"] a', has_text="Users").first.click()
    page.get_by_text("Change a user").wait_for()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Change a user")
    form.locator('[data-testid="stSelectbox"]').filter(has_text="New role").click()
    page.get_by_role("option", name="viewer").click()
    form.get_by_role("button", name="Apply").click()
    page.get_by_text("is the only admin").wait_for()
    shot(page, "users-page-last-admin")
    reset = app.ttcm(
        "users", "reset-password", "admin", "--password-stdin", stdin=ADMIN_PASSWORD + "\n"
    )
    assert reset.returncode == 0, reset.stderr
