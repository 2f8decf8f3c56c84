"""AppTest: Admin › Audit log reads as people expect (issue 11)."""

from __future__ import annotations

from tests.builders import add_campaign, signed_in
from ttcm.store import Store
from ttcm.store.audit import record


def test_the_audit_log_names_the_campaign_and_reads_as_words(people, web_store: Store) -> None:
    pk = add_campaign(web_store, "Spring *launch*")
    with web_store.write() as conn:
        record(conn, "max", "campaign.archive", str(pk), {"campaign_pk": pk}, None)
        record(conn, "max", "signout", "max", None, None)
    at = signed_in(people["admin"], "app_pages/admin_audit.py").run()
    assert not at.exception
    rows = at.dataframe[0].value.to_dict("records")
    archive = next(r for r in rows if r["What"] == "Campaign archived")
    assert archive["On"] == "Spring *launch*"
    assert archive["Detail"] == "Campaign: Spring *launch*"
    signout = next(r for r in rows if r["What"] == "Signed out")
    assert signout["Detail"] == "—" and signout["TikTok request id"] == "—"
    at.text_input[0].input("archiv").run()
    assert [r["What"] for r in at.dataframe[0].value.to_dict("records")] == ["Campaign archived"]
