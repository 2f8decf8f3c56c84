"""Junk settings and arguments: one line on stderr, exit non-zero, nothing created (issue 12.12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders.cli import ttcm
from ttcm.api.redact import redact, register_secret
from ttcm.config import ConfigError, Settings


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TTCM_QPS": "nan"}, "TTCM_QPS must be a finite number"),
        ({"TTCM_QPS": "inf"}, "TTCM_QPS must be a finite number"),
        ({"TTCM_QPS": "-inf"}, "TTCM_QPS must be a finite number"),
        ({"TTCM_QPS": "1e999"}, "TTCM_QPS must be a finite number"),
        ({"TTCM_DATABASE_URL": "mysql://root:pw@db/ttcm"}, "must be sqlite:///PATH or postgres"),
        ({"TTCM_DATABASE_URL": "ttcm.db"}, "must be sqlite:///PATH or postgres"),
        ({"TTCM_DATABASE_URL": "sqlite://"}, "must be sqlite:///PATH or postgres"),
        ({"TTCM_SANDBOX_DIALECT": "renamed,<b>x</b>"}, "unknown dialect '<b>x</b>'"),
    ],
)
def test_junk_settings_are_refused(env: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load(env=env, secrets_file=tmp_path / "none.toml")


def test_database_url_error_never_echoes_its_password(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load(
            env={"TTCM_DATABASE_URL": "mysql://root:hunter2secret@db/ttcm"},
            secrets_file=tmp_path / "none.toml",
        )
    assert "hunter2" not in str(info.value) and "'mysql'" in str(info.value)


def _one_line_failure(done, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 or done.returncode == 2, done.stderr  # argparse adds a usage line
    for needle in needles:
        assert needle in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"TTCM_QPS": "nan"}, "TTCM_QPS must be a finite number"),
        ({"TTCM_QPS": "inf"}, "TTCM_QPS must be a finite number"),
    ],
)
def test_cli_refuses_junk_qps_in_one_line(
    sqlite_url: str, env: dict[str, str], needle: str
) -> None:
    _one_line_failure(ttcm(sqlite_url, "db", "check", **env), needle)


def test_cli_refuses_a_mysql_url_in_one_line() -> None:
    done = ttcm("mysql://root:pw@localhost/ttcm", "db", "check")
    _one_line_failure(done, "TTCM_DATABASE_URL must be sqlite")
    assert "pw@" not in done.stderr


def test_db_check_on_a_mistyped_path_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "tpyo" / "deeper" / "ttcm.db"
    done = ttcm(f"sqlite:///{missing}", "db", "check")
    _one_line_failure(done, "no store at", "ttcm db upgrade")
    assert not (tmp_path / "tpyo").exists()


def test_db_check_on_a_missing_file_in_an_existing_folder_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "ttcm.db"
    _one_line_failure(ttcm(f"sqlite:///{missing}", "db", "check"), "no store at")
    assert list(tmp_path.iterdir()) == []


def test_db_upgrade_says_it_creates_a_new_store(tmp_path: Path) -> None:
    new = tmp_path / "fresh" / "ttcm.db"
    done = ttcm(f"sqlite:///{new}", "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert f"creating a new store at {new}" in done.stderr
    again = ttcm(f"sqlite:///{new}", "db", "upgrade")
    assert again.returncode == 0 and "creating" not in again.stderr


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_refresh_with_empty_resources_refreshes_nothing(sqlite_url: str, value: str) -> None:
    done = ttcm(sqlite_url, "refresh", "--resources", value)
    assert done.returncode == 2
    assert "name at least one of creators,campaigns" in done.stderr
    assert "refresh run" not in done.stdout


def test_refresh_with_an_unknown_resource_is_refused_before_any_request(sqlite_url: str) -> None:
    done = ttcm(sqlite_url, "refresh", "--resources", "creators,<b>x</b>")
    assert done.returncode == 2 and "unknown resource '<b>x</b>'" in done.stderr


@pytest.mark.parametrize("value", ["XYZ", "usd;=1+1", "", "💸", "1e309"])
def test_search_refuses_an_unknown_currency(sqlite_url: str, value: str) -> None:
    done = ttcm(sqlite_url, "creators", "search", "--currency", value)
    assert done.returncode == 2
    assert "unknown currency" in done.stderr and "Traceback" not in done.stderr


def test_search_accepts_a_known_currency_in_any_case(sqlite_url: str) -> None:
    assert ttcm(sqlite_url, "db", "upgrade").returncode == 0
    done = ttcm(sqlite_url, "creators", "search", "--currency", "usd", "--format", "json")
    assert done.returncode == 0, done.stderr


def test_a_truncated_token_prefix_is_redacted() -> None:
    token = "tok-fragment-7f3a9c2e1b5d8f60"
    register_secret(token)
    echoed = f"Token {token[:12]}… is invalid; tail {token[-9:]}; whole {token}"
    clean = redact(echoed)
    assert token[:12] not in clean and token[-9:] not in clean and token not in clean
    for i in range(len(token) - 7):
        assert token[i : i + 8] not in clean
    assert clean.startswith("Token ***") and "is invalid" in clean


def test_short_ordinary_words_are_not_masked() -> None:
    register_secret("tok-abcdefgh-12345678")
    assert redact("tok- abc 1234567 refresh run ok") == "tok- abc 1234567 refresh run ok"
