"""The Spark Ads board page under AppTest: the table, filters, CSV, extend form, roles."""

from __future__ import annotations

import pytest

from tests.builders import signed_in
from tests.services import board_builders as b
from ttcm.config import Settings
from ttcm.web.context import Services

PAGE = "app_pages/spark_board.py"
HOSTILE = "<img src=x onerror=alert(1)> **bold** [l](http://e.vil) :red[x] $y$ 🎉"


@pytest.fixture
def seeded(web_store) -> dict[str, str]:
    now = Services(web_store, Settings.load()).now()
    pk = b.campaign(web_store, "Spring")
    for vid, handle, days in (("11", "ana", 3), ("12", HOSTILE, 12), ("13", "cat", 50)):
        b.post(web_store, vid, handle, pk)
        b.code(web_store, vid, 0)
        b.set_code_end(web_store, vid, days, now)
    return {"soon": "11"}


def test_everyone_sees_every_code_soonest_first(people, seeded) -> None:
    at = signed_in(people["viewer"], PAGE).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["Video id"]) == ["11", "12", "13"]
    assert list(frame["Days left"]) == [3, 12, 50]
    assert frame["Creator"][1] == f"@{HOSTILE}"  # a dataframe cell is plain text
    assert [bt.label for bt in at.button] == []  # a viewer gets no extend form
    assert "Extending codes needs the manager role." in [c.value for c in at.caption]


def test_the_window_filter_narrows_the_table(people, seeded) -> None:
    at = signed_in(people["viewer"], PAGE).run()
    at.selectbox(key="board_window").set_value(14).run()
    assert list(at.dataframe[0].value["Video id"]) == ["11", "12"]
    at.multiselect(key="board_status").set_value(["EXPIRED"]).run()
    assert at.dataframe[0].value.empty
    assert "0 codes, the soonest to end first." in [c.value for c in at.caption]


def test_a_manager_must_choose_a_code_before_extending(people, seeded) -> None:
    at = signed_in(people["manager"], PAGE).run()
    picker = at.multiselect[1]
    assert picker.label == "Codes to extend" and len(picker.options) == 3
    assert HOSTILE in picker.options[1]  # option labels are shown as plain text
    extend = at.button[0]
    assert extend.label == "Extend" and extend.disabled  # nothing chosen: nothing to send
    assert extend.help == "Choose at least one code to extend."
    assert "Choose the codes to extend above; the button then sends them." in [
        c.value for c in at.caption
    ]
    picker.set_value([seeded["soon"]]).run()
    assert not at.button[0].disabled and not at.button[0].help
    assert "Extend sends 1 code, each at most once a day." in [c.value for c in at.caption]
    picker.set_value([]).run()
    assert at.button[0].disabled


def test_no_codes_shows_an_empty_board(people, web_store) -> None:
    at = signed_in(people["viewer"], PAGE).run()
    assert not at.exception and at.dataframe[0].value.empty
