"""Pilot: a way across. Enter on a customer's activation or a checklist row opens the activation;
history rows open in full; Home/End move in lists (and stay the field's in a field); counts say "2 of 42"."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static, TabbedContent

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.checklist import ItemState
from ccm_tui.domain.checklist_views import UpcomingQuery
from ccm_tui.domain.step_order import by_relevance, pending
from ccm_tui.screens.activation_detail import ActivationDetailScreen
from ccm_tui.screens.checklist import ChecklistScreen
from ccm_tui.screens.checklist_history import ItemHistoryScreen
from ccm_tui.screens.customer_detail import TABS, CustomerDetailScreen
from ccm_tui.screens.history_entry import HistoryEntryDialog
from ccm_tui.services import Services
from ccm_tui.services.people import add_history_note
from ccm_tui.widgets.checklist_table import ChecklistTable
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle, wait_until

LONG = "Called the site manager twice; " * 6 + "the rack is ready but the riser cable to floor 3 is not, back Monday."


def _mixed_customer(services: Services) -> int:
    """A demo customer with steps to come (with a window) and steps done: the order shows."""
    for row in services.book.book_page(BookQuery(limit=100)).rows:
        steps = [s for line in services.book.customer_detail(row.customer_id).activations for s in line.activation.steps]
        if any(pending(s) and s.start for s in steps) and any(not pending(s) for s in steps) and len(steps) >= 3:
            return row.customer_id
    raise AssertionError("the demo has no customer with both coming and finished steps")


def _entry_text(dialog: HistoryEntryDialog) -> str:
    return "\n".join(f"{label}: {text}" for label, text in dialog.parts)


async def test_enter_on_a_customers_activation_opens_it_home_end_move_and_the_timeline_opens_in_full(
    demo_app: CcmApp, demo_services: Services
) -> None:
    customer_id = _mixed_customer(demo_services)
    detail = demo_services.book.customer_detail(customer_id)
    expected = by_relevance([s for line in detail.activations for s in line.activation.steps], lambda s: s)
    contact = detail.contacts[0]
    demo_services.book.mark_contact_reviewed(contact.id)  # something on the timeline
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        demo_app.open_customer(customer_id)
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, CustomerDetailScreen)
        for _ in range(TABS.index("activations")):
            await pilot.press("right_square_bracket")
        await settle(pilot, demo_app)
        table = screen.query_one("#activations-table", DataTable)
        assert demo_app.focused is table
        assert screen.activation_rows == [(s.activation_id, s.kind) for s in expected]  # coming first, then the past

        await pilot.press("end")
        assert table.cursor_row == len(expected) - 1
        await pilot.press("enter")
        await settle(pilot, demo_app)
        opened = demo_app.screen
        assert isinstance(opened, ActivationDetailScreen)
        assert (opened.activation_id, opened.initial_kind) == (expected[-1].activation_id, expected[-1].kind)
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen and demo_app.focused is table

        await pilot.press("home", "enter")
        await settle(pilot, demo_app)
        opened = demo_app.screen
        assert isinstance(opened, ActivationDetailScreen)
        assert (opened.activation_id, opened.initial_kind) == (expected[0].activation_id, expected[0].kind)
        await pilot.press("escape")
        await settle(pilot, demo_app)

        # enter on another tab is the table's own: nothing opens
        await pilot.press("left_square_bracket")
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen

        tabs = screen.query_one(TabbedContent)
        tabs.active = "timeline"
        screen.query_one("#timeline-table", DataTable).focus()
        await settle(pilot, demo_app)
        await pilot.press("home", "enter")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, HistoryEntryDialog)
        assert dialog.entry_title == f"Contact {contact.name}"
        text = _entry_text(dialog)
        assert f"Who: {demo_services.actor.name}" in text or f"Who: {demo_services.actor.author}" in text
        assert "Last reviewed: " in text and " → 2026-11-20" in text
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen


async def test_enter_on_a_checklist_row_opens_its_activation_and_history_opens_in_full(
    demo_app: CcmApp, demo_services: Services
) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("3")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, ChecklistScreen)
        assert screen.checklist is not None
        activation_id = screen.checklist.activation.id
        await pilot.press("enter")  # from the list into the checklist
        await settle(pilot, demo_app)
        table = screen.query_one(ChecklistTable)
        assert demo_app.focused is table
        line = table.current()
        assert line is not None and line.item.state is not ItemState.BLOCKED
        item = demo_services.checklists.block(line.item, {"note": LONG})  # a note longer than any column

        # h: the item's history; enter: the change with its whole note
        await pilot.press("h")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ItemHistoryScreen)
        await pilot.press("end", "enter")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, HistoryEntryDialog)
        assert f"Note: {LONG}" in _entry_text(dialog)
        await pilot.press("escape", "escape")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen

        # enter on an item: the activation, at the step of the item's phase
        await pilot.press("enter")
        await settle(pilot, demo_app)
        opened = demo_app.screen
        assert isinstance(opened, ActivationDetailScreen)
        assert (opened.activation_id, opened.initial_kind) == (activation_id, item.phase.step)

        # its history: enter opens a line in full (the note a table row cuts with …)
        assert opened.detail is not None
        step = next(s for s in opened.detail.activation.steps if s.kind is item.phase.step)
        add_history_note(demo_services, step.id, LONG)
        opened.reload()
        await settle(pilot, demo_app)
        history = opened.query_one("#act-history", DataTable)
        history.focus()
        await pilot.press("home", "enter")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, HistoryEntryDialog)
        assert f"Why: {LONG}" in _entry_text(dialog)
        await pilot.press("escape")
        await settle(pilot, demo_app)
        opened.query_one("#act-steps", DataTable).focus()
        await pilot.press("enter")  # on the steps, enter does not open a history entry
        await settle(pilot, demo_app)
        assert demo_app.screen is opened


async def test_counts_say_matches_of_the_whole_and_home_end_stay_the_fields_in_a_field(
    demo_app: CcmApp, demo_services: Services
) -> None:
    whole = demo_services.book.book_page(BookQuery()).total
    cafes = demo_services.book.book_page(BookQuery(text="cafe")).total
    upcoming = demo_services.checklists.upcoming_total(UpcomingQuery())
    upcoming_cafes = demo_services.checklists.upcoming_total(UpcomingQuery(text="cafe"))
    assert 0 < cafes < whole and 0 < upcoming_cafes < upcoming

    def status(selector: str) -> str:
        return str(demo_app.screen.query_one(selector, Static).render())

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        assert status("#book-status").startswith(f"{whole} customers · sorted by name")  # no filter: the total
        table = demo_app.screen.query_one(CustomerTable)
        await pilot.press("end")
        await settle(pilot, demo_app)
        assert table.cursor_row == table.row_count - 1 == whole - 1
        await pilot.press("home")
        assert table.cursor_row == 0

        await pilot.press("slash", "c", "a", "f", "e")
        await settle(pilot, demo_app)
        assert status("#book-status").startswith(f"{cafes} of {whole} customers")
        await pilot.press("home", "x", "end", "y")  # in the field: its own start and end
        await settle(pilot, demo_app)
        assert demo_app.screen.query_one("#book-filter", Input).value == "xcafey"
        assert table.cursor_row == 0

        await pilot.press("enter", "3")  # out of the field, to the checklist
        await settle(pilot, demo_app)
        await pilot.press("slash", "c", "a", "f", "e")
        await settle(pilot, demo_app)
        await wait_until(pilot, lambda: f"{upcoming_cafes} of {upcoming} upcoming" in status("#checklist-status"), "the count")
        await pilot.press("escape")  # no filter: the total alone
        await settle(pilot, demo_app)
        assert f" {upcoming} upcoming" in status("#checklist-status") and " of " not in status("#checklist-status")
