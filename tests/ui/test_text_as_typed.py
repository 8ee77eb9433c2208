"""Names, notes and paths that look like markup are shown as typed, everywhere they appear.

"[/]x[/b" read as Textual markup is a closing tag with nothing to close:
MarkupError, the app gone (the monkey test's hostile book). A label read as
markup in the palette made the customer disappear from its results.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import date
from pathlib import Path

import pytest
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.widgets._select import SelectOverlay

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.errors import StoreError
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.screens.export_dialog import ExportDialog
from ccm_tui.screens.fee_guard_dialog import FeeGuardDialog
from ccm_tui.screens.review_dialogs import EditorDialog
from ccm_tui.services import Services
from ccm_tui.widgets.checkbox_group import TextCheckbox
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle, wait_until
from tests.ui.test_calendar import open_calendar, open_detail
from tests.ui.test_customer_book import type_into
from tests.ui.test_monkey_findings import MARKUP, lines, poison


def shown(widget: Static | Label) -> str:
    return str(widget.render())


def shown_box(box: TextCheckbox) -> str:
    return str(box.render())


def chosen(select: Select[str]) -> str:
    """What the select shows as chosen."""
    return shown(select.query_one("SelectCurrent #label", Static))


def notices(app: App[object]) -> str:
    return " | ".join(str(note.message) for note in app._notifications)


# -- the form dialog: title, options, help -------------------------------------------


class FormHarness(App[None]):
    def on_mount(self) -> None:
        fields = [
            FormField("contact", "Contact", "select", options=((f"Ann {MARKUP} (designated)", "1"), ("Bo", "2"))),
            FormField("roles", "Roles", "multi", options=((f"Role {MARKUP}", "r"),)),
            FormField("note", "Note", help=f"at the site {MARKUP}"),
        ]
        self.push_screen(FormDialog(f"Log time for Acme {MARKUP}", fields, {"contact": "1"}, lambda values: values))


async def test_a_form_shows_its_title_options_and_help_as_typed() -> None:
    app = FormHarness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert MARKUP in shown(dialog.query_one(".form-title", Label))
        assert MARKUP in shown(dialog.query_one(".form-help", Static))
        assert MARKUP in shown_box(dialog.query_one(TextCheckbox))
        select = dialog.query_one("#field-contact", Select)
        assert MARKUP in chosen(select)
        select.focus()
        await pilot.press("enter")  # the options
        await settle(pilot)
        assert select.expanded and app.return_code is None
        assert MARKUP in lines(select.query_one(SelectOverlay))
        await pilot.press("down", "enter")
        await settle(pilot)
        assert select.value == "2"


class EditorHarness(App[None]):
    def on_mount(self) -> None:
        self.push_screen(
            EditorDialog("An item", lambda values: values, text="", sections=[f"Other {MARKUP}"], section=f"Other {MARKUP}")
        )


async def test_the_review_editor_offers_sections_as_typed() -> None:
    app = EditorHarness()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert MARKUP in chosen(app.screen.query_one("#field-section", Select))


async def test_log_time_for_a_customer_named_with_markup(demo_app: CcmApp, demo_services: Services) -> None:
    poison(demo_services, "customer", "name")
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("t")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog) and demo_app.return_code is None
        title = shown(dialog.query_one(".form-title", Label))
        assert title.startswith("Log time for ") and title.endswith(MARKUP)


async def test_the_calendar_filter_offers_ccms_as_typed(demo_app: CcmApp, demo_services: Services) -> None:
    poison(demo_services, "customer", "ccm")
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_calendar(pilot, demo_app)
        await pilot.press("f")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        ccm = dialog.query_one("#field-ccm", Select)
        poisoned = next(value for _, value in ccm._options if isinstance(value, str) and value.endswith(MARKUP))
        ccm.value = poisoned
        await settle(pilot, demo_app)
        assert demo_app.return_code is None and MARKUP in chosen(ccm)


async def test_the_validation_dialog_offers_contacts_as_typed(demo_app: CcmApp, demo_services: Services) -> None:
    from ccm_tui.domain.model import StepStatus

    poison(demo_services, "contact", "name")
    poison(demo_services, "site", "name")
    later = demo_services.calendar.agenda(date(2026, 11, 24), CalendarFilter()).events
    target = next(e for e in later if e.step.status is StepStatus.CONFIRMED)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, demo_app, target)
        await pilot.press("v")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog) and demo_app.return_code is None
        assert MARKUP in chosen(dialog.query_one("#field-contact_id", Select))
        assert MARKUP in shown(dialog.query_one(".form-title", Label))  # "... at <site>", the site's name


# -- the customer and activation screens ---------------------------------------------------


async def test_a_customer_whose_contacts_and_sites_hold_markup_opens(demo_app: CcmApp, demo_services: Services) -> None:
    poison(demo_services, "customer", "name", "notes")
    poison(demo_services, "contact", "name", "phone", "email")
    poison(demo_services, "site", "name", "city")
    poison(demo_services, "time_entry", "note")
    async with demo_app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, CustomerDetailScreen) and demo_app.return_code is None
        assert MARKUP in shown(screen.query_one("#detail-summary", Static))
        assert MARKUP in lines(screen.query_one("#contacts-table", DataTable))
        for tab in ("sites", "orders", "activations", "hours"):
            await pilot.press("right_square_bracket")
            await settle(pilot, demo_app)
            assert demo_app.return_code is None, tab
            if tab == "sites":
                assert MARKUP in lines(screen.query_one("#sites-table", DataTable))


async def test_an_activation_whose_contacts_hold_markup_opens(demo_app: CcmApp, demo_services: Services) -> None:
    event = demo_services.calendar.agenda(date(2026, 11, 23), CalendarFilter()).events[0]
    poison(demo_services, "contact", "name", "phone")
    poison(demo_services, "customer", "name", "ccm")
    poison(demo_services, "site", "name", "city")
    poison(demo_services, "activation_change", "reason")
    async with demo_app.run_test(size=(160, 40)) as pilot:
        screen = await open_detail(pilot, demo_app, event)
        assert demo_app.return_code is None
        assert MARKUP in shown(screen.query_one("#act-contacts", Static))
        assert MARKUP in shown(screen.query_one("#act-summary", Static))
        await pilot.press("a")  # the actions menu
        await settle(pilot, demo_app)
        assert demo_app.return_code is None


async def test_a_fee_guard_quoted_after_the_user_moved_on_stays_away(
    demo_app: CcmApp, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s quotes the fee in a worker; ctrl+p typed meanwhile: the guard opened over the palette."""
    event = next(e for e in demo_services.calendar.agenda(date(2026, 11, 23), CalendarFilter()).events if e.step.start is not None)
    quoting, release = threading.Event(), threading.Event()
    real = demo_services.calendar.quote

    def slow_quote(*args: object, **kwargs: object) -> object:
        quoting.set()
        release.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(demo_services.calendar, "quote", slow_quote)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(pilot, demo_app, event)
        await pilot.press("s")
        assert await asyncio.to_thread(quoting.wait, 10)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(demo_app.screen, CommandPalette), "the palette to open")
        release.set()
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CommandPalette)
        assert not any(isinstance(screen, FeeGuardDialog) for screen in demo_app.screen_stack)
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert demo_app.screen is detail


