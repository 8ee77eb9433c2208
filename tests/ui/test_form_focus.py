"""Issue 12: every form opens with its first field focused, so the keys typed at once land there.

Each test opens a form with its key, types straight away (no waiting for
the form, as a CCM who knows the key does), saves, and reads the book.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input, Select

from ccm_tui.app import CcmApp
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.checklist import ItemState
from ccm_tui.domain.fee_guard import Initiator
from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.fee_guard_dialog import FeeGuardDialog
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import (
    ActionItemRow,
    ActivationChangeRow,
    ContactRow,
    CustomerRow,
    IncidentRow,
    SiteRow,
    TimeEntryRow,
)
from ccm_tui.widgets.checkbox_group import TextCheckbox
from tests.pilot_helpers import settle, wait_until
from tests.ui.test_agenda_screen import due_customer, open_quarterly
from tests.ui.test_calendar import open_detail, pick_initiator
from tests.ui.test_checklist_screen import highlight, item_row, open_checklist


@pytest.fixture(autouse=True)
def _no_animation(demo_app: CcmApp) -> None:
    demo_app.animation_level = "none"


def keys(text: str) -> Iterable[str]:
    return ("space" if char == " " else char for char in text)


async def open_and_type(pilot: Pilot, app: CcmApp, key: str | Iterable[str], text: str) -> FormDialog[object]:  # type: ignore[type-arg]
    """Press the form's key, type `text` at once; the form that took it."""
    await pilot.press(*([key] if isinstance(key, str) else key))
    await pilot.press(*keys(text))
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, FormDialog)
    return dialog


async def save(pilot: Pilot, app: CcmApp) -> None:  # type: ignore[type-arg]
    await pilot.press("ctrl+s")
    await settle(pilot, app)
    assert not isinstance(app.screen, FormDialog), "the form saved and closed"


def first_customer(services: Services) -> int:
    return services.book.book_page(BookQuery(limit=1)).rows[0].customer_id


async def open_customer(pilot: Pilot, app: CcmApp) -> CustomerDetailScreen:  # type: ignore[type-arg]
    await settle(pilot, app)
    await pilot.press("enter")
    await settle(pilot, app)
    assert isinstance(app.screen, CustomerDetailScreen)
    return app.screen


# -- the book and the customer ----------------------------------------------------------


