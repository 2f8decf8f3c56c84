"""AppTest: Home reads as people expect (issue 11)."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import signed_in
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.timestamps import utcnow


def test_home_names_each_resource_and_says_how_old_it_is(people, web_store: Store) -> None:
    with web_store.write() as conn:
        conn.execute(
            table_of(m.ResourceStatus)
            .insert()
            .values(resource="spark", last_success_at=utcnow() - timedelta(minutes=7))
        )
    at = signed_in(people["viewer"], "app_pages/home.py").run()
    assert not at.exception
    fresh = at.dataframe[0].value
    rows = dict(zip(fresh["Data"], fresh["Age"], strict=True))
    assert rows["Spark Ads codes"] == "7 minutes ago"
    assert rows["Creators"] == "never"
    assert "spark" not in set(fresh["Data"])
    assert set(fresh["Last error"]) == {"none"}
