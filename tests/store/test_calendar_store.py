"""The calendar's reads on a fresh book: per-day counts in the CCM's zone,
markers, filters, lists, on-call, reminders, detail; the derived columns."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import Engine

from ccm_tui.domain.after_hours import HoursFlag
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import (
    ContactRole,
    OrderStatus,
    Region,
    ServiceKind,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.schedule import CalendarFilter, CcdState, EventFlag, StatusFilter
from ccm_tui.store import (
    activation_detail,
    calendar,
    calendar_events,
    calendar_reminders,
)
from ccm_tui.store.activation_records import mark_reminder
from ccm_tui.store.activations import Actor
from ccm_tui.store.calendar_flags import AFTER_CCD, AFTER_HOURS, WEEKEND, derive_missing
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ActivationStepRow
from tests.store.calendar_book import HOURS, NOW, Book, event, local

NY = "America/New_York"


@pytest.fixture
def book(engine: Engine) -> Book:
    return Book(engine)


def month(book: Book, zone: str = NY, flt: CalendarFilter = CalendarFilter(), first: date = date(2026, 11, 1)):  # type: ignore[no-untyped-def]
    derive_missing(book.engine, HOURS)
    return calendar.month_summary(book.engine, first, zone, flt, NOW, HOURS)


def test_days_are_the_ccms_local_days_across_dst(book: Book) -> None:
    event(book, local(NY, "2026-10-31T23:59"), name="October")  # not this month
    event(book, local(NY, "2026-11-01T00:30"), name="A")  # EDT
    event(book, local(NY, "2026-11-01T23:30"), name="B")  # EST: the 25-hour day
    event(book, local(NY, "2026-11-02T00:10"), name="C")
    event(book, local(NY, "2026-12-01T00:00"), name="December")
    summary = month(book)
    assert [(d.day.day, d.events) for d in summary.days if d.events] == [(1, 2), (2, 1)]
    assert summary.events == 3 and len(summary.days) == 30
    # The same events in Tokyo's days: 00:30 EDT Nov 1 is 13:30 Nov 1 there; Oct 31 23:59 EDT is Nov 1 12:59.
    tokyo = month(book, "Asia/Tokyo")
    assert [(d.day.day, d.events) for d in tokyo.days if d.events] == [(1, 2), (2, 2)]


def test_markers_on_call_ccd_and_late(book: Book) -> None:
    event(book, local(NY, "2026-11-23T19:00"), name="Evening")  # after hours, and late (cut-off Fri 19:00 > now? no)
    event(book, local(NY, "2026-11-28T10:00"), name="Saturday")  # weekend
    event(book, local(NY, "2026-11-23T09:00"), name="Late")  # cut-off Friday 09:00: passed
    event(book, local(NY, "2026-11-24T09:00"), name="In time")
    event(book, local(NY, "2026-11-25T10:00"), name="Past CCD", ccd=date(2026, 11, 10))
    event(book, local(NY, "2026-11-25T11:00"), name="At risk", ccd=date(2026, 11, 24))
    event(book, local(NY, "2026-11-25T12:00"), StepStatus.CANCELLED, name="Cancelled", ccd=date(2026, 11, 10))
    summary = month(book)
    monday = summary.day(date(2026, 11, 23))
    assert (monday.events, monday.on_call, monday.late) == (2, 1, 1)
    assert summary.day(date(2026, 11, 28)).on_call == 1
    assert summary.day(date(2026, 11, 24)).late == 0
    wednesday = summary.day(date(2026, 11, 25))
    assert (wednesday.events, wednesday.past_ccd, wednesday.ccd_at_risk) == (2, 1, 1)  # the cancelled one is not shown


def test_filters(book: Book) -> None:
    start = local(NY, "2026-11-24T19:00")
    event(book, start, name="NA evening")
    event(book, local(NY, "2026-11-24T10:00"), name="NA morning", ccm="Priya Raman")
    event(book, local("Europe/London", "2026-11-24T10:00"), name="EMEA", region=Region.EMEA, zone="Europe/London", country="GB")
    event(book, local(NY, "2026-11-24T11:00"), StepStatus.CANCELLED, name="Cancelled")
    tuesday = date(2026, 11, 24)
    assert month(book).day(tuesday).events == 3
    assert month(book, flt=CalendarFilter(region=Region.EMEA)).day(tuesday).events == 1
    assert month(book, flt=CalendarFilter(ccm="Priya Raman")).day(tuesday).events == 1
    assert month(book, flt=CalendarFilter(after_hours_only=True)).day(tuesday).events == 1
    assert month(book, flt=CalendarFilter(status=StatusFilter.CANCELLED)).day(tuesday).events == 1
    assert month(book, flt=CalendarFilter(status=StatusFilter.ALL)).day(tuesday).events == 4
    assert calendar.ccm_names(book.engine) == ["Alex Morgan", "Priya Raman"]


def test_derived_columns_are_filled_and_follow_the_business_hours(book: Book) -> None:
    _, early = event(book, local(NY, "2026-11-24T08:00"), name="Early", ccd=date(2026, 11, 23))
    _, weekend = event(book, local(NY, "2026-11-28T10:00"), name="Weekend")
    assert derive_missing(book.engine, HOURS) == 2
    assert derive_missing(book.engine, HOURS) == 0  # nothing left: a probe only

    def flags(step_id: int) -> int | None:
        with read_session(book.engine) as session:
            return session.get(ActivationStepRow, step_id).calendar_flags  # type: ignore[union-attr]

    assert flags(early) == AFTER_CCD and flags(weekend) == WEEKEND
    later = BusinessHours(start=time(9, 0), end=time(18, 0))
    assert derive_missing(book.engine, later) == 2  # other hours: every row judged again
    assert flags(early) == AFTER_HOURS | AFTER_CCD


def test_events_between_lists_with_facts_and_counts_all(book: Book) -> None:
    for hour in (9, 10, 11):
        event(book, local(NY, f"2026-11-23T{hour:02d}:00"), name=f"At {hour}")
    event(book, local(NY, "2026-11-23T19:00"), name="Evening", ccd=date(2026, 11, 1))
    derive_missing(book.engine, HOURS)
    start, end = calendar.day_bounds(date(2026, 11, 23), 1, NY)
    found = calendar_events.events_between(book.engine, start, end, CalendarFilter(), NOW, HOURS, limit=3)
    assert found.total == 4 and [e.customer_name for e in found.events] == ["At 9", "At 10", "At 11"]
    first = found.events[0]
    assert first.facts.late and first.facts.cutoff is not None
    assert [c.name for c in first.contacts] == ["At 9 designated", "At 9 technical"]
    evening = calendar_events.events_between(book.engine, start, end, CalendarFilter(after_hours_only=True), NOW, HOURS).events
    assert len(evening) == 1
    assert evening[0].facts.hours_flags == {HoursFlag.AFTER_HOURS}
    assert evening[0].ccd_state is CcdState.PAST and evening[0].accrued is not None
    assert evening[0].accrued.amount > 0


def test_on_call_holds_after_hours_events_under_way_or_ahead(book: Book) -> None:
    event(book, NOW - timedelta(hours=1), name="Under way")  # 14:30-17:30: runs past five
    event(book, local(NY, "2026-11-20T14:00"), name="Business")  # 14:00-17:00
    event(book, local(NY, "2026-11-20T16:00"), name="Ends after five")  # 16:00-19:00
    event(book, local(NY, "2026-11-21T10:00"), name="Saturday")
    event(book, local(NY, "2026-11-24T22:00"), name="Too far")  # beyond 72 h
    event(book, local(NY, "2026-11-22T10:00"), StepStatus.COMPLETED, name="Done")
    derive_missing(book.engine, HOURS)
    names = [e.customer_name for e in calendar_events.on_call(book.engine, CalendarFilter(), NOW, 72, HOURS)]
    assert names == ["Under way", "Ends after five", "Saturday"]
    assert [e.customer_name for e in calendar_events.on_call(book.engine, CalendarFilter(), NOW, 120, HOURS)][-1] == "Too far"


def test_reminders_due_then_sent(book: Book) -> None:
    _, monday = event(book, local(NY, "2026-11-23T10:00"), name="Monday")
    event(book, local(NY, "2026-11-23T11:00"), StepStatus.REQUESTED, name="Not confirmed")
    _, next_week = event(book, local(NY, "2026-11-30T10:00"), StepStatus.CONFIRMED, name="Next week")
    event(book, local(NY, "2026-12-08T10:00"), name="Far")
    derive_missing(book.engine, HOURS)
    lines, total = calendar_reminders.reminders_due(book.engine, CalendarFilter(), NOW, HOURS)
    assert total == 2
    assert [(line.event.customer_name, line.due.kind) for line in lines] == [
        ("Monday", ReminderKind.ONE_DAY),
        ("Next week", ReminderKind.FIVE_DAYS),  # Thanksgiving: 5 business days before the 30th is today
    ]
    designated = lines[0].event.contacts[0]
    actor = Actor("Alex Morgan", NOW, HOURS)
    assert mark_reminder(book.engine, monday, 1, ReminderKind.ONE_DAY, designated.id, actor)
    assert not mark_reminder(book.engine, monday, 1, ReminderKind.ONE_DAY, designated.id, actor)  # once is enough
    lines, total = calendar_reminders.reminders_due(book.engine, CalendarFilter(), NOW, HOURS)
    assert total == 1 and lines[0].event.step.id == next_week


def test_detail_has_steps_contacts_history_and_siblings(book: Book) -> None:
    customer = book.customer("Multi")
    designated = book.contact(customer, "Dee Signated", ContactRole.DESIGNATED)
    order = book.order(customer, date(2026, 12, 31), (ServiceKind.MRS,))
    start = local(NY, "2026-11-30T09:00")
    steps = [
        (StepKind.INSTALLATION, local(NY, "2026-11-10T08:00"), StepStatus.COMPLETED),
        (StepKind.ACTIVATION, start, StepStatus.VALIDATED),
    ]
    first, _ = book.activation(customer, order, book.site(customer, "East"), ServiceKind.MRS, steps=steps)
    book.activation(customer, order, book.site(customer, "West", "America/Denver"), ServiceKind.MRS, steps=steps)
    actor = Actor("Alex Morgan", NOW, HOURS)
    detail = activation_detail.activation_detail(book.engine, first, NOW, HOURS)
    assert [s.kind for s in detail.activation.steps] == [StepKind.INSTALLATION, StepKind.ACTIVATION]
    assert detail.siblings == {StepKind.INSTALLATION: 0, StepKind.ACTIVATION: 1}  # a finished step is in no event
    assert detail.contacts[0].id == designated
    reminder = detail.facts[StepKind.ACTIVATION].reminder  # five business days before the 30th (Thanksgiving week)
    assert reminder is not None and (reminder.kind, reminder.due_on) == (ReminderKind.FIVE_DAYS, date(2026, 11, 20))
    step_id = detail.activation.step(StepKind.ACTIVATION).id  # type: ignore[union-attr]
    mark_reminder(book.engine, step_id, 1, ReminderKind.FIVE_DAYS, designated, actor)
    detail = activation_detail.activation_detail(book.engine, first, NOW, HOURS)
    assert [(h.action, h.contact_name) for h in detail.history] == [("reminder_5bd", "Dee Signated")]
    assert detail.facts[StepKind.ACTIVATION].reminder is None


@pytest.mark.sqlite_only  # SQLite's query plan
def test_month_query_reads_one_index(book: Book) -> None:
    event(book, local(NY, "2026-11-23T09:00"))
    for flt in (CalendarFilter(ccm="Alex Morgan"), CalendarFilter(flags=frozenset({EventFlag.CCD}))):
        with read_session(book.engine) as session:
            terms = calendar.filter_terms(session, flt, NOW, HOURS)
        stmt, _ = calendar.month_statement(date(2026, 11, 1), NY, terms, NOW)
        sql = str(stmt.compile(book.engine, compile_kwargs={"literal_binds": True}))
        with book.engine.connect() as connection:
            plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "COVERING INDEX ix_activation_step_calendar" in plan, flt
        assert "TEMP B-TREE" not in plan  # grouped by start in index order: no sort


def test_waiting_steps_soonest_ccd_first_on_open_orders(book: Book) -> None:
    late = book.customer("Late order", Region.EMEA)
    soon = book.customer("Soon order")
    done = book.customer("Done order")
    for customer, ccd, status in (
        (late, date(2026, 11, 1), OrderStatus.INSTALLATION_COMPLETE),
        (soon, date(2026, 12, 1), OrderStatus.PROVISIONING),
        (done, date(2026, 10, 1), OrderStatus.CANCELLED),
    ):
        order = book.order(customer, ccd, status=status)
        book.activation(customer, order, book.site(customer, "HQ"), steps=[(StepKind.ACTIVATION, None, StepStatus.UNSCHEDULED)])
    steps, total = calendar_events.waiting_steps(book.engine, CalendarFilter(), NOW)
    assert total == 2 and [(w.customer_name, w.past_ccd) for w in steps] == [("Late order", True), ("Soon order", False)]
    only_emea, total = calendar_events.waiting_steps(book.engine, CalendarFilter(region=Region.EMEA), NOW)
    assert total == 1 and only_emea[0].customer_name == "Late order"
