"""Several at once (issue 12, part 10): pick rows with space (v on the checklist), act once, database checked after.

Per screen: two rows picked, the question asked once, both written; and a
refusal: the rows the rules refuse are named with why, the rest are applied,
and the refused stay picked.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from textual.widgets import Input, Select, Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.checklist import ItemState
from ccm_tui.domain.fee_guard import Initiator
from ccm_tui.domain.model import Region, StepKind, StepStatus
from ccm_tui.domain.schedule import CalendarEvent, CalendarFilter
from ccm_tui.screens.activation_calendar import ActivationCalendarScreen
from ccm_tui.screens.bulk_reschedule import BulkRescheduleDialog
from ccm_tui.screens.checklist import ChecklistScreen
from ccm_tui.screens.dialogs.confirm import ConfirmDialog
from ccm_tui.screens.fee_guard_dialog import FeeGuardDialog
from ccm_tui.screens.reminders import RemindersScreen
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ActivationChangeRow, ActivationStepRow, ChecklistItemRow
from ccm_tui.widgets.checklist_table import ChecklistTable
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.selection import MARK, SelectableTable
from tests.pilot_helpers import settle

FRIDAY = date(2026, 11, 20)


def step_status(services: Services, step_id: int) -> str:
    with read_session(services.engine) as session:
        row = session.get(ActivationStepRow, step_id)
        assert row is not None
        return row.status


def last_change(services: Services, activation_id: int) -> ActivationChangeRow:
    with read_session(services.engine) as session:
        query = select(ActivationChangeRow).where(ActivationChangeRow.activation_id == activation_id)
        return list(session.scalars(query.order_by(ActivationChangeRow.id)))[-1]


def notices(app: CcmApp) -> str:
    return " | ".join(n.message for n in app._notifications)


async def pick(pilot, app: CcmApp, table: SelectableTable, rows: list[int], key: str = "space") -> None:  # type: ignore[no-untyped-def,type-arg]
    """Put the cursor on each row and pick it with the key, as a person would after moving there."""
    table.focus()
    for row in rows:
        table.move_cursor(row=row)
        await settle(pilot, app)
        await pilot.press(key)
    await settle(pilot, app)


async def open_agenda(pilot, app: CcmApp) -> tuple[ActivationCalendarScreen, EventTable]:  # type: ignore[no-untyped-def]
    await settle(pilot, app)
    await pilot.press("2")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ActivationCalendarScreen)
    await pilot.press("a")
    await settle(pilot, app)
    return screen, screen.query_one("#cal-agenda", EventTable)


def agenda(services: Services) -> list[CalendarEvent]:
    return list(services.calendar.agenda(FRIDAY, CalendarFilter()).events)


# -- the calendar ------------------------------------------------------------------------------


async def test_calendar_confirms_the_picked_events_and_names_the_refused(demo_app: CcmApp, demo_services: Services) -> None:
    events = agenda(demo_services)
    requested = [i for i, e in enumerate(events) if e.step.status is StepStatus.REQUESTED]
    installs = [i for i in requested if events[i].step.kind is StepKind.INSTALLATION]
    # the MSS/MRS activation call waits for its installation: the store refuses it (the machine would allow it)
    gated = next(i for i in requested if events[i].step.kind is StepKind.ACTIVATION and events[i].activation.service.managed)
    validated = next(i for i, e in enumerate(events) if e.step.status is StepStatus.VALIDATED)  # the machine refuses
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen, table = await open_agenda(pilot, demo_app)
        await pick(pilot, demo_app, table, installs[:2])
        assert table.picked_keys() == [str(events[i].step.id) for i in installs[:2]]
        assert "2 selected" in str(screen.query_one("#cal-bar", Static).render())
        assert str(table.get_row_at(installs[0])[0]) == MARK  # visible without colour
        table.move_cursor(row=0)  # the picks stay while the cursor moves
        await settle(pilot, demo_app)
        assert len(table.selection) == 2
        await pilot.press("c")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.dialog_title == "Confirm 2 events?"
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert not table.selection and "2 selected" not in str(screen.query_one("#cal-bar", Static).render())
        for i in installs[:2]:
            assert step_status(demo_services, events[i].step.id) == "confirmed"
            change = last_change(demo_services, events[i].activation.id)
            assert (change.action, change.who) == ("confirm", "Alex Morgan")

        # a refusal: the machine's (validated) and the store's (the MSS/MRS gate), the third applied
        third = next(i for i in requested if i not in installs and not events[i].activation.service.managed)
        await pick(pilot, demo_app, table, [validated, gated, third])
        await pilot.press("c")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.dialog_title == "Confirm 2 events?"
        assert "Refused, left as they are (1)" in str(dialog.query_one("#confirm-body", Static).render())
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert step_status(demo_services, events[third].step.id) == "confirmed"
        assert step_status(demo_services, events[gated].step.id) == "requested"
        assert step_status(demo_services, events[validated].step.id) == "validated"
        said = notices(demo_app)
        assert "it is already validated" in said and "the equipment installation is not complete yet" in said
        assert sorted(table.picked_keys()) == sorted([str(events[validated].step.id), str(events[gated].step.id)])
        await pilot.press("escape")  # the picks go before the filter (or anything else)
        await settle(pilot, demo_app)
        assert not table.selection and isinstance(demo_app.screen, ActivationCalendarScreen)


async def test_calendar_reschedules_the_picked_events_after_one_fee_quote(demo_app: CcmApp, demo_services: Services) -> None:
    events = agenda(demo_services)
    late = next(i for i, e in enumerate(events) if e.facts.late and e.region is Region.NORTH_AMERICA)
    in_time = next(i for i, e in enumerate(events) if not e.facts.late and e.step.status is StepStatus.CONFIRMED)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        _, table = await open_agenda(pilot, demo_app)
        await pick(pilot, demo_app, table, [late, in_time])
        await pilot.press("M")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, BulkRescheduleDialog)
        panel = str(dialog.query_one("#bulk-fees", Static).render())
        assert "LATE: fee $" in panel and "in good time" in panel and "Fees in all" in panel
        assert "pick who asked" in str(dialog.query_one("#form-save").label)  # type: ignore[attr-defined]
        dialog.query_one("#field-initiator", Select).value = Initiator.CUSTOMER.value
        dialog.query_one("#field-day", Input).value = "2026-12-08"
        await pilot.press("ctrl+s")  # no reason yet: nothing is written
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog and step_status(demo_services, events[late].step.id) == "validated"
        dialog.query_one("#field-reason", Input).value = "Customer's change freeze"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, ActivationCalendarScreen) and not table.selection
        # nothing picked: M moves the cursor's event, through the fee guard the activation's screen shows
        table.move_cursor(row=in_time)
        await pilot.press("M")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, FeeGuardDialog)
        await pilot.press("escape")
        await settle(pilot, demo_app)
        titles = [command.title for command in screen.palette_commands()]
        assert {"Calendar: select event", "Calendar: confirm events", "Calendar: reschedule events"} <= set(titles)
    for i in (late, in_time):
        change = last_change(demo_services, events[i].activation.id)
        assert (change.action, change.to_status, change.initiator) == ("reschedule", "requested", "customer")
        assert change.to_start is not None and change.to_start.date() in (date(2026, 12, 8), date(2026, 12, 9))
    assert last_change(demo_services, events[late].activation.id).fee_cents in (25000, 50000)
    assert last_change(demo_services, events[in_time].activation.id).fee_cents is None


# -- the checklist ----------------------------------------------------------------------------------


async def test_checklist_marks_the_picked_items_done(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("3")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, ChecklistScreen)
        table = screen.query_one(ChecklistTable)
        rows = [i for i, e in enumerate(table._entries) if hasattr(e, "item") and e.item.state is ItemState.OPEN]
        done = next(i for i, e in enumerate(table._entries) if hasattr(e, "item") and e.item.state is ItemState.DONE)
        ids = [table._entries[i].item.id for i in rows[:3]]  # type: ignore[union-attr]
        await pick(pilot, demo_app, table, rows[:2], key="v")
        assert "2 selected" in str(screen.query_one("#checklist-summary", Static).render())
        await pilot.press("space")  # done: every pick
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.dialog_title == "Mark 2 items done?"
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert [row_state(demo_services, i) for i in ids[:2]] == ["done", "done"]
        assert not table.selection
        await pilot.press("u")  # the picks were one change: one undo opens both again
        await settle(pilot, demo_app)
        assert [row_state(demo_services, i) for i in ids[:2]] == ["open", "open"]
        await pilot.press("ctrl+r")
        await settle(pilot, demo_app)
        assert [row_state(demo_services, i) for i in ids[:2]] == ["done", "done"]

        # a refusal: a done item is not toggled back to open; the open one beside it is done
        await pick(pilot, demo_app, table, [done, next(i for i in rows if table._entries[i].item.id == ids[2])], key="v")  # type: ignore[union-attr]
        await pilot.press("space")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.dialog_title == "Mark 1 item done?"
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert row_state(demo_services, ids[2]) == "done"
        assert "Already done" in notices(demo_app) and len(table.selection) == 1
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert not table.selection


def row_state(services: Services, item_id: int) -> str:
    with read_session(services.engine) as session:
        row = session.get(ChecklistItemRow, item_id)
        assert row is not None
        return row.state


# -- reminders ----------------------------------------------------------------------------------------


async def test_reminders_marks_the_picked_sent_and_esc_clears_before_going_back(demo_app: CcmApp, demo_services: Services) -> None:
    lines, _ = demo_services.calendar.reminders()
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("2")
        await settle(pilot, demo_app)
        await pilot.press("r")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, RemindersScreen)
        table = screen.query_one(SelectableTable)
        await pick(pilot, demo_app, table, [0, 1])
        assert "2 selected" in str(screen.query_one("#reminders-title", Static).render())
        await pilot.press("escape")  # clears the picks; the screen stays
        await settle(pilot, demo_app)
        assert demo_app.screen is screen and not table.selection
        await pick(pilot, demo_app, table, [0, 1])
        await pilot.press("m")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.dialog_title == "Mark 2 reminders sent?"
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert [line.event.step.id for line in screen.lines] == [line.event.step.id for line in lines[2:]]
        await pilot.press("escape")  # nothing picked: back
        await settle(pilot, demo_app)
        assert demo_app.screen is not screen
    for line in lines[:2]:
        change = last_change(demo_services, line.event.activation.id)
        assert change.action == line.due.kind.value and change.contact_id is not None
