"""A write while another ccm holds the book's write lock (a long import): BookBusy, not a bare SQL error.

Engines here wait only 50 ms for the lock, so the tests do not sit out the
real five-second busy timeout.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError

from ccm_tui.errors import BookBusy, StoreError
from ccm_tui.store import engine as engine_module
from ccm_tui.store import tables
from ccm_tui.store.engine import (
    is_lock_error,
    make_engine,
    read_session,
    sqlite_url,
    write_session,
)
from ccm_tui.write_guard import unless_abandoned
from tests.book_lock import HeldLock


@pytest.fixture
def impatient(engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A second engine on the migrated book that gives up on a held lock after 50 ms."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)
    quick = make_engine(sqlite_url(db_path))
    yield quick
    quick.dispose()


def _meta_rows(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(tables.BookMetaRow)) or 0


def test_a_write_during_a_held_lock_raises_book_busy_and_writes_nothing(impatient: Engine, db_path: Path) -> None:
    before = _meta_rows(impatient)
    with HeldLock(db_path):
        with (
            pytest.raises(BookBusy, match="the book is busy: another ccm is writing") as raised,
            write_session(impatient) as session,
        ):
            session.add(tables.BookMetaRow(key="edit", value="during the import"))
        # reads go on beside the writer (WAL)
        assert _meta_rows(impatient) == before
    assert isinstance(raised.value, StoreError)
    assert isinstance(raised.value.__cause__, OperationalError)
    # once the other writer is done, the very same write goes through
    with write_session(impatient) as session:
        session.add(tables.BookMetaRow(key="edit", value="after the import"))
    assert _meta_rows(impatient) == before + 1


def test_a_read_kept_out_by_an_exclusive_writer_raises_book_busy(engine: Engine, impatient: Engine, db_path: Path) -> None:
    # Exclusive locking mode can only be taken while no other connection has the book open.
    engine.dispose()
    impatient.dispose()
    with HeldLock(db_path, exclusive=True), pytest.raises(BookBusy):
        _meta_rows(impatient)


def test_other_sql_errors_are_not_taken_for_a_busy_book(impatient: Engine) -> None:
    with pytest.raises(OperationalError, match="no such table"), write_session(impatient) as session:
        session.execute(text("SELECT * FROM no_such_table"))


def _sqlite_error(path: Path, statement: str, *, locked: bool) -> sqlite3.OperationalError:
    """A real driver error: "database is locked" from a second connection, or a plain SQL mistake."""
    holder = sqlite3.connect(path, isolation_level=None)
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        if locked:
            holder.execute("BEGIN IMMEDIATE")
        other.execute(statement)
    except sqlite3.OperationalError as error:
        return error
    finally:
        other.close()
        holder.close()
    raise AssertionError(f"{statement} did not fail")


class _PgError(Exception):
    def __init__(self, pgcode: str) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


@pytest.mark.parametrize(
    ("make", "is_lock"),
    [
        (lambda p: _sqlite_error(p, "BEGIN IMMEDIATE", locked=True), True),
        (lambda p: OperationalError("BEGIN IMMEDIATE", {}, _sqlite_error(p, "BEGIN IMMEDIATE", locked=True)), True),
        (lambda p: OperationalError("SELECT", {}, _sqlite_error(p, "SELECT * FROM nowhere", locked=False)), False),
        (lambda p: OperationalError("UPDATE", {}, _PgError("55P03")), True),
        (lambda p: OperationalError("UPDATE", {}, _PgError("23505")), False),
    ],
    ids=["sqlite-locked", "wrapped-sqlite-locked", "sqlite-no-such-table", "pg-lock-not-available", "pg-unique"],
)
def test_lock_errors_are_told_by_their_code(tmp_path: Path, make, is_lock: bool) -> None:  # type: ignore[no-untyped-def]
    assert is_lock_error(make(tmp_path / "probe.sqlite")) is is_lock


def test_opening_a_current_book_does_not_wait_for_another_writer(impatient: Engine, db_path: Path, tmp_path: Path) -> None:
    """`ccm oncall` during a long import: the schema is already current, so opening takes no write lock."""
    from datetime import UTC, datetime

    from ccm_tui.store.migrate import head_revision, upgrade

    with HeldLock(db_path) as lock:
        try:
            result = upgrade(impatient, db_path, tmp_path / "backups", datetime(2026, 12, 7, tzinfo=UTC))
        finally:
            lock.release()
    assert (result.from_revision, result.to_revision, result.backup) == (head_revision(), head_revision(), None)


def test_a_write_abandoned_while_it_waited_for_the_lock_writes_nothing(engine: Engine, db_path: Path) -> None:
    """The user closed the form while the save waited for another writer: the lock comes, nothing is written."""
    before = _meta_rows(engine)
    walked_away = threading.Event()
    outcome: list[BaseException | None] = []

    def save() -> None:
        try:
            with unless_abandoned(walked_away.is_set), write_session(engine) as session:
                session.add(tables.BookMetaRow(key="edit", value="after the user left"))
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            outcome.append(error)
        else:
            outcome.append(None)

    with HeldLock(db_path) as lock:
        saver = threading.Thread(target=save)
        saver.start()  # it waits in BEGIN IMMEDIATE (busy timeout 5 s)
        walked_away.set()
        lock.release()
    saver.join(timeout=30)
    assert not saver.is_alive(), "the save never came back"
    assert len(outcome) == 1 and isinstance(outcome[0], BookBusy) and "cancelled" in str(outcome[0])
    assert _meta_rows(engine) == before
    # the same thread's next write, not abandoned, goes through
    with write_session(engine) as session:
        session.add(tables.BookMetaRow(key="edit", value="a later save"))
    assert _meta_rows(engine) == before + 1
