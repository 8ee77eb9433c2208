"""Build the database engine and hand out short sessions.

The engine is made from any SQLAlchemy URL: a SQLite file for one person,
PostgreSQL (psycopg) for a team, where a held lock waits BUSY_TIMEOUT_MS too. For SQLite the file gets WAL, foreign keys, a busy timeout, and
write transactions that BEGIN IMMEDIATE: a read-then-write under a plain
BEGIN fails with "database is locked" when a second process writes.

Before SQLite touches a book file, `prepare_sqlite_file` checks it can be
one: its folder exists (a mistyped --db must not grow a tree and an empty
book), it is a file and not a folder, and ccm may write it. Each refusal is
a `BookUnavailable` with one line for the user and a `reason` for code.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from ccm_tui.errors import BookBusy, StoreError
from ccm_tui.store.read_only import refusal_as_read_only
from ccm_tui.store.watch import announce_commits, track_own_commits
from ccm_tui.write_guard import is_abandoned

BUSY_TIMEOUT_MS = 5000
_WRITE_OPTION = "ccm_write"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


Unavailable = Literal["no-folder", "folder", "not-a-file", "read-only", "damaged"]


class BookUnavailable(StoreError):
    """The book's file cannot be opened as a book; the message says which file and why."""

    def __init__(self, message: str, reason: Unavailable) -> None:
        super().__init__(message)
        self.reason = reason


def prepare_sqlite_file(path: Path) -> None:
    """Check `path` can be the book, and create it 0600 before SQLite does.

    The folder is never made here: the caller makes the default location's
    (0700); any other must already exist.
    """
    folder = path.parent
    if not folder.is_dir():
        why = f"{folder} is a file, not a folder" if folder.exists() else f"folder {folder} does not exist"
        raise BookUnavailable(f"{why}; ccm makes a new book ({path.name}) only in an existing folder", "no-folder")
    if path.is_dir():
        raise BookUnavailable(f"{path} is a folder, not a book; give the book's file, such as {path / 'book.sqlite'}", "folder")
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        return
    if not path.is_file():
        raise BookUnavailable(f"{path} is not a regular file, so it cannot be a book", "not-a-file")
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError as error:
        if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        raise BookUnavailable(
            f"{path} is read-only; ccm needs to write to the book (make the file writable)", "read-only"
        ) from None
    # WAL keeps its journal files beside the book: the folder must take new files.
    if not os.access(folder, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids):
        raise BookUnavailable(
            f"the folder of {path} is read-only; ccm keeps the book's journal beside it (make {folder} writable)",
            "read-only",
        )


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _make_postgresql_engine(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    # a read-only open (store/read_only.py) reads the file as it is: nothing to prepare, no WAL switch
    writable = parsed.query.get("mode") != "ro"
    if parsed.database and parsed.database != ":memory:" and writable:
        prepare_sqlite_file(Path(parsed.database))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, start transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if parsed.database and parsed.database != ":memory:" and writable:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if parsed.database and parsed.database != ":memory:":
        track_own_commits(engine)  # before any thread uses it: a watcher started later adds no listener
    return engine


def _make_postgresql_engine(url: str) -> Engine:
    # A lock held past the wait fails with 55P03 (lock_not_available), which becomes BookBusy,
    # as SQLite's busy timeout does; the server's default is to wait for ever.
    # pool_pre_ping: a server restarted overnight must not cost the morning's first query.
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": f"-c lock_timeout={BUSY_TIMEOUT_MS} -c TimeZone=UTC", "application_name": "ccm"},
    )
    announce_commits(engine)  # every write tells the open screens of other sessions (store/watch.py)
    return engine


_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_PG_LOCK_NOT_AVAILABLE = "55P03"


def is_lock_error(error: BaseException) -> bool:
    """Someone else held the lock past our wait: SQLite's "database is locked", PostgreSQL's lock timeout."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)  # the primary code, whatever the extended one
    # psycopg names the SQLSTATE `sqlstate`, psycopg2 `pgcode`
    return _PG_LOCK_NOT_AVAILABLE in (getattr(cause, "sqlstate", None), getattr(cause, "pgcode", None))


@contextmanager
def _lock_as_book_busy() -> Iterator[None]:
    # A UI or CLI catching StoreError must never meet a bare "database is locked".
    try:
        yield
    except (DBAPIError, sqlite3.OperationalError) as error:
        if is_lock_error(error):
            raise BookBusy() from error
        raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A short read-only session; nothing it does is committed. A held lock raises BookBusy."""
    # Under WAL a reader rarely waits, but it can (a writer in exclusive locking mode, WAL recovery).
    with _lock_as_book_busy(), Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction, taken with the write lock up front; all or nothing.

    If another writer (a long import) keeps the lock past the busy timeout,
    nothing is written and BookBusy is raised: the caller may try again.
    """
    with (
        _lock_as_book_busy(),
        refusal_as_read_only(engine),
        Session(engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False) as session,
        session.begin(),
    ):
        session.connection()  # take the write lock now: BEGIN IMMEDIATE waits out another writer
        if is_abandoned():  # the user closed the form while we waited: nothing is written
            raise BookBusy("the book was busy and the save was cancelled; nothing was written")
        yield session
