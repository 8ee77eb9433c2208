"""Pilot: corrections with keys, the book checked after each: `d` removes a contact (refused
with the reason while an activation in progress names one), `e`/`d` on the Hours tab edit and
remove a time entry, `i` reinstates a cancelled event."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable, Input, Static, TabbedContent

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery, CustomerDetail
from ccm_tui.domain.changes import REMOVED, Entity
from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.status import REINSTATE, Action
from ccm_tui.screens.activation_detail import ActivationDetailScreen
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.confirm import ConfirmDialog
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import Services
from tests.pilot_helpers import settle


def a_customer_to_correct(services: Services) -> CustomerDetail:
    """A demo customer with time this month, a contact an activation in progress names and one it does not."""
    for row in services.book.book_page(BookQuery(limit=40)).rows:
        detail = services.book.customer_detail(row.customer_id)
        used = [services.book.contact_in_use(c.id) is not None for c in detail.contacts]
        if detail.time_entries and any(used) and not all(used):
            return detail
    raise AssertionError("the demo book has no such customer")


def messages(app: CcmApp) -> str:
    return " | ".join(n.message for n in app._notifications)


async def test_remove_a_contact_and_correct_time_with_keys(demo_app: CcmApp, demo_services: Services) -> None:
    book = demo_services.book
    detail = a_customer_to_correct(demo_services)
    used = next(i for i, c in enumerate(detail.contacts) if book.contact_in_use(c.id) is not None)
    free = next(i for i, c in enumerate(detail.contacts) if book.contact_in_use(c.id) is None)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        screen = CustomerDetailScreen(detail.customer.id)
        await demo_app.push_screen(screen)
        await settle(pilot, demo_app)
        contacts = screen.query_one("#contacts-table", DataTable)
        contacts.focus()

        contacts.move_cursor(row=used)
        await pilot.press("d")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen  # refused at once: nothing to confirm
        assert "which is not finished" in messages(demo_app)
        assert len(book.customer_detail(detail.customer.id).contacts) == len(detail.contacts)

        contacts.move_cursor(row=free)
        await pilot.press("d")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.dialog_title == f"Remove the contact {detail.contacts[free].name}?"
        await pilot.press("y")
        await settle(pilot, demo_app)
        left = book.customer_detail(detail.customer.id).contacts
        assert detail.contacts[free] not in left and len(left) == len(detail.contacts) - 1
        entry = book.last_change(Entity.CONTACT, detail.contacts[free].id)
        assert entry is not None and entry.action == REMOVED

        screen.query_one(TabbedContent).active = "hours"
        hours = screen.query_one("#hours-table", DataTable)
        hours.focus()
        hours.move_cursor(row=0)
        first = detail.time_entries[0]
        await pilot.press("e")
        await settle(pilot, demo_app)
        form = demo_app.screen
        assert isinstance(form, FormDialog)
        field = form.query_one("#field-hours", Input)
        field.value = str(first.hours + 1)
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen
        changed = book.customer_detail(detail.customer.id).time_entries[0]
        assert (changed.id, changed.hours, changed.day) == (first.id, first.hours + Decimal(1), first.day)

        await pilot.press("d")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert first.id not in [e.id for e in book.customer_detail(detail.customer.id).time_entries]
        entry = book.last_change(Entity.TIME_ENTRY, first.id)
        assert entry is not None and entry.action == REMOVED


async def test_reinstate_a_cancelled_event_with_its_key(demo_app: CcmApp, demo_services: Services) -> None:
    calendar, now = demo_services.calendar, demo_services.now()
    line, step = next(
        (line, step)
        for row in demo_services.book.book_page(BookQuery(limit=40)).rows
        for line in demo_services.book.customer_detail(row.customer_id).activations
        for step in line.activation.steps
        if step.status is StepStatus.CONFIRMED and step.start is not None and step.start > now
    )
    guard, versions = calendar.quote(step.id, Action.CANCEL)
    calendar.change(step.id, versions, Action.CANCEL, guard, reason="customer withdrew")
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        screen = ActivationDetailScreen(line.activation.id, step.kind)
        await demo_app.push_screen(screen)
        await settle(pilot, demo_app)
        # on a cancelled step Reinstate takes the place of Reschedule and Cancel
        assert screen.check_action("reinstate", ()) is not False
        assert screen.check_action("act", ("cancel",)) is False
        await pilot.press("i")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ConfirmDialog)
        body = str(dialog.query_one("#confirm-body", Static).render())
        assert "back to confirmed" in body and "as before the cancellation" in body
        assert ("stays on record" in body) == (guard is not None and guard.total is not None and guard.charged)
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert "Reinstated" in messages(demo_app)
        detail = calendar.detail(line.activation.id)
        back = detail.activation.step(step.kind)
        assert back is not None and (back.status, back.start) == (StepStatus.CONFIRMED, step.start)
        assert detail.history[0].action == REINSTATE
        assert screen.check_action("reinstate", ()) is False  # no longer cancelled: not offered
