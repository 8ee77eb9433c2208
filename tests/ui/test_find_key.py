"""`/` on every screen: a detail or side list goes back to its view's list with the filter open."""

from __future__ import annotations

from textual.widgets import Input

from ccm_tui.app import CcmApp
from ccm_tui.screens.activation_calendar import ActivationCalendarScreen
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.on_call import OnCallScreen
from ccm_tui.screens.reminders import RemindersScreen
from ccm_tui.screens.waiting_steps import WaitingStepsScreen
from ccm_tui.services import Services
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle, wait_until


async def test_slash_on_a_customer_finds_another_and_edits_nothing(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
        before = demo_services.book.get_customer(demo_app.screen.customer_id)
        await pilot.press("slash")
        await settle(pilot, demo_app)
        await pilot.press(*"boden")  # "e" here was the edit form, "R" a contact marked reviewed
        await settle(pilot, demo_app)
        book = demo_app.screen
        assert isinstance(book, CustomerBookScreen), "back on the book, not in a form"
        assert book.query_one("#book-filter", Input).value == "boden"
        table = book.query_one(CustomerTable)
        await wait_until(pilot, lambda: table.row_count == 1, "the filter to find Bodensee")
        assert str(table.get_row_at(0)[0]).startswith("Bodensee")
    assert demo_services.book.get_customer(before.id) == before  # nothing changed on the way


async def test_slash_on_a_side_list_opens_the_calendars_filter(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("2")
        await settle(pilot, demo_app)
        for side in (OnCallScreen, WaitingStepsScreen, RemindersScreen):
            demo_app.push_screen(side())
            await settle(pilot, demo_app)
            await pilot.press("slash")
            await settle(pilot, demo_app)
            assert isinstance(demo_app.screen, FormDialog), f"/ on {side.__name__} opens the calendar's filter"
            await pilot.press("escape")
            await settle(pilot, demo_app)
            assert isinstance(demo_app.screen, ActivationCalendarScreen)
