"""`u` undoes your last change and `ctrl+r` redoes it: keys pressed, the book checked after each."""

from __future__ import annotations

from datetime import timedelta

from ccm_tui.app import CcmApp
from ccm_tui.domain.fee_guard import Initiator
from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.schedule import CalendarEvent, CalendarFilter
from ccm_tui.domain.status import Action
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.services import Services
from tests.pilot_helpers import settle, wait_until


def first_contact(services: Services, customer_id: int):  # type: ignore[no-untyped-def]
    return services.book.customer_detail(customer_id).contacts[0]


async def test_a_contact_marked_reviewed_without_a_dialog_is_undone_and_redone(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, CustomerDetailScreen)
        was = first_contact(demo_services, screen.customer_id)
        await pilot.press("R")  # no dialog: the first contact is marked reviewed today
        await wait_until(
            pilot, lambda: first_contact(demo_services, screen.customer_id).last_reviewed == demo_services.today(), "R"
        )
        await pilot.press("u")
        await settle(pilot, demo_app)
        assert first_contact(demo_services, screen.customer_id).last_reviewed == was.last_reviewed
        assert any(n.message.startswith("Undone: reviewed contact") for n in demo_app._notifications)
        await pilot.press("ctrl+r")
        await settle(pilot, demo_app)
        assert first_contact(demo_services, screen.customer_id).last_reviewed == demo_services.today()
        await pilot.press("ctrl+r")  # nothing left to redo: said, nothing written
        await settle(pilot, demo_app)
        assert any(n.message == "Nothing undone to redo" for n in demo_app._notifications)
        timeline = demo_services.book.customer_timeline(screen.customer_id, 3)
        assert [(e.reason, e.author_name) for e in timeline[:2]] == [("redo", "Alex Morgan"), ("undo", "Alex Morgan")]


def status_of(services: Services, event: CalendarEvent) -> StepStatus:
    step = services.calendar.detail(event.activation.id).activation.step(event.step.kind)
    assert step is not None
    return step.status


def test_an_undone_cancel_is_reinstated_with_its_history(demo_services: Services) -> None:
    calendar = demo_services.calendar
    far = demo_services.today() + timedelta(days=40)  # no fee: undo never hides a charge
    event = next(e for e in calendar.agenda(far, CalendarFilter()).events if e.step.status is StepStatus.CONFIRMED)
    guard, versions = calendar.quote(event.step.id, Action.CANCEL)
    calendar.change(event.step.id, versions, Action.CANCEL, guard, initiator=Initiator.CUSTOMER)
    assert status_of(demo_services, event) is StepStatus.CANCELLED
    assert demo_services.undo.undo().startswith("cancel")
    assert status_of(demo_services, event) is StepStatus.CONFIRMED
    newest = calendar.detail(event.activation.id).history[0]
    assert (newest.action, newest.reason) == ("undo", "undo cancel")
    assert demo_services.undo.redo().startswith("cancel")
    assert status_of(demo_services, event) is StepStatus.CANCELLED
