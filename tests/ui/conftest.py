"""Pilot fixtures: the real app, built the way the CLI builds it, on a
fresh demo book in a temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccm_tui.app import CcmApp
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.services import BookLocation, Services, open_book


@pytest.fixture
def demo_services(tmp_path: Path, settings: Settings, clock: FixedClock) -> Services:
    book = BookLocation(url=f"sqlite:///{tmp_path / 'demo.sqlite'}", label="Demo book", path=tmp_path / "demo.sqlite", demo=True)
    services, _ = open_book(book, settings, clock)
    return services


@pytest.fixture
def demo_app(demo_services: Services, settings: Settings, clock: FixedClock) -> CcmApp:
    book = BookLocation(url=str(demo_services.engine.url), label="Demo book", demo=True)
    return CcmApp(settings, clock, book, services=demo_services)
