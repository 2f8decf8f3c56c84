"""Where ttcm keeps its cache and reads its secrets: the checkout, TTCM_DATA_DIR, or the cwd."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttcm import config
from ttcm.auth.cookie import cookie_key
from ttcm.config import PROJECT_DIR, ConfigError, Settings


def test_from_the_checkout_the_cache_lives_in_its_data_folder(tmp_path: Path) -> None:
    s = Settings.load(env={}, secrets_file=tmp_path / "none.toml")
    assert s.data_dir == PROJECT_DIR / "data"
    assert s.database_url == f"sqlite:///{PROJECT_DIR / 'data' / 'ttcm.db'}"
    assert s.sandbox_state == PROJECT_DIR / "data" / "sandbox_state.json"
    assert config.default_secrets_file() == PROJECT_DIR / ".streamlit" / "secrets.toml"


def test_ttcm_data_dir_moves_database_sandbox_state_and_cookie_key(tmp_path: Path) -> None:
    s = Settings.load(env={"TTCM_DATA_DIR": str(tmp_path / "cache")}, secrets_file=tmp_path / "n")
    assert s.data_dir == tmp_path / "cache"
    assert s.database_url == f"sqlite:///{tmp_path / 'cache' / 'ttcm.db'}"
    assert s.sandbox_state == tmp_path / "cache" / "sandbox_state.json"
    key = cookie_key(s)
    assert (tmp_path / "cache" / "cookie_key").read_text(encoding="utf-8") == key


def test_an_explicit_database_url_wins_over_the_data_dir(tmp_path: Path) -> None:
    env = {"TTCM_DATA_DIR": str(tmp_path), "TTCM_DATABASE_URL": "sqlite:////srv/ttcm.db"}
    assert (
        Settings.load(env=env, secrets_file=tmp_path / "n").database_url == "sqlite:////srv/ttcm.db"
    )


def test_installed_ttcm_uses_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"  # an installed ttcm: no pyproject.toml or app.py beside it
    site.mkdir()
    work = tmp_path / "work"
    (work / ".streamlit").mkdir(parents=True)
    (work / ".streamlit" / "secrets.toml").write_text('TTCM_ACCOUNT_ID = "7"\n', encoding="utf-8")
    monkeypatch.setattr(config, "PROJECT_DIR", site)
    monkeypatch.chdir(work)
    s = Settings.load(env={})
    assert s.account_id == "7"
    assert s.data_dir == work / "data"
    assert s.database_url == f"sqlite:///{work / 'data' / 'ttcm.db'}"
    rel = Settings.load(env={"TTCM_DATABASE_URL": "sqlite:///x.db", "TTCM_DATA_DIR": "cache"})
    assert rel.database_url == f"sqlite:///{work / 'x.db'}" and rel.data_dir == work / "cache"


def test_a_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError, match="TTCM_DATA_DIR must be a folder"):
        Settings.load(env={"TTCM_DATA_DIR": str(tmp_path / "cache")}, secrets_file=tmp_path / "n")
