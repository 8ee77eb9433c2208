"""A value that used to end the app from a form is a message at its field."""

from __future__ import annotations

from sqlalchemy import func, select
from textual.widgets import Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.screens.checklist import ChecklistScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ChecklistItemRow
from tests.pilot_helpers import settle


def adhoc_items(services: Services) -> int:
    with read_session(services.engine) as session:
        return session.scalar(select(func.count()).where(ChecklistItemRow.source == "adhoc")) or 0


async def test_superscript_two_as_business_days_is_a_message_not_a_crash(demo_app: CcmApp, demo_services: Services) -> None:
    before = adhoc_items(demo_services)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("3")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ChecklistScreen)
        await pilot.press("a")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-text", Input).value = "Badge for the technician"
        days = dialog.query_one("#field-due_business_days", Input)
        days.value = ""
        days.focus()
        await pilot.press("²")  # "²".isdigit() is true; int("²") used to end the app
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.is_running and demo_app.screen is dialog
        assert days.value == "²"
        assert "whole number" in str(dialog.query_one("#error-due_business_days", Static).render())
    assert adhoc_items(demo_services) == before


async def test_a_bad_value_that_looks_like_markup_is_shown_as_typed(demo_app: CcmApp, demo_services: Services) -> None:
    """The message quotes the value; "[/x]" in it is text, not a Textual markup tag that ends the app."""
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("n")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-name", Input).value = "[b]Bold[/b] Ltd"
        dialog.query_one("#field-account_number", Input).value = "[/x]"
        dialog.query_one("#field-region").value = "NA"  # type: ignore[attr-defined]
        dialog.query_one("#field-hours_per_month", Input).value = "[link=x]8"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.is_running and demo_app.screen is dialog
        assert "'[/x]' may hold only letters" in str(dialog.query_one("#error-account_number", Static).render())
        assert "'[link=x]8' is not a number" in str(dialog.query_one("#error-hours_per_month", Static).render())
