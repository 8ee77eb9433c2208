"""Issue 12: esc (or Cancel) on a changed form asks before discarding it; on an unchanged one it closes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from textual.widgets import Input

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.confirm import ConfirmDialog
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ContactRow
from ccm_tui.widgets.checkbox_group import TextCheckbox
from tests.pilot_helpers import settle


@pytest.fixture(autouse=True)
def _no_animation(demo_app: CcmApp) -> None:
    demo_app.animation_level = "none"


def contacts(services: Services) -> int:
    customer_id = services.book.book_page(BookQuery(limit=1)).rows[0].customer_id
    with read_session(services.engine) as session:
        return session.scalar(select(func.count()).where(ContactRow.customer_id == customer_id)) or 0


async def new_contact_form(pilot, app: CcmApp) -> FormDialog[object]:  # type: ignore[no-untyped-def]
    await settle(pilot, app)
    await pilot.press("enter")
    await settle(pilot, app)
    assert isinstance(app.screen, CustomerDetailScreen)
    await pilot.press("a")
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, FormDialog)
    return dialog


async def test_esc_on_a_changed_form_asks_n_keeps_the_input_y_discards(demo_app: CcmApp, demo_services: Services) -> None:
    before = contacts(demo_services)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        dialog = await new_contact_form(pilot, demo_app)
        await pilot.press(*"Kim")
        await pilot.press("escape")
        await settle(pilot, demo_app)
        confirm = demo_app.screen
        assert isinstance(confirm, ConfirmDialog) and confirm.dialog_title == "Discard your changes?"
        await pilot.press("n")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog and dialog.query_one("#field-name", Input).value == "Kim"
        assert demo_app.focused is dialog.query_one("#field-name", Input), "back where the user was typing"
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ConfirmDialog)
        await pilot.press("escape")  # esc on the question goes back too
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        await pilot.press("escape", "y")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
    assert contacts(demo_services) == before


async def test_enter_on_the_question_and_the_cancel_button_discard_too(demo_app: CcmApp, demo_services: Services) -> None:
    before = contacts(demo_services)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        dialog = await new_contact_form(pilot, demo_app)
        await pilot.press(*"Kim")
        await pilot.click("#form-cancel")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ConfirmDialog), "Cancel asks as esc does"
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen) and dialog.dismissed
    assert contacts(demo_services) == before


async def test_a_ticked_box_is_a_change_too(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        dialog = await new_contact_form(pilot, demo_app)
        dialog.query(TextCheckbox).first().focus()
        await pilot.press("space")
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)


async def test_esc_on_an_unchanged_form_closes_at_once(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await new_contact_form(pilot, demo_app)
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
        await pilot.press("e")  # an edit form, filled in: unchanged still closes at once
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, FormDialog)
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)


async def test_typing_back_what_was_there_is_no_change(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await new_contact_form(pilot, demo_app)
        await pilot.press("x", "backspace", "escape")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