# -- the palette, notices and the export dialog ---------------------------------------------


@pytest.mark.parametrize("prefix", ["", "prepare review for "])
async def test_the_palette_finds_a_customer_named_with_markup(demo_app: CcmApp, demo_services: Services, prefix: str) -> None:
    poison(demo_services, "customer", "name")
    name = demo_services.book.book_page(BookQuery(limit=1)).rows[0].name
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(demo_app.screen, CommandPalette), "the palette to open")
        await type_into(pilot, prefix + name.split()[0])
        await settle(pilot, demo_app)
        commands = demo_app.screen.query_one(CommandList)
        prompts = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        assert any(name in prompt for prompt in prompts), prompts


async def test_a_store_error_no_worker_caught_is_said_as_it_reads(
    demo_app: CcmApp, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(customer_id: int) -> object:
        raise StoreError(f"customer {MARKUP} is gone")

    monkeypatch.setattr(demo_services.book, "customer_detail", gone)
    async with demo_app.run_test(size=(120, 40), notifications=True) as pilot:  # toasts drawn: their text is read
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert demo_app.return_code is None
        assert f"Customer {MARKUP} is gone" in notices(demo_app)


@pytest.mark.parametrize("typed", [f"in {MARKUP}/out", "~nobody-here-at-all/out", "out\x00x"])
async def test_an_export_path_is_shown_as_typed_and_refused_at_the_field(demo_app: CcmApp, tmp_path: Path, typed: str) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("x")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ExportDialog)
        if MARKUP in typed:
            (tmp_path / typed).parent.mkdir(parents=True)  # "in [", "]x[", "b"
        dialog.query_one("#export-path", Input).value = typed if typed.startswith("~") else str(tmp_path / typed)
        await settle(pilot, demo_app)
        assert demo_app.return_code is None
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.return_code is None
        if MARKUP in typed:  # a folder that can be made: written, and said so
            assert MARKUP in notices(demo_app)
        else:
            assert demo_app.screen is dialog
            assert shown(dialog.query_one("#export-error", Static)).strip()


async def test_account_and_order_numbers_with_markup_are_shown_as_typed(demo_app: CcmApp, demo_services: Services) -> None:
    """An import may bring "[/]" in an account or order number: the book and the steps waiting for a window show it."""
    poison(demo_services, "customer", "account_number")
    poison(demo_services, "orders", "number")
    async with demo_app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, demo_app)
        assert demo_app.return_code is None
        book = demo_app.screen.query_one(CustomerTable)
        assert any(str(cell).endswith(MARKUP) for cell in book.get_row_at(0))  # the column is narrower than that
        await open_calendar(pilot, demo_app)
        await pilot.press("s")
        await settle(pilot, demo_app)
        assert demo_app.return_code is None
        assert MARKUP in lines(demo_app.screen.query_one("#waiting-table", DataTable))
