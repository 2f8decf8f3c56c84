"""In a real browser: an admin runs the API check; a double click runs it once, Back is harmless."""

from __future__ import annotations

from tests.e2e.conftest import App, shot, sign_in


def test_admin_runs_the_api_check(page, app: App) -> None:
    sign_in(page, app, "admin")
    page.goto(app.url + "/admin_doctor")
    button = page.get_by_role("button", name="Check the API now")
    button.wait_for()
    button.dblclick()
    page.get_by_text("Every endpoint answered as expected.").wait_for(timeout=120_000)
    page.get_by_text("Rate limits:").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "api-check")
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="stException"]').count() == 0
