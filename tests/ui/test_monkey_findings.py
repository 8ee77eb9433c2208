"""What the monkey test found, one regression test each: keys in, no crash, the message at its field."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.imports import ImportKind, ImportMode, ImportRequest
from ccm_tui.screens.checklist_history import ItemHistoryScreen
from ccm_tui.screens.command_palette import CommandPalette as ProjectPalette
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.screens.help import HelpScreen
from ccm_tui.screens.import_dialog import ImportCheck, ImportDialog
from ccm_tui.screens.import_report import ImportReportDialog
from ccm_tui.screens.review_agenda import ReviewAgendaScreen
from ccm_tui.services import Services
from tests.pilot_helpers import burst, settle
from tests.ui.test_agenda_screen import due_customer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


# (the path suggester's findings are widget tests: tests/widgets/test_path_suggester.py)


# -- the import dialog ---------------------------------------------------------


async def open_import_dialog(pilot, app: CcmApp) -> ImportDialog:  # type: ignore[no-untyped-def]
    await settle(pilot, app)
    await pilot.press("i")
    await settle(pilot, app)
    assert isinstance(app.screen, ImportDialog)
    return app.screen


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("cust\x00omers.csv", "cannot hold a NUL character"),
        ("~nobody-here-at-all/customers.csv", "No user called 'nobody-here-at-all'"),
    ],
)
async def test_an_impossible_import_path_is_said_at_the_field(demo_app: CcmApp, typed: str, said: str) -> None:
    async with demo_app.run_test(size=(100, 30)) as pilot:
        dialog = await open_import_dialog(pilot, demo_app)
        dialog.query_one("#import-path", Input).value = typed
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        assert said in str(dialog.query_one("#import-error", Static).render())


async def test_an_import_path_with_markup_is_shown_as_typed(demo_app: CcmApp, tmp_path: Path) -> None:
    typed = str(tmp_path / "[/]x[/b.csv")
    async with demo_app.run_test(size=(100, 30)) as pilot:
        dialog = await open_import_dialog(pilot, demo_app)
        dialog.query_one("#import-path", Input).value = typed
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        assert "[/]x[/b.csv does not exist" in str(dialog.query_one("#import-error", Static).render())


async def test_a_check_that_ends_after_esc_leaves_the_screen_below(demo_app: CcmApp, demo_services: Services) -> None:
    """esc, then the check's answer arrives (before Textual has removed the dialog): it used to pop the book."""
    request = ImportRequest(ImportKind.CUSTOMERS, FIXTURES / "errors" / "customers.csv", ImportMode.ALL_OR_NOTHING)
    report = demo_services.exchange.run_import(request, ImportMode.DRY_RUN)
    async with demo_app.run_test(size=(100, 30)) as pilot:
        for answer in (lambda d: d._checked(ImportCheck(request, report)), lambda d: d._failed("cannot read it")):
            dialog = await open_import_dialog(pilot, demo_app)
            await pilot.press("escape")
            answer(dialog)  # what the worker's call_from_thread runs
            await settle(pilot, demo_app)
            assert isinstance(demo_app.screen, CustomerBookScreen)
            assert len(demo_app.screen_stack) == 1


# -- text that looks like markup is shown as typed -----------------------------------

MARKUP = "[/]x[/b"  # as markup: a closing tag with nothing to close, which raised MarkupError


def poison(services: Services, table: str, *columns: str, where: str = "1 = 1") -> None:
    """Append MARKUP to the columns of the demo book's rows, as a user could have typed it."""
    path = services.engine.url.database
    assert path
    with sqlite3.connect(path) as connection:
        for column in columns:
            connection.execute(f"UPDATE {table} SET {column} = {column} || ' ' || ? WHERE {where}", (MARKUP,))
    connection.close()


