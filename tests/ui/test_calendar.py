"""Pilot flows on the activation calendar (key 2): keys in, database checked after.

The demo book is generated for the pinned Friday 2026-11-20 15:30 in New
York, so Monday's events are inside their late-change window.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.fee_guard import Initiator
from ccm_tui.domain.model import ContactRole, Region, StepKind, StepStatus
from ccm_tui.domain.schedule import CalendarEvent, CalendarFilter
from ccm_tui.screens.activation_calendar import ActivationCalendarScreen
from ccm_tui.screens.activation_detail import ActivationDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.fee_guard_dialog import INITIATORS, FeeGuardDialog
from ccm_tui.screens.on_call import OnCallScreen
from ccm_tui.screens.reminders import RemindersScreen
from ccm_tui.services import Services
from ccm_tui.store.convert import to_naive_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    ContactRow,
)
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.month_grid import MonthGrid
from tests.pilot_helpers import settle, wait_until

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)


async def open_calendar(pilot, app: CcmApp) -> ActivationCalendarScreen:  # type: ignore[no-untyped-def]
    await settle(pilot, app)
    await pilot.press("2")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ActivationCalendarScreen)
    return screen


async def open_detail(pilot, app: CcmApp, event: CalendarEvent) -> ActivationDetailScreen:  # type: ignore[no-untyped-def]
    """From the calendar, on the event's step (the event list's Enter does the same)."""
    screen = await open_calendar(pilot, app)
    screen.open_activation(event)
    await settle(pilot, app)
    detail = app.screen
    assert isinstance(detail, ActivationDetailScreen)
    return detail


def history(services: Services, activation_id: int) -> list[ActivationChangeRow]:
    with read_session(services.engine) as session:
        return list(
            session.scalars(
                select(ActivationChangeRow)
                .where(ActivationChangeRow.activation_id == activation_id)
                .order_by(ActivationChangeRow.id)
            )
        )


def step_row(services: Services, step_id: int) -> ActivationStepRow:
    with read_session(services.engine) as session:
        row = session.get(ActivationStepRow, step_id)
        assert row is not None
        return row


def notices(app: CcmApp) -> str:
    return " | ".join(n.message for n in app._notifications)


def events_on(services: Services, day: date) -> list[CalendarEvent]:
    return list(services.calendar.day(day, CalendarFilter()).events)


# -- views ---------------------------------------------------------------------------


async def test_month_grid_counts_and_day_list_follow_the_cursor(demo_app: CcmApp, demo_services: Services) -> None:
    summary = demo_services.calendar.month(FRIDAY.replace(day=1), CalendarFilter())
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_calendar(pilot, demo_app)
        grid = screen.query_one(MonthGrid)
        assert grid.summary == summary and grid.cursor == FRIDAY
        await pilot.press("l", "l", "l")
        await settle(pilot, demo_app)
        assert screen.cursor == MONDAY
        table = screen.query_one("#cal-day", EventTable)
        assert [e.step.id for e in table.events] == [e.step.id for e in events_on(demo_services, MONDAY)]
        assert "5 events" in str(screen.query_one("#cal-day-title", Static).render())
        await pilot.press("n")
        await settle(pilot, demo_app)
        assert screen.cursor == date(2026, 12, 23) and grid.month == date(2026, 12, 1)
        await pilot.press("t")
        await settle(pilot, demo_app)
        assert screen.cursor == FRIDAY and grid.month == date(2026, 11, 1)


async def test_week_and_agenda_views(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_calendar(pilot, demo_app)
        await pilot.press("w")
        await settle(pilot, demo_app)
        assert screen.view == "week"
        await pilot.press("n")
        await settle(pilot, demo_app)
        assert screen.cursor == date(2026, 11, 27)
        await pilot.press("a")
        await settle(pilot, demo_app)
        agenda = screen.query_one("#cal-agenda", EventTable)
        expected = demo_services.calendar.agenda(date(2026, 11, 27), CalendarFilter()).events
        assert [e.step.id for e in agenda.events] == [e.step.id for e in expected]
        assert not screen.query_one("#cal-day").display


async def test_filter_by_region(demo_app: CcmApp, demo_services: Services) -> None:
    emea = demo_services.calendar.month(date(2026, 11, 1), CalendarFilter(region=Region.EMEA))
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_calendar(pilot, demo_app)
        await pilot.press("f")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-region", Select).value = Region.EMEA.value
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert screen.calendar_filter == CalendarFilter(region=Region.EMEA)
        assert screen.query_one(MonthGrid).summary == emea
        assert "filter: EMEA" in str(screen.query_one("#cal-bar", Static).render())
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert screen.calendar_filter.is_default


# -- the fee guard ----------------------------------------------------------------------


async def test_reschedule_inside_the_cutoff_records_the_fee(demo_app: CcmApp, demo_services: Services) -> None:
    monday = events_on(demo_services, MONDAY)
    index, target = next((i, e) for i, e in enumerate(monday) if e.region is Region.NORTH_AMERICA and e.facts.late)
    expected_cents = 50000 if target.activation.field_dispatch else 25000
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_calendar(pilot, demo_app)
        await pilot.press("l", "l", "l", "enter")  # to Monday, into its list
        await settle(pilot, demo_app)
        assert demo_app.focused is screen.query_one("#cal-day", EventTable)
        await pilot.press(*["down"] * index, "enter")
        await settle(pilot, demo_app)
        detail = demo_app.screen
        assert isinstance(detail, ActivationDetailScreen) and detail.activation_id == target.activation.id
        await pilot.press("s")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FeeGuardDialog)
        panel = str(dialog.query_one("#fee-panel", Static).render())
        assert "LATE CHANGE" in panel and "cut-off was Fri, Nov 20" in panel
        fee = "$500.00" if expected_cents == 50000 else "$250.00"
        assert fee in panel and "pick who asked" in str(dialog.query_one("#form-save").label)  # type: ignore[attr-defined]
        assert demo_app.focused is dialog.query_one("#field-initiator", Select)
        before = len(history(demo_services, target.activation.id))
        # Nothing is saved before confirming: who asked and a reason are missing, the dialog stays open.
        dialog.query_one("#field-day", Input).value = "2026-11-30"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog and len(history(demo_services, target.activation.id)) == before
        assert "who asked" in str(dialog.query_one("#error-initiator", Static).render())
        await pick_initiator(pilot, demo_app, dialog, Initiator.CUSTOMER)
        assert fee in str(dialog.query_one("#form-save").label)  # type: ignore[attr-defined]
        dialog.query_one("#field-reason", Input).value = "Customer asked: site power work"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ActivationDetailScreen)
    last = history(demo_services, target.activation.id)[-1]
    assert (last.action, last.from_status, last.to_status) == ("reschedule", "validated", "requested")
    assert (last.fee_cents, last.fee_currency, last.who) == (expected_cents, "USD", "Alex Morgan")
    assert (last.reason, last.initiator) == ("Customer asked: site power work", "customer")
    assert last.from_start == to_naive_utc(target.start)
    local_start = target.start.astimezone(ZoneInfo(target.site.timezone))
    moved = datetime.combine(date(2026, 11, 30), local_start.time(), local_start.tzinfo)
    assert last.to_start == to_naive_utc(moved)
    assert step_row(demo_services, target.step.id).status == "requested"


async def test_cancel_outside_the_cutoff_costs_nothing(demo_app: CcmApp, demo_services: Services) -> None:
    later = demo_services.calendar.agenda(date(2026, 12, 1), CalendarFilter()).events
    target = next(e for e in later if e.step.status is StepStatus.CONFIRMED)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, demo_app, target)
        await pilot.press("x")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FeeGuardDialog)
        panel = str(dialog.query_one("#fee-panel", Static).render())
        assert "In good time" in panel and "No fee" in panel
        assert "no fee" in str(dialog.query_one("#form-save").label)  # type: ignore[attr-defined]
        await pick_initiator(pilot, demo_app, dialog, Initiator.CUSTOMER)
        assert "no fee" in str(dialog.query_one("#form-save").label)  # type: ignore[attr-defined]
        dialog.query_one("#field-reason", Input).value = "Order withdrawn"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
    last = history(demo_services, target.activation.id)[-1]
    assert (last.action, last.to_status, last.fee_cents) == ("cancel", "cancelled", None)
    assert last.reason == "Order withdrawn; in good time: no fee"
    assert step_row(demo_services, target.step.id).status == "cancelled"


async def pick_initiator(pilot: Pilot, app: CcmApp, dialog: FeeGuardDialog, initiator: Initiator) -> None:
    """Choose who asked with the keyboard: focus the field, open it, walk down to the option."""
    select = dialog.query_one("#field-initiator", Select)
    select.focus()
    await settle(pilot, app)
    position = [value for _, value in INITIATORS].index(initiator.value) + 1  # the prompt comes first
    await pilot.press("enter", *["down"] * position, "enter")
    await settle(pilot, app)
    assert select.value == initiator.value


async def test_a_late_reschedule_the_provider_asked_for_is_free(demo_app: CcmApp, demo_services: Services) -> None:
    monday = events_on(demo_services, MONDAY)
    target = next(e for e in monday if e.region is Region.NORTH_AMERICA and e.facts.late)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, demo_app, target)
        await pilot.press("s")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FeeGuardDialog)
        await pick_initiator(pilot, demo_app, dialog, Initiator.SCHEDULING)
        panel = str(dialog.query_one("#fee-panel", Static).render())
        assert "LATE CHANGE" in panel and "asked for by the scheduling team" in panel and "$" not in panel.split("No fee")[1]
        assert "no fee" in str(dialog.query_one("#form-save").label)  # type: ignore[attr-defined]
        dialog.query_one("#field-day", Input).value = "2026-11-30"
        await pilot.press("ctrl+s")  # a provider's change needs a reason
        await settle(pilot, demo_app)
        assert "needs a reason" in str(dialog.query_one("#error-reason", Static).render())
        dialog.query_one("#field-reason", Input).value = "No technician free on Monday"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ActivationDetailScreen)
    last = history(demo_services, target.activation.id)[-1]
    assert (last.action, last.fee_cents, last.initiator) == ("reschedule", None, "scheduling")
    assert last.reason.startswith("No technician free on Monday; asked for by the scheduling team")


# -- refusals --------------------------------------------------------------------------


async def test_an_illegal_move_is_refused_with_the_machines_message(demo_app: CcmApp, demo_services: Services) -> None:
    later = demo_services.calendar.agenda(date(2026, 12, 1), CalendarFilter()).events
    target = next(e for e in later if e.step.status is StepStatus.REQUESTED)
    before = len(history(demo_services, target.activation.id))
    async with demo_app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot, demo_app, target)
        await pilot.press("v")  # validate a date nobody has confirmed
        await settle(pilot, demo_app)
        assert demo_app.screen is detail
        kind = target.step.kind.label.lower()
        assert f"Cannot validate a requested {kind}: the scheduling team has not confirmed it yet." in notices(demo_app)
    assert len(history(demo_services, target.activation.id)) == before
    assert step_row(demo_services, target.step.id).status == "requested"


async def test_mrs_activation_call_waits_for_installation_and_letter(demo_app: CcmApp, demo_services: Services) -> None:
    with read_session(demo_services.engine) as session:
        step_id, activation_id, service = session.execute(
            select(ActivationStepRow.id, ActivationRow.id, ActivationRow.service)
            .join(ActivationRow, ActivationRow.id == ActivationStepRow.activation_id)
            .where(
                ActivationRow.service.in_(["MRS", "MSS"]),  # type: ignore[attr-defined]
                ActivationStepRow.kind == "activation",
                ActivationStepRow.status == "requested",
            )
            .order_by(ActivationStepRow.id)
        ).first()  # type: ignore[misc]
    detail_data = demo_services.calendar.detail(activation_id)
    install = detail_data.step(StepKind.INSTALLATION)
    assert install is None or install.status is not StepStatus.COMPLETED or detail_data.activation.ip_letter_sent_on is None
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_calendar(pilot, demo_app)
        demo_app.push_screen(ActivationDetailScreen(activation_id, StepKind.ACTIVATION))
        await settle(pilot, demo_app)
        await pilot.press("c")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ActivationDetailScreen)
        said = notices(demo_app)
        assert f"Cannot confirm the {service} activation call:" in said
        assert "installation is not complete yet" in said or "IP configuration letter has not been sent" in said
    assert step_row(demo_services, step_id).status == "requested"


async def test_validation_by_a_non_designated_contact_warns_then_records(demo_app: CcmApp, demo_services: Services) -> None:
    later = demo_services.calendar.agenda(date(2026, 11, 24), CalendarFilter()).events
    target, outsider = next(
        (e, c)
        for e in later
        if e.step.status is StepStatus.CONFIRMED
        for c in e.contacts
        if not c.roles & {ContactRole.DESIGNATED, ContactRole.AUTHORISED}
    )
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, demo_app, target)
        await pilot.press("v")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-contact_id", Select).value = str(outsider.id)
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog, "the warning keeps the dialog open"
        warning = str(dialog.query_one("#error-contact_id", Static).render())
        assert f"{outsider.name} is not a designated or authorised contact" in warning
        assert step_row(demo_services, target.step.id).status == "confirmed"
        await pilot.press("ctrl+s")  # recorded anyway, once confirmed
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ActivationDetailScreen)
    last = history(demo_services, target.activation.id)[-1]
    assert (last.action, last.to_status, last.contact_id) == ("validate", "validated", outsider.id)
    assert "recorded after a warning" in last.reason


# -- on call and reminders ---------------------------------------------------------------


async def test_on_call_view_from_the_palette_lists_after_hours_events(demo_app: CcmApp, demo_services: Services) -> None:
    expected = demo_services.calendar.on_call(72)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)  # on the customer book
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(demo_app.screen, CommandPalette), "the command palette to open")
        for char in "on-call view":
            await pilot.press(char if char != " " else "space")
        await settle(pilot, demo_app)  # the palette searches in a worker and a thread
        await pilot.press("enter")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, OnCallScreen)
        assert [e.step.id for e in screen.query_one(EventTable).events] == [e.step.id for e in expected]
        numbers = str(screen.query_one("#oncall-numbers", Static).render())
        assert "844-427-2875" in numbers and "877-453-8353" in numbers


def _contact_line(event: CalendarEvent) -> str:
    """What the on-call view's panel says of the event's contacts, from the list read with contacts."""
    parts = []
    for role, word in ((ContactRole.DESIGNATED, "Designated"), (ContactRole.SITE_TECHNICAL, "Technical")):
        contact = next((c for c in event.contacts if role in c.roles), None)
        if contact is not None:
            parts.append(f"{word}: {contact.name} {contact.phone or '(no phone)'}")
    return "   ".join(parts) if parts else "No designated or technical contact on file."


async def test_on_call_view_reads_the_contacts_after_the_list_and_shows_the_highlighted_events(
    demo_app: CcmApp, demo_services: Services
) -> None:
    expected = demo_services.calendar.on_call(168)  # each event with its contacts, as ccm on-call reads them
    assert len(expected) >= 2 and any(e.contacts for e in expected)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        demo_app.push_screen(OnCallScreen())
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, OnCallScreen)
        await pilot.press("h")  # 72 h to 168 h
        await settle(pilot, demo_app)
        table = screen.query_one(EventTable)
        panel = screen.query_one("#oncall-contacts", Static)
        for at, event in enumerate(expected[:4]):
            assert table.current() is not None and table.current().step.id == event.step.id
            shown = " ".join(str(panel.render()).split())
            assert " ".join(_contact_line(event).split()) in shown, (at, shown)
            await pilot.press("down")
            await settle(pilot, demo_app)
        # contacts read for a list since replaced are not shown for the new one
        before = str(panel.render())
        screen.post_message(OnCallScreen.ContactsLoaded(list(expected), {e.customer_id: () for e in expected}))
        await settle(pilot, demo_app)
        assert str(panel.render()) == before


async def test_mark_a_reminder_sent(demo_app: CcmApp, demo_services: Services) -> None:
    lines, total = demo_services.calendar.reminders()
    assert total > 0
    first = lines[0]
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await open_calendar(pilot, demo_app)
        await pilot.press("r")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, RemindersScreen)
        assert screen.query_one(DataTable).row_count == len(lines)
        await pilot.press("m")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, FormDialog)
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen
        assert [line.event.step.id for line in screen.lines] == [line.event.step.id for line in lines[1:]]
    last = history(demo_services, first.event.activation.id)[-1]
    assert last.action == first.due.kind.value and last.to_start == to_naive_utc(first.event.start)
    with read_session(demo_services.engine) as session:
        contact = session.get(ContactRow, last.contact_id)
    assert contact is not None and "designated" in contact.roles


async def test_request_a_window_for_a_step_waiting_for_one(demo_app: CcmApp, demo_services: Services) -> None:
    waiting, _ = demo_services.calendar.waiting()
    first = waiting[0]
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_calendar(pilot, demo_app)
        await pilot.press("s")
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ActivationDetailScreen)
        await pilot.press("R")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-reason", Input).value = "Agreed with the customer by phone"
        await pilot.press("ctrl+s")  # the proposed window: two business days out, 09:00 site time
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ActivationDetailScreen)
    row = step_row(demo_services, first.step.id)
    assert row.status == "requested" and row.start_at is not None and row.calendar_flags is not None
    last = history(demo_services, first.activation.id)[-1]
    assert (last.action, last.from_status, last.to_status) == ("request", "unscheduled", "requested")
    assert last.to_start == row.start_at and last.reason == "Agreed with the customer by phone"


def test_day_lists_mark_the_customers_heading_for_not_ready(demo_services: Services) -> None:
    """The calendar's lists carry the checklist's not-ready risk (demo: some at the pinned clock)."""
    from ccm_tui.domain.checklist_views import UpcomingQuery

    risky = {
        line.activation_id for line in demo_services.checklists.upcoming(UpcomingQuery(limit=200)).rows if line.readiness.at_risk
    }
    assert risky, "the demo book has activations at not-ready risk at the pinned clock"
    events = demo_services.calendar.agenda(demo_services.today(), CalendarFilter()).events
    marked = {e.activation.id for e in events if e.facts.not_ready_risk}
    listed = {e.activation.id for e in events}
    assert marked == risky & listed
    assert marked, "at least one risky activation falls inside the agenda's range"
