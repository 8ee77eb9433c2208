"""A fresh book per test: its own file under tmp_path, migrated to head."""

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


@pytest.fixture
def engine(bare_engine: Engine, db_path: Path, migrated_book: Path) -> Engine:
    """A copy of the migrated book, taken before the engine's first connection."""
    with closing(sqlite3.connect(migrated_book)) as master, closing(sqlite3.connect(db_path)) as copy:
        master.backup(copy)
    return bare_engine
