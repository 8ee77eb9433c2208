"""Shared test set-up: a pinned clock, pinned settings, and fresh books.

NO_COLOR and TEXTUAL_THEME change how Textual paints, so they are cleared
for every test; nothing here reads the real date.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import time
from pathlib import Path

import pytest
from textual import _wait as textual_wait

from ccm_tui.app import CcmApp
from ccm_tui.clock import FixedClock, parse_pinned_now
from ccm_tui.config import Settings
from ccm_tui.services import BookLocation, Services, open_book
from tests.pilot_helpers import CountingLoopPolicy

for _name in ("NO_COLOR", "TEXTUAL_THEME", "CCM_NOW", "CCM_DB", "CCM_CONFIG"):
    os.environ.pop(_name, None)

# The tests' PostgreSQL books are thrown away: a commit need not wait for the server's WAL flush
# (visibility and locking are unchanged; only a server crash could lose the last commits). libpq reads
# PGOPTIONS for every connection, the CLI's subprocesses' included. tests/store on PostgreSQL: 58 s -> 48 s.
os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")

# settle() waits for the threads the app starts (thread workers, asyncio.to_thread) from the first one.
asyncio.set_event_loop_policy(CountingLoopPolicy())

# Pilot waits for "idle" after every key, twice, sleeping in 20 ms slices until a slice
# passes with under 5% CPU: the sleeping was a fifth of a Pilot test's time. Same rule,
# 5 ms slices. settle() still checks workers, threads, timers and messages itself.
textual_wait.SLEEP_GRANULARITY = 0.005
textual_wait.SLEEP_IDLE = textual_wait.SLEEP_GRANULARITY / 20

PINNED_NOW = "2026-11-20T15:30"  # a Friday afternoon: Monday's events are inside the late-change window
PINNED_ZONE = "America/New_York"


def pinned_settings() -> Settings:
    return Settings(
        locale="en_US",
        time_zone=PINNED_ZONE,
        ccm_name="Alex Morgan",
        business_start=time(8, 0),
        business_end=time(17, 0),
    )


def pinned_clock() -> FixedClock:
    return FixedClock(parse_pinned_now(PINNED_NOW, PINNED_ZONE))


def pytest_report_header(config: pytest.Config) -> str:
    """One line on whether the PostgreSQL half runs (each of its tests is skipped with the same reason when not)."""
    from tests import postgres_books

    reason = postgres_books.probe()
    return f"postgresql: SKIPPED: {reason}" if reason else f"postgresql: tests run on {postgres_books.server_label()}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: a store test about SQLite itself; the engine fixture gives it no PostgreSQL run"
    )
    config.addinivalue_line(
        "markers", "postgresql_only: a store test about PostgreSQL itself (its engine fixture is PostgreSQL's)"
    )
    config.addinivalue_line(
        "markers",
        "own_database: a store test that changes the schema or reads the planner's statistics: on PostgreSQL its engine"
        " is a database of its own, not the worker's shared one (emptied between tests)",
    )


@pytest.fixture
def settings() -> Settings:
    return pinned_settings()


@pytest.fixture
def clock() -> FixedClock:
    return pinned_clock()


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep platformdirs' folders (backups, demo) inside the test's temp area."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield


@pytest.fixture(autouse=True)
def _collector_unfrozen() -> Iterator[None]:
    """An app freezes what it has loaded once its book is open (app.py): in a worker that runs hundreds of apps,
    each test's objects go back to the collector after it, or they would all be kept to the end."""
    yield
    gc.unfreeze()


def book_path(tmp_path: Path) -> Path:
    return tmp_path / "book.sqlite"


# -- the real app on a fresh demo book, built the way the CLI builds it --------


def demo_book(path: Path) -> BookLocation:
    return BookLocation(url=f"sqlite:///{path}", label="Demo book", path=path, demo=True)


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo book built once per xdist worker (building it is most of a UI test's set-up).

    Tests write to their book, so each gets its own copy (demo_services);
    the copy is current for the pinned day, so opening it does not rebuild it.
    """
    folder = tmp_path_factory.mktemp("demo-master")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_DATA_HOME", str(folder / "data"))
        env.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        services, _ = open_book(demo_book(folder / "demo.sqlite"), pinned_settings(), pinned_clock())
        services.engine.dispose()
    return folder / "demo.sqlite"


@pytest.fixture
def demo_services(tmp_path: Path, settings: Settings, clock: FixedClock, demo_master: Path) -> Services:
    path = tmp_path / "demo.sqlite"
    with closing(sqlite3.connect(demo_master)) as master, closing(sqlite3.connect(path)) as copy:
        master.backup(copy)  # a consistent copy, whatever is still in the master's WAL
    services, _ = open_book(demo_book(path), settings, clock)
    return services


@pytest.fixture
def demo_app(demo_services: Services, settings: Settings, clock: FixedClock) -> CcmApp:
    book = BookLocation(url=str(demo_services.engine.url), label="Demo book", demo=True)
    return CcmApp(settings, clock, book, services=demo_services)
