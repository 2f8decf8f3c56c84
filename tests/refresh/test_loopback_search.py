"""Against a loopback `ttcm sandbox serve`: refresh, then search returns what the API would."""

from __future__ import annotations

import json
import subprocess

import httpx

from tests.refresh.conftest import BIN, TOKEN, cli_env, loopback_sandbox


def _ttcm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "ttcm"), *args], env=env, capture_output=True, text=True, timeout=300
    )


def _api_top(base: str, country: str, min_followers: int, n: int) -> list[tuple[str, int]]:
    """The API's own answer: discover sorted by followers, largest first."""
    params = {
        "tto_tcm_account_id": "7000000000000000007",
        "country_codes": json.dumps([country]),
        "min_followers": str(min_followers),
        "sort_field": "FOLLOWERS",
        "sort_order": "DESC",
        "page": "1",
        "page_size": str(n),
    }
    answer = httpx.get(
        f"{base}/open_api/v1.3/tto/tcm/creator/discover/",
        params=params,
        headers={"Access-Token": TOKEN},
        timeout=30,
    ).json()
    assert answer["code"] == 0, answer
    return [(c["handle_name"], c["followers_count"]) for c in answer["data"]["creators"]]


def test_refresh_then_search_returns_what_the_api_would(sqlite_url: str) -> None:
    with loopback_sandbox("--creators", "2500", "--seed", "9", "--qps", "1000") as base:
        env = cli_env(sqlite_url, base)
        done = _ttcm(env, "refresh", "--resources", "creators")
        assert done.returncode == 0, done.stderr
        for country, min_followers in (("US", 0), ("GB", 20_000), ("BR", 50_000)):
            api = _api_top(base, country, max(min_followers, 100), 50)
            out = _ttcm(
                env,
                "creators",
                "search",
                "--country",
                country,
                "--min-followers",
                str(min_followers),
                "--tcm",
                "yes",
                "--sort",
                "followers",
                "--limit",
                "50",
                "--format",
                "json",
            )
            assert out.returncode == 0, out.stderr
            ours = [(r["handle_name"], r["followers_count"]) for r in json.loads(out.stdout)]
            assert sorted(ours) == sorted(api)
            assert [f for _, f in ours] == sorted((f for _, f in ours), reverse=True)


def test_cli_errors_are_one_line(sqlite_url: str) -> None:
    env = cli_env(sqlite_url, "http://127.0.0.1:9")  # nothing listens there
    bad = _ttcm(env, "creators", "search", "--country", "XX")
    assert bad.returncode == 2  # a usage error: argparse names the flag on the last line
    assert bad.stderr.strip().splitlines()[-1].endswith("unknown country code 'XX'")
    er = _ttcm(env, "creators", "search", "--min-er", "150%")
    assert er.returncode == 2 and "a rate is between 0 and 1" in er.stderr
    down = _ttcm(env, "refresh", "--resources", "creators")
    assert down.returncode == 1
    assert len(down.stderr.strip().splitlines()) == 1 and TOKEN not in down.stderr
