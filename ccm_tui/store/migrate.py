"""Bring a book's schema up to this ccm's head revision, backing it up first.

There is no alembic.ini: the Alembic config is built here, pointing at the
`migrations` folder that ships inside the package, and the migration runs on
ccm's own engine (its pragmas, its write lock). Alembic is slow to import, so
it is imported inside the functions that need it, not at startup.

To add a revision after changing `tables.py`:
`python -m ccm_tui.store.migrate "what changed"`, then tidy the file by hand.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Connection, Engine, inspect
from sqlalchemy.exc import DatabaseError

from ccm_tui.errors import BookBusy, StoreError
from ccm_tui.files import fsync_folder
from ccm_tui.locations import ensure_private_dir
from ccm_tui.store.engine import (
    _WRITE_OPTION,
    BookUnavailable,
    is_lock_error,
    make_engine,
    sqlite_url,
)
from ccm_tui.store.revisions import MIGRATIONS_DIR, VERSION_TABLE, newest_revision, stored_revision

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SQLITE_HEADER = b"SQLite format 3\x00"
# Driver messages that mean the file's pages are not a database's.
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt")


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None
    backup_skipped: bool = False  # a server's book: copying a file is not how it is backed up

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision

    @property
    def notice(self) -> str | None:
        """What the user is told after an upgrade of an existing book; None when nothing worth saying happened."""
        if self.backup is not None:
            return f"Book upgraded; the old file was kept at {self.backup}"
        if self.backup_skipped:
            return "Book upgraded; no copy was kept (a PostgreSQL book is backed up on its server, e.g. with pg_dump)"
        return None


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
    where = str(db_path) if db_path else server_label(engine)
    is_sqlite = engine.dialect.name == "sqlite"
    if db_path is not None:
        # Before the engine connects: its first connection would already switch
        # a stranger's file to WAL.
        _refuse_foreign_sqlite_file(db_path, backups_dir)

    try:
        newest = newest_revision(script_location)
        if (
            newest is not None
            and stored_revision(engine) == newest
            and (db_path is None or not _partial_left(db_path, backups_dir))
        ):
            # The common start: nothing to do, and no write lock taken, so opening
            # the book (or `ccm oncall`) does not wait behind another ccm's long import.
            # Nor is Alembic imported: a tenth of a second of every start, before the first row.
            return MigrationResult(newest, newest, None)

        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = alembic_config(script_location)
        script = ScriptDirectory.from_config(config)
        head = script.get_current_head()
        if head is None:
            raise StoreError(f"no migrations found in {script_location or MIGRATIONS_DIR}")
        with engine.connect() as connection:
            if is_sqlite:
                # Batch mode drops and recreates tables; with foreign keys on, the
                # DROP would cascade-delete every child row. Can't change inside a
                # transaction, so off before BEGIN, checked before COMMIT.
                _set_sqlite_foreign_keys(connection, on=False)
            try:
                # The write lock up front: a second ccm starting now waits, then finds head.
                with connection.execution_options(**{_WRITE_OPTION: True}).begin():
                    if db_path is not None:
                        # Under the book's write lock no other ccm is backing it up.
                        remove_partial_backup(db_path, backups_dir)
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
                    skipped = current is not None and db_path is None and not is_sqlite
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    if is_sqlite:
                        _check_sqlite_foreign_keys(connection, where)
                    return MigrationResult(current, head, backup, backup_skipped=skipped)
            finally:
                if is_sqlite and not connection.invalidated:
                    _set_sqlite_foreign_keys(connection, on=True)
    except DatabaseError as exc:
        if is_lock_error(exc):  # opening takes the write lock: another ccm (an import?) kept it too long
            raise BookBusy() from exc
        if db_path is not None and _is_damage(exc.orig):
            raise damaged_book(db_path, backups_dir, str(exc.orig)) from exc
        if db_path is not None and "readonly" in str(exc.orig):
            raise BookUnavailable(f"{db_path} is read-only; ccm needs to write to the book", "read-only") from exc
        if str(exc.orig).startswith("connection failed"):  # psycopg: no server, no such login or database
            raise StoreError(f"cannot connect to {where}: {str(exc.orig).removeprefix('connection failed: ')}") from exc
        raise StoreError(f"could not migrate {where}: {exc.orig}") from exc


def server_label(engine: Engine) -> str:
    """A server book's URL as people write it: no driver name, no password."""
    url = engine.url
    query = {key: value for key, value in url.query.items() if key.lower() != "password"}
    bare = URL.create(url.get_backend_name(), url.username, None, url.host, url.port, url.database, query)
    return bare.render_as_string(hide_password=False)


def _refuse_foreign_sqlite_file(db_path: Path, backups_dir: Path) -> None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    with db_path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise damaged_book(db_path, backups_dir, "it is not a SQLite database", or_stranger=True)
    try:
        probe = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            probe.close()
    except sqlite3.Error as exc:
        if _is_damage(exc):
            raise damaged_book(db_path, backups_dir, str(exc)) from exc
        raise StoreError(f"cannot open {db_path}: {exc}; it was left untouched") from exc
    foreign = sorted(name for name in names - {VERSION_TABLE} if not name.startswith("sqlite_"))
    if foreign and VERSION_TABLE not in names:
        raise _not_a_book(str(db_path), foreign)


