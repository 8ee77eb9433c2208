"""Schema migrations: head matches tables.py, upgrades back up first, strangers are refused."""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import DateTime, Engine, inspect

from ccm_tui.errors import StoreError
from ccm_tui.store import tables
from ccm_tui.store.engine import make_engine, sqlite_url, write_session
from ccm_tui.store.migrate import (
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)

HEAD = head_revision()  # the shipped head, whatever revisions exist
THROWAWAY = "zz_test"  # a revision on top of it, made only in a temp copy


# A throwaway revision on top of the head. recreate="always" makes batch mode copy and drop
# `customer`, the parent of cascading foreign keys: the dangerous case.
def _revision_on_top(then: str = "pass") -> str:
    return f'''
"""Add customer.tier."""

import sqlalchemy as sa
from alembic import op

revision = "{THROWAWAY}"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("customer", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("tier", sa.String(length=16), nullable=False, server_default="standard"))
    {then}


def downgrade():
    with op.batch_alter_table("customer", recreate="always") as batch_op:
        batch_op.drop_column("tier")
'''


ORPHAN_CONTACT = """op.execute(
        "INSERT INTO contact (customer_id, name, roles, phone, email, version) "
        "VALUES (999, 'orphan', '', '', '', 1)"
    )"""


def _scripts_with_throwaway(tmp_path: Path, revision: str | None = None) -> Path:
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "zz_test_customer_tier.py").write_text(revision or _revision_on_top())
    return scripts


def _add_customer_with_contact(engine: Engine) -> None:
    with write_session(engine) as session:
        customer = tables.CustomerRow(
            account_number="A-1",
            name="Acme",
            sort_name="acme",
            region="NA",
            created_at=datetime(2025, 3, 14, 9, 26, 53),
            updated_at=datetime(2025, 3, 14, 9, 26, 53),
        )
        session.add(customer)
        session.flush()
        assert customer.id is not None
        session.add(tables.ContactRow(customer_id=customer.id, name="Wile E.", last_reviewed=date(2025, 1, 2)))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_file_is_upgraded_to_head_without_backup(
    bare_engine: Engine, db_path: Path, backups_dir: Path, now: datetime
) -> None:
    assert current_revision(bare_engine) is None

    result = upgrade(bare_engine, db_path, backups_dir, now)

    assert (result.from_revision, result.to_revision, result.backup) == (None, head_revision(), None)
    assert current_revision(bare_engine) == head_revision() == HEAD
    assert not backups_dir.exists()


def test_head_has_every_table_with_the_same_columns(engine: Engine) -> None:
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) == set(tables.metadata.tables) | {"alembic_version"}
    for name, table in tables.metadata.tables.items():
        assert [c["name"] for c in inspector.get_columns(name)] == [c.name for c in table.columns], name


