"""Settings: environment first, then secrets.toml, then defaults; bad values are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttcm.config import PROJECT_DIR, ConfigError, Settings

TOKEN = "tok-SECRET-config-test"


def test_defaults_are_the_offline_sandbox(tmp_path: Path) -> None:
    s = Settings.load(env={}, secrets_file=tmp_path / "none.toml")
    assert s.is_sandbox and s.qps == 10 and s.sandbox_creators == 5000
    assert s.database_url == f"sqlite:///{PROJECT_DIR / 'data' / 'ttcm.db'}"


def test_environment_wins_over_secrets(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('TTCM_QPS = 5\nTTCM_ACCOUNT_ID = "111"\n')
    s = Settings.load(env={"TTCM_QPS": "7"}, secrets_file=secrets)
    assert s.qps == 7 and s.account_id == "111"


def test_relative_sqlite_paths_are_relative_to_the_project(tmp_path: Path) -> None:
    s = Settings.load(env={"TTCM_DATABASE_URL": "sqlite:///data/x.db"}, secrets_file=tmp_path / "n")
    assert s.database_url == f"sqlite:///{PROJECT_DIR / 'data' / 'x.db'}"
    pg = "postgresql+psycopg://u@h/db"
    assert (
        Settings.load(env={"TTCM_DATABASE_URL": pg}, secrets_file=tmp_path / "n").database_url == pg
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TTCM_QPS": "fast"}, "TTCM_QPS must be a number"),
        ({"TTCM_QPS": "0"}, "TTCM_QPS must be positive"),
        ({"TTCM_SANDBOX_CREATORS": "-5"}, "must be positive"),
        ({"TTCM_API_BASE": "ftp://x"}, "must be 'sandbox' or an http"),
        ({"TTCM_API_BASE": "https://business-api.tiktok.com/open_api/v1.3"}, "TOKEN is required"),
    ],
)
def test_bad_values_are_refused(env: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load(env=env, secrets_file=tmp_path / "none.toml")


def test_broken_secrets_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "secrets.toml"
    bad.write_text("TTCM_QPS = = 5")
    with pytest.raises(ConfigError, match="secrets.toml is not valid TOML"):
        Settings.load(env={}, secrets_file=bad)


def test_token_never_in_repr(tmp_path: Path) -> None:
    s = Settings.load(
        env={"TTCM_API_BASE": "https://api.example/open_api/v1.3", "TTCM_ACCESS_TOKEN": TOKEN},
        secrets_file=tmp_path / "none.toml",
    )
    assert s.access_token == TOKEN and not s.is_sandbox
    assert TOKEN not in repr(s) and TOKEN not in str(s)


@pytest.mark.parametrize(
    ("raw", "kept"), [(None, None), ("all", None), (" ALL ", None), ("90", 90), ("1", 1)]
)
def test_snapshot_retention_keeps_every_day_unless_set(
    raw: str | None, kept: int | None, tmp_path: Path
) -> None:
    env = {} if raw is None else {"TTCM_SNAPSHOT_RETENTION_DAYS": raw}
    assert Settings.load(env=env, secrets_file=tmp_path / "n").snapshot_retention_days == kept


@pytest.mark.parametrize(
    "raw", ["0", "-3", "1.5", "ninety", "=1+1", "９０", "²", "36501", "9" * 400, "30 days"]
)
def test_a_bad_snapshot_retention_is_refused_by_name(raw: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TTCM_SNAPSHOT_RETENTION_DAYS must be a whole number"):
        Settings.load(env={"TTCM_SNAPSHOT_RETENTION_DAYS": raw}, secrets_file=tmp_path / "n")
