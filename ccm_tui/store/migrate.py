"""Bring a book's schema up to this ccm's head revision, backing it up first.

There is no alembic.ini: the Alembic config is built here, pointing at the
`migrations` folder that ships inside the package, and the migration runs on
ccm's own engine (its pragmas, its write lock). Alembic is slow to import, so
it is imported inside the functions that need it, not at startup.

To add a revision after changing `tables.py`:
`python -m ccm_tui.store.migrate "what changed"`, then tidy the file by hand.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import DatabaseError

from ccm_tui.locations import ensure_private_dir
from ccm_tui.store.engine import _WRITE_OPTION, make_engine, sqlite_url
from ccm_tui.store.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config(script_location: Path | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    # The ini parser interpolates %, so a path holding one must escape it.
    config.set_main_option("script_location", str(script_location or MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def head_revision(script_location: Path | None = None) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
    if head is None:
        raise StoreError(f"no migrations found in {script_location or MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(
    engine: Engine,
    db_path: Path | None,
    backups_dir: Path,
    now: datetime,
    *,
    script_location: Path | None = None,
) -> MigrationResult:
    """Upgrade to head: nothing if there already, a backup first if an older revision.

    `db_path` is the SQLite file behind `engine` (None for a server database,
    which gets no backup: that is its administrator's job). Refuses, touching
    nothing, a database that is not a ccm book or was made by a newer ccm.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config(script_location)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    if head is None:
        raise StoreError(f"no migrations found in {script_location or MIGRATIONS_DIR}")
    where = str(db_path) if db_path else engine.url.render_as_string(hide_password=True)
    is_sqlite = engine.dialect.name == "sqlite"
    if db_path is not None:
        # Before the engine connects: its first connection would already switch
        # a stranger's file to WAL.
        _refuse_foreign_sqlite_file(db_path)

    try:
        with engine.connect() as connection:
            if is_sqlite:
                # Batch mode drops and recreates tables; with foreign keys on, the
                # DROP would cascade-delete every child row. Can't change inside a
                # transaction, so off before BEGIN, checked before COMMIT.
                _set_sqlite_foreign_keys(connection, on=False)
            try:
                # The write lock up front: a second ccm starting now waits, then finds head.
                with connection.execution_options(**{_WRITE_OPTION: True}).begin():
                    current = MigrationContext.configure(connection).get_current_revision()
                    if current == head:
                        return MigrationResult(current, head, None)
                    if current is None:
                        foreign = sorted(set(inspect(connection).get_table_names()) - {VERSION_TABLE})
                        if foreign:
                            raise _not_a_book(where, foreign)
                    elif not _is_known(script, current):
                        raise StoreError(
                            f"{where} is at schema revision {current}, which this ccm does not know "
                            f"(its newest is {head}); it was probably written by a newer ccm. "
                            "Upgrade ccm; the book was left untouched"
                        )
                    backup = None
                    if current is not None and db_path is not None:
                        backup = backup_sqlite(db_path, backups_dir, current, now)
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    if is_sqlite:
                        _check_sqlite_foreign_keys(connection, where)
                    return MigrationResult(current, head, backup)
            finally:
                if is_sqlite and not connection.invalidated:
                    _set_sqlite_foreign_keys(connection, on=True)
    except DatabaseError as exc:
        raise StoreError(f"could not migrate {where}: {exc.orig}") from exc


def _refuse_foreign_sqlite_file(db_path: Path) -> None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    try:
        probe = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            probe.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{db_path} is not a ccm book ({exc}); it was left untouched") from exc
    foreign = sorted(name for name in names - {VERSION_TABLE} if not name.startswith("sqlite_"))
    if foreign and VERSION_TABLE not in names:
        raise _not_a_book(str(db_path), foreign)


def _not_a_book(where: str, tables: list[str]) -> StoreError:
    shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    return StoreError(f"{where} is not a ccm book (it has tables {shown} but no schema version); it was left untouched")


def backup_sqlite(db_path: Path, backups_dir: Path, revision: str, now: datetime) -> Path:
    """Copy the book with SQLite's backup API, so pages still in the WAL are included."""
    ensure_private_dir(backups_dir)
    stem = f"{db_path.stem}-{revision}-{now:%Y%m%dT%H%M%S}"
    target = _create_private_file(backups_dir, stem, ".sqlite")
    try:
        source = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(target)
            try:
                source.backup(destination)
                # The copy inherits WAL mode; a backup should be one self-contained file.
                destination.execute("PRAGMA journal_mode=DELETE")
            finally:
                destination.close()
        finally:
            source.close()
    except (sqlite3.Error, OSError) as exc:
        target.unlink(missing_ok=True)
        raise StoreError(f"could not back up {db_path} to {target} before migrating: {exc}") from exc
    return target


def _create_private_file(folder: Path, stem: str, suffix: str) -> Path:
    for attempt in range(100):
        path = folder / f"{stem}{f'-{attempt}' if attempt else ''}{suffix}"
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise StoreError(f"too many backups named {stem} in {folder}")


def _is_known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:  # ScriptDirectory's wrapping of "can't locate revision"
        return False


def _set_sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    # Straight to the driver: going through SQLAlchemy would BEGIN first.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _check_sqlite_foreign_keys(connection: Connection, where: str) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise StoreError(
            f"migrating {where} would leave {len(broken)} broken references in {', '.join(tables)}; "
            "nothing was changed"
        )


def new_revision(message: str, *, script_location: Path | None = None) -> Path:
    """Autogenerate the next numbered revision: head's schema compared with tables.py."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(script_location)
    head = ScriptDirectory.from_config(config).get_current_head()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(sqlite_url(Path(folder) / "head.sqlite"))
        try:
            if head is not None:
                upgrade(engine, None, Path(folder), datetime.now(UTC), script_location=script_location)
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                made = command.revision(
                    config, message=message, autogenerate=True, rev_id=f"{int(head or 0) + 1:04d}"
                )
        finally:
            engine.dispose()
    assert made is not None and not isinstance(made, list)
    return Path(made.path)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit('usage: python -m ccm_tui.store.migrate "what changed"')
    print(new_revision(args[0]))


if __name__ == "__main__":
    main()
