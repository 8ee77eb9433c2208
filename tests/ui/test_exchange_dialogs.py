"""Pilot flows: import from the book (check, report, write) and export; the database checked after."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from textual.widgets import DataTable, Input, Select, Static

from ccm_tui.app import CcmApp
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.screens.export_dialog import ExportDialog
from ccm_tui.screens.import_dialog import ImportDialog
from ccm_tui.screens.import_report import ImportReportDialog
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ActivationRow, CustomerRow, SiteRow
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def count(services: Services, table: type) -> int:
    with read_session(services.engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


async def test_import_a_folder_check_then_write(demo_app: CcmApp, demo_services: Services) -> None:
    customers, activations = count(demo_services, CustomerRow), count(demo_services, ActivationRow)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("i")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-kind", Select).value = "all"
        dialog.query_one("#import-path", Input).value = str(FIXTURES / "book")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        report = demo_app.screen
        assert isinstance(report, ImportReportDialog)
        assert report.writable_rows == 18
        assert count(demo_services, CustomerRow) == customers, "the check writes nothing"
        assert "18" in str(report.query_one("#report-write").label)
        files = str(report.query_one("#report-files", Static).render())
        assert "customers.csv: 3 rows: would create 3, update 0;" in files and "created" not in files
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert report.written and "Imported: 18 records written." in str(report.query_one("#report-outcome", Static).render())
        assert "customers.csv: 3 rows: 3 created, 0 updated" in str(report.query_one("#report-files", Static).render())
        assert count(demo_services, CustomerRow) == customers + 3
        assert count(demo_services, ActivationRow) == activations + 4
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerBookScreen)
        assert demo_app.screen.query_one(CustomerTable).loaded == customers + 3, "the book reloads"


async def test_a_bad_file_shows_every_problem_and_offers_no_write(demo_app: CcmApp, demo_services: Services) -> None:
    sites = count(demo_services, SiteRow)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("i")
        await settle(pilot, demo_app)
        demo_app.screen.query_one("#import-path", Input).value = str(FIXTURES / "errors" / "sites.csv")
        await settle(pilot, demo_app)
        assert demo_app.screen.query_one("#import-kind", Select).value == "sites", "the file's name picks the kind"
        await pilot.press("enter")
        await settle(pilot, demo_app)
        report = demo_app.screen
        assert isinstance(report, ImportReportDialog)
        table = report.query_one(DataTable)
        assert table.row_count == 5 and report.writable_rows == 0  # the demo book has no NA-1001 either
        assert not report.query_one("#report-write").display
        await pilot.press("down")
        assert "line 3, country 'XX'" in str(report.query_one("#report-detail", Static).render())
        await pilot.press("ctrl+s")  # nothing to write: ignored
        await settle(pilot, demo_app)
        assert count(demo_services, SiteRow) == sites


async def test_an_unreadable_file_is_said_at_the_field(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("i")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        dialog.query_one("#import-path", Input).value = str(FIXTURES / "customers_latin1.csv")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        assert "is not UTF-8 text" in str(dialog.query_one("#import-error", Static).render())


async def test_skip_invalid_writes_the_good_rows(demo_app: CcmApp, demo_services: Services) -> None:
    customers = count(demo_services, CustomerRow)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("i")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        dialog.query_one("#import-path", Input).value = str(FIXTURES / "errors" / "customers.csv")
        dialog.query_one("#import-mode", Select).value = "skip_invalid"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        report = demo_app.screen
        assert isinstance(report, ImportReportDialog) and report.writable_rows == 3
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
    assert count(demo_services, CustomerRow) == customers + 3


async def test_export_csv_from_the_book(demo_app: CcmApp, tmp_path: Path) -> None:
    target = tmp_path / "export"
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("x")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path", Input).value = str(target)
        assert "into a new folder" in str(dialog.query_one("#export-plan", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerBookScreen)
        assert (target / "activations.csv").is_file()
        # again: the files there are replaced only on a second ctrl+s
        await pilot.press("x")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        dialog.query_one("#export-path", Input).value = str(target)
        before = (target / "customers.csv").stat().st_mtime_ns
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog and "ctrl+s again replaces them" in str(dialog.query_one("#export-plan", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerBookScreen)
        assert (target / "customers.csv").stat().st_mtime_ns >= before


async def test_export_json_from_the_palette(demo_app: CcmApp, tmp_path: Path) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        demo_app.open_exchange("export")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        dialog.query_one("#export-format", Select).value = "json"
        await settle(pilot, demo_app)
        assert dialog.query_one("#export-path", Input).value.endswith("ccm-book-2026-11-20.json")
        dialog.query_one("#export-path", Input).value = str(tmp_path / "book.json")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
    assert (tmp_path / "book.json").read_text(encoding="utf-8").startswith('{"format": "ccm-book"')


async def test_keys_are_in_help_and_the_palette(demo_app: CcmApp) -> None:
    from ccm_tui.screens.help import HelpScreen

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        titles = {command.title for command in demo_app.get_system_commands(demo_app.screen)}
        assert {"Import from CSV", "Export the book"} <= titles
        await pilot.press("question_mark")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, HelpScreen)
        assert {("i", "Import CSV"), ("x", "Export book")} <= {(key, does) for key, does, _ in demo_app.screen.rows}