def _not_a_book(where: str, tables: list[str]) -> StoreError:
    shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    return StoreError(f"{where} is not a ccm book (it has tables {shown} but no schema version); it was left untouched")


def _is_damage(error: BaseException | None) -> bool:
    return isinstance(error, sqlite3.DatabaseError) and any(word in str(error).lower() for word in _DAMAGE_WORDS)


def damaged_book(db_path: Path, backups_dir: Path, why: str, *, or_stranger: bool = False) -> BookUnavailable:
    """One line: the book is damaged, and where its newest backup is."""
    what = "is damaged, or is not a ccm book" if or_stranger else "is damaged"
    newest = newest_backup(db_path, backups_dir)
    where = f"backups are in {backups_dir}: {newest.name}" if newest else f"there is no backup of it in {backups_dir}"
    return BookUnavailable(f"{db_path} {what} ({why}); it was left untouched; {where}", "damaged")


def newest_backup(db_path: Path, backups_dir: Path) -> Path | None:
    """The newest finished backup of `db_path` (by the name `backup_sqlite` gives it)."""
    try:
        found = [p for p in backups_dir.glob(f"{glob.escape(db_path.stem)}-*.sqlite") if p.is_file()]
    except OSError:
        return None
    return max(found, key=lambda p: (p.stat().st_mtime_ns, p.name), default=None)


def partial_backup_path(db_path: Path, backups_dir: Path) -> Path:
    """Where a backup of `db_path` is written before it is checked and renamed.

    One name per book (its path's hash tells two book.sqlite files apart), so
    a start under the book's write lock knows a file there is a dead one's.
    """
    tag = hashlib.sha256(str(db_path.resolve()).encode()).hexdigest()[:12]
    return backups_dir / f".{db_path.stem}-{tag}.sqlite.part"


_PARTIAL_SUFFIXES = ("", "-journal", "-wal", "-shm")


def _partial_left(db_path: Path, backups_dir: Path) -> bool:
    partial = partial_backup_path(db_path, backups_dir)
    return any(Path(f"{partial}{suffix}").exists() for suffix in _PARTIAL_SUFFIXES)


def remove_partial_backup(db_path: Path, backups_dir: Path) -> None:
    """Remove what a ccm killed while backing up this book left behind: the copy and its journal."""
    partial = partial_backup_path(db_path, backups_dir)
    for suffix in _PARTIAL_SUFFIXES:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # nothing left, or no backups folder at all
            Path(f"{partial}{suffix}").unlink()


def backup_sqlite(db_path: Path, backups_dir: Path, revision: str, now: datetime) -> Path:
    """Copy the book with SQLite's backup API (so pages still in the WAL are included), check it, then name it.

    The copy is made under a temporary name, checked with integrity_check,
    flushed to disk, and only then given a backup's name: a kill on the way
    leaves a `.part` file (removed at the next start), never a file that
    looks like a backup.
    """
    try:
        ensure_private_dir(backups_dir)
    except OSError as exc:
        raise StoreError(f"could not make the backups folder {backups_dir} before migrating: {exc}") from exc
    stem = f"{db_path.stem}-{revision}-{now:%Y%m%dT%H%M%S}"
    temp = partial_backup_path(db_path, backups_dir)
    remove_partial_backup(db_path, backups_dir)
    try:
        os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        source = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(temp)
            try:
                source.backup(destination)
                # The copy inherits WAL mode; a backup should be one self-contained file.
                destination.execute("PRAGMA journal_mode=DELETE")
                problems = [row[0] for row in destination.execute("PRAGMA integrity_check")]
            finally:
                destination.close()
        finally:
            source.close()
        if problems != ["ok"]:
            raise damaged_book(db_path, backups_dir, f"its backup copy fails the integrity check: {problems[0]}")
        _fsync(temp)
        target = _publish(temp, backups_dir, stem, ".sqlite")
    except (sqlite3.Error, OSError) as exc:
        if _is_damage(exc):
            raise damaged_book(db_path, backups_dir, str(exc)) from exc
        raise StoreError(f"could not back up {db_path} into {backups_dir} before migrating: {exc}") from exc
    finally:
        remove_partial_backup(db_path, backups_dir)  # after a link, the temporary name; after a failure, the copy
    fsync_folder(backups_dir)
    return target


def _publish(temp: Path, folder: Path, stem: str, suffix: str) -> Path:
    """Give the finished copy the first free backup name, never replacing one."""
    for attempt in range(100):
        path = folder / f"{stem}{f'-{attempt}' if attempt else ''}{suffix}"
        try:
            os.link(temp, path)  # fails if the name is taken, where a rename would replace it
        except FileExistsError:
            continue
        except OSError:
            if path.exists():  # a file system without hard links: check, then rename
                continue
            os.replace(temp, path)
        return path
    raise StoreError(f"too many backups named {stem} in {folder}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
            f"migrating {where} would leave {len(broken)} broken references in {', '.join(tables)}; nothing was changed"
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
                made = command.revision(config, message=message, autogenerate=True, rev_id=f"{int(head or 0) + 1:04d}")
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
