"""The `ttcm` command line: exit codes, one-line errors, no secret ever printed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from sqlalchemy import select

from tests.builders.cli import ttcm
from ttcm.store import Store
from ttcm.store import models as m

PASSWORD = "correct horse battery staple"
TOKEN = "tok-SECRET-cli-test"


def test_db_upgrade_then_check(sqlite_url: str) -> None:
    up = ttcm(sqlite_url, "db", "upgrade")
    assert up.returncode == 0 and "schema at revision" in up.stdout
    check = ttcm(sqlite_url, "db", "check")
    assert check.returncode == 0 and "integrity check passed" in check.stdout
    assert "creators" in check.stdout


def test_db_check_fails_on_a_corrupt_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    done = ttcm(f"sqlite:///{bad}", "db", "check")
    assert done.returncode != 0
    assert done.stderr.strip() == "ttcm: database error: file is not a database"


def add_user(url: str, name: str, role: str) -> subprocess.CompletedProcess[str]:
    """`ttcm users add NAME --role ROLE` with the test password on stdin."""
    return ttcm(
        url, "users", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n"
    )


def test_users_commands(sqlite_url: str) -> None:
    added = add_user(sqlite_url, "Ops", "admin")
    assert added.returncode == 0, added.stderr
    dup = add_user(sqlite_url, "ops", "viewer")
    assert dup.returncode == 1 and dup.stderr.strip() == "ttcm: User 'ops' already exists."
    short = ttcm(
        sqlite_url, "users", "add", "eve", "--role", "viewer", "--password-stdin", stdin="short\n"
    )
    assert short.returncode == 1 and "at least 12" in short.stderr
    last = ttcm(sqlite_url, "users", "set-role", "ops", "--role", "viewer")
    assert last.returncode == 1
    assert last.stderr.strip() == (
        "ttcm: 'ops' is the only admin; make another user admin before you make them viewer."
    )
    assert ttcm(sqlite_url, "users", "remove", "ops").returncode == 1
    second = add_user(sqlite_url, "boss", "admin")
    assert second.returncode == 0, second.stderr
    role = ttcm(sqlite_url, "users", "set-role", "ops", "--role", "viewer")
    assert role.returncode == 0 and "sessions have ended" in role.stdout
    reset = ttcm(
        sqlite_url,
        "users",
        "reset-password",
        "ops",
        "--password-stdin",
        stdin="a brand new password\n",
    )
    assert reset.returncode == 0, reset.stderr
    listed = ttcm(sqlite_url, "users", "list", "--format", "json")
    users = json.loads(listed.stdout)
    assert [(u["username"], u["role"]) for u in users] == [("boss", "admin"), ("ops", "viewer")]
    assert "only admin" in ttcm(sqlite_url, "users", "remove", "boss").stderr
    for out in (added, dup, short, role, listed):
        assert PASSWORD not in out.stdout + out.stderr
        assert "$2b$" not in out.stdout + out.stderr  # no hash either
    gone = ttcm(sqlite_url, "users", "remove", "ops")
    assert gone.returncode == 0
    again = ttcm(sqlite_url, "users", "remove", "ops")
    assert again.returncode == 1 and again.stderr.strip() == "ttcm: There is no user 'ops'."


def test_purge_legacy_reports_counts_and_keeps_team_records(sqlite_url: str) -> None:
    ttcm(sqlite_url, "db", "upgrade")
    store = Store.from_url(sqlite_url)
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    with store.write() as conn:
        for handle, source in (
            ("api_one", m.API_SOURCE),
            ("scraped", "scraper"),
            ("csv", "csv_import"),
        ):
            conn.execute(
                m.Creator.__table__.insert().values(
                    handle_name=handle, source=source, first_seen_at=now, fetched_at=now
                )
            )
        sid = conn.execute(
            m.Shortlist.__table__.insert()
            .values(name="keep", created_at=now)
            .returning(m.Shortlist.id)
        ).scalar_one()
        conn.execute(
            m.ShortlistMember.__table__.insert().values(
                shortlist_id=sid, handle_name="scraped", added_at=now
            )
        )
    done = ttcm(sqlite_url, "purge-legacy")
    assert done.returncode == 0
    assert "purged 2 rows" in done.stdout
    with store.read() as conn:
        assert list(conn.execute(select(m.Creator.handle_name)).scalars()) == ["api_one"]
        assert conn.execute(select(m.ShortlistMember.handle_name)).scalar_one() == "scraped"
        assert conn.execute(select(m.AuditEntry.action)).scalars().all() == ["purge"]


def test_bad_settings_are_one_line_and_never_echo_the_token(sqlite_url: str) -> None:
    done = ttcm(sqlite_url, "refresh", TTCM_API_BASE="ftp://nope", TTCM_ACCESS_TOKEN=TOKEN)
    assert done.returncode == 1
    assert done.stderr.strip() == "ttcm: TTCM_API_BASE must be 'sandbox' or an http(s) URL"
    bad = ttcm(
        sqlite_url,
        "refresh",
        TTCM_API_BASE="http://127.0.0.1:9/open_api/v1.3",
        TTCM_ACCESS_TOKEN=TOKEN,
    )
    assert bad.returncode == 1 and TOKEN not in bad.stdout + bad.stderr
