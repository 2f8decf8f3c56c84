"""Migrations, engine settings and the integrity check."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from ttcm.store import Store, check, ensure_schema, upgrade
from ttcm.store.migrate import current_revision, head_revision
from ttcm.store.models import Base


def test_migrations_build_exactly_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # the text index (FTS5 / pg_trgm) is created by the migration, not by the models
    text_index = ("creators_fts", "ix_creators_text_trgm")
    assert [d for d in diff if not any(name in str(d) for name in text_index)] == []


def test_upgrade_is_idempotent_and_at_head(store: Store) -> None:
    assert current_revision(store.engine) == head_revision()
    upgrade(store.engine)
    ensure_schema(store.engine)
    assert current_revision(store.engine) == head_revision()


def test_check_reports_counts_and_passes_on_a_fresh_store(store: Store) -> None:
    report = check(store.engine)
    assert report.ok, report.problems
    assert report.counts["creators"] == 0
    assert set(report.counts) == {t.name for t in Base.metadata.sorted_tables}


def test_check_flags_an_unmigrated_database(sqlite_url: str) -> None:
    st = Store.from_url(sqlite_url)
    report = check(st.engine)
    assert not report.ok
    assert any("schema at nothing" in p for p in report.problems)


def test_sqlite_pragmas(sqlite_store: Store) -> None:
    with sqlite_store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_sqlite_write_transactions_take_the_lock_up_front(sqlite_store: Store) -> None:
    with sqlite_store.write() as conn:
        # inside BEGIN IMMEDIATE another writer cannot start, even before we wrote anything
        other = sqlite_store.engine.raw_connection()
        try:
            other.driver_connection.execute("PRAGMA busy_timeout=0")
            try:
                other.driver_connection.execute("BEGIN IMMEDIATE")
            except Exception as exc:  # sqlite3.OperationalError: database is locked
                assert "locked" in str(exc)
            else:
                raise AssertionError("a second writer got the lock")
        finally:
            other.close()
        conn.execute(text("SELECT 1"))


def test_sqlite_readers_are_not_blocked_by_a_writer(sqlite_store: Store) -> None:
    with sqlite_store.write() as conn:
        conn.execute(
            text(
                "INSERT INTO labels (label_id, label_type, label_name) VALUES ('1', 'content', 'x')"
            )
        )
        with sqlite_store.read() as reader:
            # the uncommitted row is invisible and the read does not wait
            assert reader.execute(text("SELECT COUNT(*) FROM labels")).scalar() == 0
    with sqlite_store.read() as reader:
        assert reader.execute(text("SELECT COUNT(*) FROM labels")).scalar() == 1


def test_a_database_at_0001_holds_every_initial_table_and_upgrades(store_url: str) -> None:
    """0001 was split in two revisions (0000, 0001): a database at 0001 has both parts."""
    st = Store.from_url(store_url)
    try:
        upgrade(st.engine, "0000")
        first = set(inspect(st.engine).get_table_names()) - {"alembic_version"}
        assert first and "creators" in first and "orders" not in first
        upgrade(st.engine, "0001")
        initial = set(inspect(st.engine).get_table_names())
        assert {"orders", "posts", "post_daily"} <= initial
        assert upgrade(st.engine) == head_revision()
        assert check(st.engine).ok
    finally:
        st.dispose()
