"""`ttcm creators search` returns the Discovery page's rows in the page's order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders.creators import PRICED, VIEWER, load, make_creators
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter
from ttcm.services.discovery.search import Discovery

BIN = Path(sys.executable).parent

CASES = [
    (
        CreatorFilter(countries=("US", "GB"), min_er=0.02, sort="median_views"),
        ["--country", "US,GB", "--min-er", "2%", "--sort", "median_views"],
    ),
    (
        CreatorFilter(
            min_followers=20_000,
            max_followers=2_000_000,
            labels=("Beauty Tutorials & Tips",),
            descending=False,
        ),
        [
            "--min-followers",
            "20000",
            "--max-followers",
            "2000000",
            "--label",
            "Beauty Tutorials & Tips",
            "--asc",
        ],
    ),
    (
        CreatorFilter(tcm=False, eligible=True, languages=("en", "es")),
        ["--tcm", "no", "--eligible", "yes", "--language", "en,es"],
    ),
    (
        CreatorFilter(query="mira", gender_skew="FEMALE_50", sort="price"),
        ["--query", "mira", "--gender-skew", "female_50", "--sort", "price"],
    ),
]


@pytest.mark.parametrize(("f", "args"), CASES)
def test_cli_and_page_agree(sqlite_store, sqlite_url, f: CreatorFilter, args: list[str]) -> None:
    index_cache.forget()
    load(sqlite_store, make_creators(300, seed=13))
    env = {**os.environ, "TTCM_DATABASE_URL": sqlite_url}
    out = subprocess.run(
        [str(BIN / "ttcm"), "creators", "search", *args, "--limit", "40", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    page = [r["handle_name"] for r in Discovery(sqlite_store).search(VIEWER, f, limit=40).rows]
    assert [r["handle_name"] for r in json.loads(out.stdout)] == page


def test_cli_sorts_prices_in_the_team_currency(sqlite_store, sqlite_url) -> None:
    index_cache.forget()
    load(sqlite_store, PRICED)
    env = {**os.environ, "TTCM_DATABASE_URL": sqlite_url}
    out = subprocess.run(
        [str(BIN / "ttcm"), "creators", "search", "--sort", "price", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(out.stdout)
    assert [r["handle_name"] for r in rows][:3] == ["eur_top", "vnd_big", "usd_mid"]
    assert rows[1]["creator_price"] == 291_091_000
    assert rows[1]["currency"] == "VND"
    assert rows[1]["team_currency"] == "USD"
    assert rows[1]["team_price"] == pytest.approx(11_068.1, abs=0.1)
