"""AppTest: Invitations reads as people expect (issue 11)."""

from __future__ import annotations

from tests.builders import signed_in
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.timestamps import utcnow


def test_invitations_show_states_by_name_and_no_raw_none(people, web_store: Store) -> None:
    now = utcnow()
    with web_store.write() as conn:
        conn.execute(
            table_of(m.Invitation).insert(),
            [
                {"handle_name": "ana", "state": "INVITED", "reason": None, "request_id": None,
                 "invited_by": "max", "invited_at": now, "decided_at": None, "updated_at": now},
                {"handle_name": "bo", "state": "REJECTED", "reason": "under 18",
                 "request_id": "r-1", "invited_by": None, "invited_at": now,
                 "decided_at": now, "updated_at": now},
            ],
        )  # fmt: skip
    at = signed_in(people["viewer"], "app_pages/invitations.py").run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert set(table["State"]) == {"Invited", "Rejected"}
    by_handle = {r["Handle"]: r for r in table.to_dict("records")}
    assert by_handle["ana"]["Reason"] == "—" and by_handle["ana"]["Decided (UTC)"] == "—"
    assert by_handle["bo"]["Reason"] == "under 18" and by_handle["bo"]["Invited by"] == "—"
    cells = {str(v) for row in table.to_dict("records") for v in row.values()}
    assert not cells & {"None", "nan", "INVITED", "REJECTED", "NaT"}