def lines(widget: Widget) -> str:
    """The widget's rendered text, as the user sees it (the line API, so a DataTable's cells too)."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def type_into(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press(char)


@pytest.mark.parametrize(("screen_key", "status_id"), [("1", "#book-status"), ("3", "#checklist-summary")])
async def test_a_filter_that_looks_like_markup_is_quoted_as_typed(demo_app: CcmApp, screen_key: str, status_id: str) -> None:
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press(screen_key)
        await settle(pilot, demo_app)
        await pilot.press("slash")
        await type_into(pilot, MARKUP)
        await settle(pilot, demo_app)
        assert f"matches '{MARKUP}'" in str(demo_app.screen.query_one(status_id, Static).render())


async def test_reviews_due_show_names_as_typed(demo_app: CcmApp, demo_services: Services) -> None:
    poison(demo_services, "customer", "name", "ccm")
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("4")
        await settle(pilot, demo_app)
        assert MARKUP in lines(demo_app.screen.query_one("#due-table", DataTable))


async def test_actions_and_incidents_show_text_as_typed_and_a_done_action_its_mark(
    demo_app: CcmApp, demo_services: Services
) -> None:
    due = due_customer(demo_services)
    async with demo_app.run_test(size=(200, 40)) as pilot:  # wide: every column in view
        await settle(pilot, demo_app)
        demo_app.prepare_review(due)
        await settle(pilot, demo_app)
        await pilot.press("ctrl+s")  # the setup dialog's suggestion
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, ReviewAgendaScreen) and screen.workspace is not None
        poison(demo_services, "incident", "summary", where=f"customer_id = {due}")
        await pilot.press("A")  # an action item, then done in the meeting
        await settle(pilot, demo_app)
        form = demo_app.screen
        form.query_one("#field-text", Input).value = f"Send the brochure {MARKUP}"
        form.query_one("#field-owner", Input).value = f"Alex {MARKUP}"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        await pilot.press("m", "right_square_bracket")
        await settle(pilot, demo_app)
        await pilot.press("space")
        await settle(pilot, demo_app)
        actions = lines(screen.query_one("#actions-table", DataTable))
        assert f"Send the brochure {MARKUP}" in actions and f"Alex {MARKUP}" in actions
        assert "[x]" in actions, "a done action shows its mark (as markup, [x] was a style tag: nothing)"
        await pilot.press("right_square_bracket")
        await settle(pilot, demo_app)
        assert MARKUP in lines(screen.query_one("#incidents-table", DataTable))


async def test_checklist_history_shows_the_item_as_typed(demo_app: CcmApp, demo_services: Services) -> None:
    poison(demo_services, "checklist_item", "text", "note")
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("3")
        await settle(pilot, demo_app)
        await pilot.press("enter")  # into the checklist
        await settle(pilot, demo_app)
        await pilot.press("down", "down", "space")  # an item done: its history has a row
        await settle(pilot, demo_app)
        await pilot.press("h")
        await settle(pilot, demo_app)
        history = demo_app.screen
        assert isinstance(history, ItemHistoryScreen)
        assert MARKUP in str(history.query_one(".history-title", Label).render())


async def test_an_import_report_shows_values_and_paths_as_typed(demo_app: CcmApp, tmp_path: Path) -> None:
    folder = tmp_path / f"in {MARKUP}"
    folder.mkdir(parents=True)  # "[/]x[/b": folders "in [", "]x[" and "b"
    (folder / "customers.csv").write_text(f"account_number,name,region\nAB {MARKUP},Acme {MARKUP},ZZ\n")
    async with demo_app.run_test(size=(120, 40)) as pilot:
        dialog = await open_import_dialog(pilot, demo_app)
        dialog.query_one("#import-path", Input).value = str(folder / "customers.csv")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        report = demo_app.screen
        assert isinstance(report, ImportReportDialog)
        assert MARKUP in lines(report.query_one(DataTable)) and MARKUP in str(report.query_one("#report-detail", Static).render())


# -- the command palette: page keys as it opens ----------------------------------------


@pytest.mark.parametrize("keys", [["ctrl+p", "pageup"], ["ctrl+p", "pagedown"], ["ctrl+p", "t", "pageup"]])
async def test_page_keys_as_the_palette_opens_do_not_crash(demo_app: CcmApp, keys: list[str]) -> None:
    """Textual 8.2.8's option list raises KeyError on a page key before its first layout."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await burst(pilot, keys)
        await settle(pilot, demo_app)
        await burst(pilot, ["pagedown", "pageup"])  # laid out now: they move the highlight
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CommandPalette)
        assert demo_app.return_code is None


async def test_two_enters_in_the_palette_run_the_command_once(demo_app: CcmApp) -> None:
    """The second enter reached the closed palette: it dismissed again (popping the book) or ran the command twice."""
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await type_into(pilot, "Import from CSV")
        await settle(pilot, demo_app)
        await burst(pilot, ["enter", "enter"])
        await settle(pilot, demo_app)
        assert [type(screen) for screen in demo_app.screen_stack] == [CustomerBookScreen, ImportDialog]


async def test_ctrl_p_over_a_dialog_over_the_palette_opens_no_second_one(demo_app: CcmApp) -> None:
    """A dialog a worker pushed over the palette: ctrl+p there raised DuplicateIds."""
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await settle(pilot, demo_app)
        demo_app.push_screen(HelpScreen([]))
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await settle(pilot, demo_app)
        assert sum(isinstance(screen, CommandPalette) for screen in demo_app.screen_stack) == 1


# -- a dialog a worker prepared, after the user moved on ----------------------------------


async def test_an_edit_form_read_after_the_palette_opened_stays_away(
    demo_app: CcmApp, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """e reads the customer in a worker; ctrl+p typed meanwhile: the form opened over the palette."""
    reading, release = threading.Event(), threading.Event()
    real = demo_services.book.get_customer

    def slow_get_customer(customer_id: int) -> object:
        reading.set()
        release.wait(10)
        return real(customer_id)

    monkeypatch.setattr(demo_services.book, "get_customer", slow_get_customer)
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("e")
        assert await asyncio.to_thread(reading.wait, 10)
        await pilot.press("ctrl+p")
        release.set()
        await settle(pilot, demo_app)
        assert [type(screen) for screen in demo_app.screen_stack] == [CustomerBookScreen, ProjectPalette]


async def test_the_import_dialog_opens_again_after_a_path_too_long_was_checked(
    demo_app: CcmApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last path is offered again; asking whether it was a file raised OSError (name too long)."""
    too_long = tmp_path / ("x" * 300 + ".csv")
    monkeypatch.setattr(ImportDialog, "last_path", too_long)
    async with demo_app.run_test(size=(100, 30)) as pilot:
        dialog = await open_import_dialog(pilot, demo_app)
        assert dialog.query_one("#import-path", Input).value == str(too_long)
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert "File name too long" in str(dialog.query_one("#import-error", Static).render())
