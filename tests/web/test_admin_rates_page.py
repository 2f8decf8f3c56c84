"""AppTest: Admin › Exchange rates — admins set dated rates and the team currency."""

from __future__ import annotations

import pytest

from tests.builders import as_read, signed_in
from ttcm.services.audit import entries
from ttcm.services.exchange_rates import effective_rates, team_currency, today

PAGE = "app_pages/admin_rates.py"


def _form_field(at, label: str):
    [field] = [t for t in at.text_input if t.label.startswith(label)]
    return field


def _save(at):
    [button] = [b for b in at.button if b.label == "Save rate"]
    return button.click().run()


def test_only_admins_open_the_page(people) -> None:
    for who in ("manager", "viewer"):
        at = signed_in(people[who], PAGE).run()
        assert any("needs the admin role" in as_read(e.value) for e in at.error)
        assert not at.dataframe


def test_admin_sees_the_rates_in_force_and_sets_one(people, web_store) -> None:
    at = signed_in(people["admin"], PAGE).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert {"USD", "EUR", "IDR", "VND"} <= set(table["currency"])
    _form_field(at, "Currency").input("vnd")
    _form_field(at, "Units per US dollar").input("25,500")
    at = _save(at)
    assert not at.exception
    assert any("1 USD = 25,500 VND" in as_read(s.value) for s in at.success)
    assert effective_rates(web_store).rate("VND", today()).per_usd == 25_500
    assert [e["action"] for e in entries(web_store, people["admin"], action="rates.set")] == [
        "rates.set"
    ]


@pytest.mark.parametrize(
    ("currency", "rate", "message"),
    [
        ("", "100", "three-letter code"),
        ("<b>X</b>", "100", "three-letter code"),
        ("EUR", "", "Enter how many units"),
        ("EUR", "=1+1", "Not a number"),
        ("EUR", "0.9€", "Not a number"),
        ("EUR", "-1", "more than 0"),
        ("EUR", "0", "more than 0"),
        ("EUR", "1" + "0" * 30, "not plausible"),
        ("EUR", "🎯", "Not a number"),
    ],
)
def test_bad_input_is_named_next_to_the_field_and_saves_nothing(
    people, web_store, currency: str, rate: str, message: str
) -> None:
    at = signed_in(people["admin"], PAGE).run()
    _form_field(at, "Currency").input(currency)
    _form_field(at, "Units per US dollar").input(rate)
    at = _save(at)
    assert not at.exception
    assert any(message in as_read(e.value) for e in at.error), [e.value for e in at.error]
    assert not at.success
    assert entries(web_store, people["admin"], action="rates.set") == []


def test_admin_changes_the_team_currency(people, web_store) -> None:
    at = signed_in(people["admin"], PAGE).run()
    at.selectbox[0].select("EUR")
    [save] = [b for b in at.button if b.label == "Save team currency"]
    at = save.click().run()
    assert any("Team currency is now EUR" in as_read(s.value) for s in at.success)
    assert team_currency(web_store) == "EUR"
    labels = list(at.dataframe[0].value.columns)
    assert "one_unit_in_team_currency" in labels