def test_head_matches_tables_py(engine: Engine) -> None:
    """Fails when tables.py changed without a migration: add one (see migrate.py)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, tables.metadata)
    assert differences == []


def test_datetime_columns_are_naive(engine: Engine) -> None:
    """SQLite cannot tell TIMESTAMP from TIMESTAMPTZ, so compare_metadata misses this one."""
    datetimes = [
        column for table in tables.metadata.tables.values() for column in table.columns if isinstance(column.type, DateTime)
    ]
    assert len(datetimes) == 14  # 9 in 0001, 4 more in 0003-0004, 1 in 0006
    assert [c for c in datetimes if c.type.timezone or type(c.type) is not DateTime] == []


def test_head_has_the_naming_convention_names(engine: Engine) -> None:
    # compare_metadata matches constraints by their columns; later batch
    # migrations on SQLite need the names too.
    inspector = inspect(engine)
    for name, table in tables.metadata.tables.items():
        assert inspector.get_pk_constraint(name)["name"] == table.primary_key.name, name
        assert {fk["name"] for fk in inspector.get_foreign_keys(name)} == {fk.name for fk in table.foreign_key_constraints}, name
        assert {uq["name"] for uq in inspector.get_unique_constraints(name)} == {
            c.name for c in table.constraints if type(c).__name__ == "UniqueConstraint"
        }, name
        # PostgreSQL also lists the index behind each unique constraint, checked just above
        reflected = [ix for ix in inspector.get_indexes(name) if not ix.get("duplicates_constraint")]
        assert {(ix["name"], bool(ix["unique"])) for ix in reflected} == {(ix.name, bool(ix.unique)) for ix in table.indexes}, name


def test_upgrade_at_head_does_nothing(engine: Engine, db_path: Path, backups_dir: Path, now: datetime) -> None:
    before = _sha256(db_path)

    result = upgrade(engine, db_path, backups_dir, now)

    assert (result.from_revision, result.to_revision, result.backup) == (HEAD, HEAD, None)
    assert not result.changed
    assert not backups_dir.exists()
    assert _sha256(db_path) == before


def test_older_revision_is_backed_up_then_upgraded(
    engine: Engine, db_path: Path, backups_dir: Path, tmp_path: Path, now: datetime
) -> None:
    _add_customer_with_contact(engine)
    # The new rows are still in the WAL: a byte copy of the file would miss them.
    assert db_path.with_name("book.sqlite-wal").stat().st_size > 0

    result = upgrade(engine, db_path, backups_dir, now, script_location=_scripts_with_throwaway(tmp_path))

    assert (result.from_revision, result.to_revision) == (HEAD, THROWAWAY)
    assert result.backup == backups_dir / f"book-{HEAD}-20250314T092653.sqlite"
    assert stat.S_IMODE(result.backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups_dir.stat().st_mode) == 0o700
    backup = sqlite3.connect(result.backup)
    try:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert backup.execute("SELECT account_number, name FROM customer").fetchall() == [("A-1", "Acme")]
        assert backup.execute("SELECT name FROM contact").fetchall() == [("Wile E.",)]
        assert "tier" not in {row[1] for row in backup.execute("PRAGMA table_info(customer)")}
        assert backup.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        backup.close()

    assert current_revision(engine) == THROWAWAY
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT account_number, tier FROM customer").all() == [("A-1", "standard")]
        # Rebuilding the parent table must not have cascaded into its children.
        assert connection.exec_driver_sql("SELECT name FROM contact").all() == [("Wile E.",)]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_migration_that_breaks_references_changes_nothing(
    engine: Engine, db_path: Path, backups_dir: Path, tmp_path: Path, now: datetime
) -> None:
    _add_customer_with_contact(engine)
    scripts = _scripts_with_throwaway(tmp_path, _revision_on_top(then=ORPHAN_CONTACT))

    with pytest.raises(StoreError, match="broken references in contact"):
        upgrade(engine, db_path, backups_dir, now, script_location=scripts)

    assert current_revision(engine) == HEAD
    with engine.connect() as connection:
        assert "tier" not in {c["name"] for c in inspect(connection).get_columns("customer")}
        assert connection.exec_driver_sql("SELECT name FROM contact").all() == [("Wile E.",)]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_second_backup_in_the_same_second_gets_its_own_name(
    engine: Engine, db_path: Path, backups_dir: Path, tmp_path: Path, now: datetime
) -> None:
    taken = backups_dir / f"book-{HEAD}-20250314T092653.sqlite"
    backups_dir.mkdir(mode=0o700)
    taken.write_bytes(b"an earlier backup")

    result = upgrade(engine, db_path, backups_dir, now, script_location=_scripts_with_throwaway(tmp_path))

    assert result.backup == backups_dir / f"book-{HEAD}-20250314T092653-1.sqlite"
    assert taken.read_bytes() == b"an earlier backup"


def test_a_database_without_schema_version_is_refused_untouched(tmp_path: Path, backups_dir: Path, now: datetime) -> None:
    stranger = tmp_path / "notes.sqlite"
    with sqlite3.connect(stranger) as connection:
        connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute("INSERT INTO note (body) VALUES ('keep me')")
    connection.close()
    before = _sha256(stranger)
    engine = make_engine(sqlite_url(stranger))
    try:
        with pytest.raises(StoreError, match=r"notes\.sqlite is not a ccm book.*note"):
            upgrade(engine, stranger, backups_dir, now)
    finally:
        engine.dispose()
    assert _sha256(stranger) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, backups_dir: Path, now: datetime) -> None:
    stranger = tmp_path / "book.sqlite"
    stranger.write_text("not a database, just words " * 100)
    engine = make_engine(sqlite_url(stranger))
    try:
        with pytest.raises(StoreError, match=r"book\.sqlite is damaged, or is not a ccm book \(it is not a SQLite database\)"):
            upgrade(engine, stranger, backups_dir, now)
    finally:
        engine.dispose()
    assert stranger.read_text() == "not a database, just words " * 100


def test_a_revision_from_a_newer_ccm_is_refused(engine: Engine, db_path: Path, backups_dir: Path, now: datetime) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")

    with pytest.raises(StoreError, match=r"revision 0099.*newer ccm"):
        upgrade(engine, db_path, backups_dir, now)

    assert current_revision(engine) == "0099"
    assert not backups_dir.exists()


def test_migrations_render_for_postgresql() -> None:
    """Offline SQL for PostgreSQL: portable DDL, no SQLite-only statements."""
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", "postgresql://")
    config.output_buffer = io.StringIO()

    command.upgrade(config, "head", sql=True)

    ddl = config.output_buffer.getvalue()
    assert "CREATE TABLE activation_step" in ddl
    assert "CONSTRAINT fk_activation_ip_letter_contact_id_contact FOREIGN KEY" in ddl
    assert "TIMESTAMP WITHOUT TIME ZONE" in ddl
    assert "PRAGMA" not in ddl.upper()
    assert "AUTOINCREMENT" not in ddl.upper()