async def test_new_customer_n_takes_the_name_typed_at_once(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        dialog = await open_and_type(pilot, demo_app, "n", "Zephyr Freight")
        assert dialog.query_one("#field-name", Input).value == "Zephyr Freight"
        dialog.query_one("#field-account_number", Input).value = "NA-99001"
        dialog.query_one("#field-region", Select).value = "NA"
        dialog.query_one("#field-hours_per_month", Input).value = "8"
        await save(pilot, demo_app)
    with read_session(demo_services.engine) as session:
        assert session.scalars(select(CustomerRow.account_number).where(CustomerRow.name == "Zephyr Freight")).one() == "NA-99001"


async def test_log_time_t_starts_in_the_hours(demo_app: CcmApp, demo_services: Services) -> None:
    customer_id = first_customer(demo_services)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        dialog = await open_and_type(pilot, demo_app, "t", "2.5")
        dialog.query_one("#field-category", Select).value = "relationship"
        dialog.query_one("#field-note", Input).value = "typed at once"
        await save(pilot, demo_app)
    with read_session(demo_services.engine) as session:
        entry = session.scalars(select(TimeEntryRow).where(TimeEntryRow.note == "typed at once")).one()
    assert (entry.customer_id, entry.minutes) == (customer_id, 150)


async def test_contact_a_then_tab_through_the_roles_in_order(demo_app: CcmApp, demo_services: Services) -> None:
    """Name, the role boxes top to bottom, phone, e-mail: Tab goes the way the form reads."""
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_customer(pilot, demo_app)
        dialog = await open_and_type(pilot, demo_app, "a", "Priya Raman")
        boxes = list(dialog.query(TextCheckbox))
        await pilot.press("tab")
        assert demo_app.focused is boxes[0]
        await pilot.press("space")  # designated
        for box in boxes[1:]:
            await pilot.press("tab")
            assert demo_app.focused is box
        await pilot.press("tab", *keys("+1 212 555 0188"), "tab", *keys("priya@example.com"))
        assert dialog.query_one("#field-phone", Input).value == "+1 212 555 0188"
        assert dialog.query_one("#field-email", Input).value == "priya@example.com"
        await save(pilot, demo_app)
    with read_session(demo_services.engine) as session:
        row = session.scalars(select(ContactRow).where(ContactRow.name == "Priya Raman")).one()
    assert (row.roles, row.phone, row.email) == ("designated", "+1 212 555 0188", "priya@example.com")


async def test_contact_e_replaces_the_name_typed_at_once(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_customer(pilot, demo_app)
        contact = screen.detail.contacts[0]  # type: ignore[union-attr]
        await open_and_type(pilot, demo_app, "e", "Dana Whitfield")  # the name is selected: typing replaces it
        await save(pilot, demo_app)
    with read_session(demo_services.engine) as session:
        assert session.get(ContactRow, contact.id).name == "Dana Whitfield"  # type: ignore[union-attr]


async def test_site_add_and_edit_take_the_name_typed_at_once(demo_app: CcmApp, demo_services: Services) -> None:
    customer_id = first_customer(demo_services)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_customer(pilot, demo_app)
        await pilot.press("right_square_bracket")  # the Sites tab
        await settle(pilot, demo_app)
        dialog = await open_and_type(pilot, demo_app, "a", "Dock 9")
        dialog.query_one("#field-country", Input).value = "US"
        dialog.query_one("#field-timezone", Input).value = "America/New_York"
        await save(pilot, demo_app)
        dialog = await open_and_type(pilot, demo_app, "e", "Depot North")
        assert dialog.query_one("#field-name", Input).value == "Depot North"
        await save(pilot, demo_app)
    with read_session(demo_services.engine) as session:
        names = set(session.scalars(select(SiteRow.name).where(SiteRow.customer_id == customer_id)))
    assert "Dock 9" in names and "Depot North" in names


# -- the agenda and the checklist ---------------------------------------------------------


async def test_action_item_and_incident_take_what_is_typed_at_once(demo_app: CcmApp, demo_services: Services) -> None:
    customer_id = due_customer(demo_services)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await open_quarterly(pilot, demo_app, customer_id)
        await open_and_type(pilot, demo_app, "A", "Send the SLA report")
        await save(pilot, demo_app)
        await pilot.press("right_square_bracket", "right_square_bracket")  # the Incidents tab
        await settle(pilot, demo_app)
        await open_and_type(pilot, demo_app, "a", "Core switch lost power")  # kind and severity come filled
        await save(pilot, demo_app)
    with read_session(demo_services.engine) as session:
        assert session.scalars(select(ActionItemRow).where(ActionItemRow.text == "Send the SLA report")).one()
        incident = session.scalars(select(IncidentRow).where(IncidentRow.summary == "Core switch lost power")).one()
    assert incident.customer_id == customer_id


async def test_block_note_b_takes_the_note_typed_at_once(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        item_id = await highlight(pilot, demo_app, screen, lambda line: line.item.state is ItemState.OPEN)
        await open_and_type(pilot, demo_app, "b", "Riser key from the landlord")
        await save(pilot, demo_app)
    row = item_row(demo_services, item_id)
    assert (row.state, row.note) == ("blocked", "Riser key from the landlord")


# -- the fee guard and the first start ---------------------------------------------------------


async def test_cancel_x_starts_on_who_asked_then_tab_to_the_reason(demo_app: CcmApp, demo_services: Services) -> None:
    later = demo_services.calendar.agenda(date(2026, 12, 1), CalendarFilter()).events
    target = next(e for e in later if e.step.status is StepStatus.CONFIRMED)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, demo_app, target)
        await pilot.press("x")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FeeGuardDialog)
        assert demo_app.focused is dialog.query_one("#field-initiator", Select), "who asked decides the fee: chosen first"
        await pick_initiator(pilot, demo_app, dialog, Initiator.CUSTOMER)
        await pilot.press("tab", *keys("Order withdrawn"))
        assert dialog.query_one("#field-reason", Input).value == "Order withdrawn"
        await save(pilot, demo_app)
    with read_session(demo_services.engine) as session:
        last = session.scalars(
            select(ActivationChangeRow)
            .where(ActivationChangeRow.activation_id == target.activation.id)
            .order_by(ActivationChangeRow.id.desc())
        ).first()
    assert last is not None and last.action == "cancel" and last.reason.startswith("Order withdrawn")


async def test_first_start_name_takes_what_is_typed_at_once(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('locale = "en_US"\n', encoding="utf-8")
    monkeypatch.setenv("CCM_CONFIG", str(config))
    app = CcmApp(Settings(time_zone="America/New_York"), clock, BookLocation.file(tmp_path / "book.sqlite"))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#field-name")), "the name dialog")
        await pilot.press(*keys("Robin Quinn"))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, FormDialog), "the dialog closing")
        await settle(pilot, app)
        assert app.title.startswith("Robin Quinn")
