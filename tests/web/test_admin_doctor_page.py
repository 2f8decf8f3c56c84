"""The admin API-check page: the `ttcm doctor` verdicts, as plain text, for admins only."""

from __future__ import annotations

from tests.builders import signed_in

PAGE = "app_pages/admin_doctor.py"


def test_the_check_lists_every_endpoint_as_expected_on_the_sandbox(people) -> None:
    at = signed_in(people["admin"], PAGE).run()
    assert not at.exception
    [check] = [b for b in at.button if b.label == "Check the API now"]
    check.click().run(timeout=60)
    assert not at.exception
    assert any("Every endpoint answered as expected" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert "discover" in set(table["Endpoint"])
    assert set(table["Verdict"]) <= {"expected", "skipped"}
    assert any("Rate limits:" in t.value for t in at.text)


def test_a_dialect_shows_the_drift(people, monkeypatch) -> None:
    monkeypatch.setenv("TTCM_SANDBOX_DIALECT", "renamed")
    at = signed_in(people["admin"], PAGE).run()
    [check] = [b for b in at.button if b.label == "Check the API now"]
    check.click().run(timeout=60)
    assert any("Not as expected: discover" in e.value for e in at.error)
    table = at.dataframe[0].value
    row = table[table["Endpoint"] == "discover"].iloc[0]
    assert row["Verdict"] == "drift" and "creator_list for creators" in row["Detail"]


def test_a_manager_cannot_open_the_check(people) -> None:
    at = signed_in(people["manager"], PAGE).run()
    assert any("needs the admin role" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Check the API now"]
