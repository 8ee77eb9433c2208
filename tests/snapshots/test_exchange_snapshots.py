"""Snapshots of the import report dialog, at 80x24 and 120x40.

The fixture book is imported into the pinned demo book first, so the error
file meets a book holding NA-1001 (its case-only duplicate is reported too).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ccm_tui.app import CcmApp
from ccm_tui.domain.imports import ImportMode
from ccm_tui.services import Services
from tests.pilot_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


@pytest.mark.parametrize("size", SIZES)
class TestImportReport:
    def test_problems(self, snap_compare, demo_app: CcmApp, demo_services: Services, size: tuple[int, int]) -> None:
        assert demo_services.exchange.import_folder(FIXTURES / "book", ImportMode.ALL_OR_NOTHING).written

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            pilot.app.screen.query_one("#import-path", Input).value = str(FIXTURES / "errors" / "customers.csv")
            await pilot.press("ctrl+s")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_ready_to_write(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            pilot.app.screen.query_one("#import-kind").value = "all"  # type: ignore[attr-defined]
            pilot.app.screen.query_one("#import-path", Input).value = str(FIXTURES / "book")
            await pilot.press("ctrl+s")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)
