"""A fresh book per test, on both engines: `engine` is parametrized [sqlite, postgresql].

SQLite: a copy of a book migrated once per xdist worker, in the test's own
file. PostgreSQL: the worker's shared database, emptied after each test, or,
for a test marked `own_database` (it changes the schema or reads the
planner's statistics), a copy of its own of the migrated template, dropped
after it (see tests/postgres_books.py); skipped, with one reason, when no
server answers. A test that reaches for the SQLite file
itself (db_path, bare_engine, backups_dir) runs on SQLite only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ccm_tui.store.engine import make_engine, sqlite_url
from ccm_tui.store.migrate import upgrade
from tests import postgres_books

NOW = datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "book.sqlite"


@pytest.fixture
def backups_dir(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def bare_engine(db_path: Path) -> Iterator[Engine]:
    """An engine on an empty file, not yet migrated."""
    engine = make_engine(sqlite_url(db_path))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book migrated to head once per xdist worker (migrating is most of a store test's set-up)."""
    path = tmp_path_factory.mktemp("migrated") / "book.sqlite"
    engine = make_engine(sqlite_url(path))
    upgrade(engine, path, path.parent / "backups", NOW)
    engine.dispose()
    return path


ENGINES = ("sqlite", "postgresql")
# Fixtures that are the SQLite file: a test asking for one is about SQLite itself.
_SQLITE_ONLY = {"db_path", "bare_engine", "backups_dir"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        only_sqlite = _SQLITE_ONLY & set(metafunc.fixturenames) or metafunc.definition.get_closest_marker("sqlite_only")
        if metafunc.definition.get_closest_marker("postgresql_only"):
            kinds = ["postgresql"]
        else:
            kinds = ["sqlite"] if only_sqlite else list(ENGINES)
        metafunc.parametrize("engine_kind", kinds, ids=kinds)


@pytest.fixture
def engine_kind() -> str:
    return "sqlite"


@pytest.fixture(scope="session")
def postgresql_books() -> Iterator[postgres_books.WorkerBooks]:
    """The worker's PostgreSQL books, from one database migrated once; all are dropped at the end, whatever happened."""
    if reason := postgres_books.probe():
        pytest.skip(reason)
    with postgres_books.scratch_database("ccm_template") as name:
        engine = make_engine(postgres_books.book_url(name))
        try:
            upgrade(engine, None, Path(), NOW)
        finally:
            engine.dispose()  # CREATE DATABASE ... TEMPLATE needs the template without connections
        books = postgres_books.WorkerBooks(name)
        try:
            yield books
        finally:
            books.close()


@pytest.fixture
def engine(engine_kind: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated book, empty and the test's alone while it runs, on the engine its id names."""
    if engine_kind == "postgresql":
        books: postgres_books.WorkerBooks = request.getfixturevalue("postgresql_books")
        own = request.node.get_closest_marker("own_database") is not None
        name = books.own() if own else books.shared()
        engine = make_engine(postgres_books.book_url(name))
        try:
            yield engine
        finally:
            engine.dispose()
            if own:
                books.give_back(name)
            else:
                books.empty_shared()
        return
    bare: Engine = request.getfixturevalue("bare_engine")
    master: Path = request.getfixturevalue("migrated_book")
    # A copy of the migrated book, taken before the engine's first connection.
    with closing(sqlite3.connect(master)) as source, closing(sqlite3.connect(request.getfixturevalue("db_path"))) as copy:
        source.backup(copy)
    yield bare
