"""`ttcm creators saved`: the shared searches (and --user's own) with their new-since counts."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from tests.builders import MANAGER
from ttcm.cli.main import main
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter
from ttcm.services.saved_searches import SavedSearches
from ttcm.store import Store, upgrade, versions
from ttcm.store import models as m
from ttcm.store.upsert import upsert

SAVED_AT = datetime(2026, 11, 1, tzinfo=UTC)
HOSTILE = '=1+1 "US" <b>💄</b>'


@pytest.fixture
def env(monkeypatch, sqlite_url) -> str:
    monkeypatch.setenv("TTCM_DATABASE_URL", sqlite_url)
    store = Store.from_url(sqlite_url)
    upgrade(store.engine)
    rows = [
        {
            "handle_name": h,
            "country_code": c,
            "followers_count": 1000,
            "source": m.API_SOURCE,
            "first_seen_at": seen,
            "fetched_at": seen,
        }
        for h, c, seen in (
            ("old_us", "US", datetime(2026, 10, 1, tzinfo=UTC)),
            ("new_us", "US", datetime(2026, 11, 20, tzinfo=UTC)),
            ("new_gb", "GB", datetime(2026, 11, 20, tzinfo=UTC)),
        )
    ]
    with store.write() as conn:
        upsert(conn, m.Creator.__table__, rows, key=["handle_name"])
        versions.bump(conn, "creators")
    index_cache.forget()
    saved = SavedSearches(store, now=lambda: SAVED_AT)
    saved.save(MANAGER, HOSTILE, CreatorFilter(countries=("US",)), shared=True)
    saved.save(MANAGER, "max only", CreatorFilter(), shared=False)
    store.dispose()
    return sqlite_url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["creators", "saved", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_shared_searches_with_new_since(env: str, capsys) -> None:
    code, out, err = run(capsys, "--format", "json")
    assert (code, err) == (0, "")
    [row] = json.loads(out)
    assert (row["name"], row["owner"], row["shared"]) == (HOSTILE, "max", True)
    assert (row["new_since"], row["query"]) == (1, "country=US")  # new_us, not new_gb


def test_a_user_sees_their_own_too(env: str, capsys) -> None:
    code, out, _ = run(capsys, "--user", "max", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["'" + HOSTILE, "max only"]  # a formula is defused
    assert rows[1]["new_since"] == "2"


def test_table_is_the_default(env: str, capsys) -> None:
    code, out, _ = run(capsys)
    assert code == 0 and "new_since" in out.splitlines()[0]
