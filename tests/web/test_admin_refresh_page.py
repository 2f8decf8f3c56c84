"""The admin Refresh page: starts a refresh off the page's thread and reports how it went."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.builders import signed_in
from ttcm.config import Settings
from ttcm.refresh.jobs import RefreshJobs
from ttcm.runtime import make_client
from ttcm.store import models as m

PAGE = "app_pages/admin_refresh.py"


def test_refresh_now_runs_in_the_background_and_reports(people, web_store) -> None:
    at = signed_in(people["admin"], PAGE).run()
    assert not at.exception
    [start] = [b for b in at.button if b.label == "Refresh now"]
    start.click().run()
    jobs = RefreshJobs.shared(web_store, lambda: make_client(Settings.load()))
    jobs.wait(120)
    at.run()
    state = jobs.state()
    assert state.report is not None and state.report.status == "ok", state.error
    assert any(f"Run {state.report.run_id} ok" in s.value for s in at.success)
    with web_store.read() as conn:
        assert conn.execute(select(func.count()).select_from(m.Creator)).scalar_one() > 0
        actions = list(conn.execute(select(m.AuditEntry.action, m.AuditEntry.actor)))
    assert ("refresh.start", "ada") in actions and ("refresh", "ada") in actions


def test_a_manager_cannot_open_the_refresh_page(people) -> None:
    at = signed_in(people["manager"], PAGE).run()
    assert any("needs the admin role" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Refresh now"]
