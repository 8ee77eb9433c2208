"""Shared test set-up: a pinned clock, pinned settings, and fresh books.

NO_COLOR and TEXTUAL_THEME change how Textual paints, so they are cleared
for every test; nothing here reads the real date.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest

from ccm_tui.app import CcmApp
from ccm_tui.clock import FixedClock, parse_pinned_now
from ccm_tui.config import Settings
from ccm_tui.services import BookLocation, Services, open_book

for _name in ("NO_COLOR", "TEXTUAL_THEME", "CCM_NOW", "CCM_DB", "CCM_CONFIG"):
    os.environ.pop(_name, None)

PINNED_NOW = "2026-11-20T15:30"  # a Friday afternoon: Monday's events are inside the late-change window
PINNED_ZONE = "America/New_York"


@pytest.fixture
def settings() -> Settings:
    return Settings(
        locale="en_US",
        time_zone=PINNED_ZONE,
        ccm_name="Alex Morgan",
        business_start=time(8, 0),
        business_end=time(17, 0),
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(parse_pinned_now(PINNED_NOW, PINNED_ZONE))


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep platformdirs' folders (backups, demo) inside the test's temp area."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield


def book_path(tmp_path: Path) -> Path:
    return tmp_path / "book.sqlite"

# -- the real app on a fresh demo book, built the way the CLI builds it --------


@pytest.fixture
def demo_services(tmp_path: Path, settings: Settings, clock: FixedClock) -> Services:
    book = BookLocation(url=f"sqlite:///{tmp_path / 'demo.sqlite'}", label="Demo book", path=tmp_path / "demo.sqlite", demo=True)
    services, _ = open_book(book, settings, clock)
    return services


@pytest.fixture
def demo_app(demo_services: Services, settings: Settings, clock: FixedClock) -> CcmApp:
    book = BookLocation(url=str(demo_services.engine.url), label="Demo book", demo=True)
    return CcmApp(settings, clock, book, services=demo_services)
