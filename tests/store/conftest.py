"""A fresh book per test: its own file under tmp_path, migrated to head."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture
def engine(bare_engine: Engine, db_path: Path, backups_dir: Path) -> Engine:
    upgrade(bare_engine, db_path, backups_dir, NOW)
    return bare_engine
