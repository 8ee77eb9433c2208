"""The SQLite engine: WAL, foreign keys, busy timeout, private files, IMMEDIATE writes."""

from __future__ import annotations

import multiprocessing
import sqlite3
import stat
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from ccm_tui.store import tables
from ccm_tui.store.engine import make_engine, read_session, sqlite_url, write_session

WORKERS = 2
TRANSACTIONS_PER_WORKER = 50


@pytest.mark.sqlite_only  # PostgreSQL's settings: tests/store/test_postgres.py
def test_every_connection_has_the_pragmas(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_a_new_book_is_private(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"  # the engine makes no folder: see test_book_opening.py
    engine = make_engine(sqlite_url(path))
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            connection.commit()
        # SQLite gives the -wal and -shm files the database file's mode.
        for file in (path, path.with_name("book.sqlite-wal"), path.with_name("book.sqlite-shm")):
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    finally:
        engine.dispose()


def _try_begin_immediate(db_path: Path) -> str:
    other = sqlite3.connect(db_path, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "got the write lock"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        other.close()


def test_a_write_session_takes_the_write_lock_at_its_first_statement(engine: Engine, db_path: Path) -> None:
    with write_session(engine) as session:
        session.get(tables.BookMetaRow, "anything")  # only a read so far
        assert _try_begin_immediate(db_path) == "database is locked"
    assert _try_begin_immediate(db_path) == "got the write lock"


def test_a_read_session_leaves_the_write_lock_free(engine: Engine, db_path: Path) -> None:
    with read_session(engine) as session:
        session.get(tables.BookMetaRow, "anything")
        assert _try_begin_immediate(db_path) == "got the write lock"


def test_a_contact_of_a_missing_customer_is_refused(engine: Engine) -> None:
    # SQLite's words, or PostgreSQL's
    with (
        pytest.raises(IntegrityError, match=r"FOREIGN KEY constraint failed|violates foreign key constraint"),
        write_session(engine) as session,
    ):
        session.add(tables.ContactRow(customer_id=999, name="Nobody's contact"))


def _count_up(url: str, start: Barrier) -> None:
    engine = make_engine(url)
    try:
        start.wait(timeout=30)
        for _ in range(TRANSACTIONS_PER_WORKER):
            with write_session(engine) as session:
                counter = session.get(tables.BookMetaRow, "counter")
                assert counter is not None
                time.sleep(0.001)  # widen the read-then-write window
                counter.value = str(int(counter.value) + 1)
    finally:
        engine.dispose()


def test_two_processes_writing_at_once_both_finish(engine: Engine, db_path: Path) -> None:
    with write_session(engine) as session:
        session.add(tables.BookMetaRow(key="counter", value="0"))
    engine.dispose()  # the workers must not inherit our connections
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WORKERS)
    workers = [context.Process(target=_count_up, args=(sqlite_url(db_path), start)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert [worker.exitcode for worker in workers] == [0] * WORKERS
    with read_session(engine) as session:
        value = session.execute(text("SELECT value FROM book_meta WHERE key = 'counter'")).scalar()
    assert value == str(WORKERS * TRANSACTIONS_PER_WORKER)
