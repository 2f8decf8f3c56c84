"""Home shows how many Spark Ads codes expire within 7 days."""

from __future__ import annotations

from tests.builders import signed_in
from tests.services import board_builders as b
from ttcm.config import Settings
from ttcm.web.context import Services


def test_home_counts_codes_expiring_within_7_days(people, web_store) -> None:
    now = Services(web_store, Settings.load()).now()
    pk = b.campaign(web_store)
    for vid, days in (("1", 2), ("2", 6.5), ("3", 8), ("4", -1)):
        b.post(web_store, vid, "ana", pk)
        b.code(web_store, vid, 0)
        b.set_code_end(web_store, vid, days, now)
    at = signed_in(people["viewer"], "app_pages/home.py").run()
    assert not at.exception
    tiles = {mt.label: mt.value for mt in at.metric}
    assert tiles["Spark Ads codes expiring within 7 days"] == "2"


def test_home_shows_zero_without_codes(people, web_store) -> None:
    at = signed_in(people["viewer"], "app_pages/home.py").run()
    assert {mt.label: mt.value for mt in at.metric}["Spark Ads codes expiring within 7 days"] == "0"
