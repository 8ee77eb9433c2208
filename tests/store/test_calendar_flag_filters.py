"""The calendar filter's flags (LATE, CCD) in the store, on both engines: the events
kept are those whose own facts show the flag, and the month grid, the lists,
on-call and reminders narrow alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.schedule import CalendarEvent, CalendarFilter, CcdState, EventFlag, StatusFilter
from ccm_tui.store import calendar, calendar_events, calendar_reminders, event_flags
from ccm_tui.store.calendar_flags import derive_missing
from tests.store.calendar_book import HOURS, NOW, Book, event, local

NY = "America/New_York"
LATE = CalendarFilter(flags=frozenset({EventFlag.LATE}))
CCD = CalendarFilter(flags=frozenset({EventFlag.CCD}))
BOTH = CalendarFilter(flags=frozenset(EventFlag))
NOVEMBER = date(2026, 11, 1)
# now: Friday 20 November 2026, 15:30 in New York


@pytest.fixture
def book(engine: Engine) -> Book:
    b = Book(engine)
    event(b, local(NY, "2026-11-23T09:00"), name="Monday 9")  # cut-off Friday 09:00: passed
    event(b, local(NY, "2026-11-23T16:00"), name="Monday 4 pm")  # cut-off Friday 16:00: still ahead
    event(b, local(NY, "2026-11-24T09:00"), name="Tuesday")
    # Monday 23 is a public holiday in Japan: Tuesday's cut-off is Friday there
    event(b, local("Asia/Tokyo", "2026-11-24T10:00"), name="Tokyo Tuesday", zone="Asia/Tokyo", country="JP")
    event(b, local("Europe/London", "2026-11-23T09:00"), name="London Monday", zone="Europe/London", country="GB")
    event(b, local(NY, "2026-11-21T10:00"), name="Saturday")  # on call, and late
    event(b, local(NY, "2026-11-22T10:00"), name="Sunday past CCD", ccd=date(2026, 11, 1))
    event(b, local(NY, "2026-11-20T15:00"), name="Under way")  # started: nothing left to change
    event(b, local(NY, "2026-11-23T10:00"), StepStatus.CANCELLED, name="Cancelled", ccd=date(2026, 11, 1))
    event(b, local(NY, "2026-11-23T11:00"), StepStatus.CONFIRMED, name="Late and past CCD", ccd=date(2026, 11, 1))
    event(b, local(NY, "2026-11-25T10:00"), name="Past CCD", ccd=date(2026, 11, 10))
    event(b, local(NY, "2026-11-25T11:00"), name="At risk", ccd=date(2026, 11, 24))
    event(b, local(NY, "2026-11-18T10:00"), StepStatus.NOT_READY, name="Not ready past CCD", ccd=date(2026, 11, 10))
    event(b, local(NY, "2026-11-12T10:00"), StepStatus.COMPLETED, name="Done after CCD", ccd=date(2026, 11, 10))
    event(b, local(NY, "2026-11-30T10:00"), StepStatus.CONFIRMED, name="Next week past CCD", ccd=date(2026, 11, 1))
    derive_missing(engine, HOURS)
    return b


def month_events(book: Book, flt: CalendarFilter) -> list[CalendarEvent]:
    bounds = calendar.day_bounds(NOVEMBER, 30, NY)
    start, end = bounds[0], bounds[-1]
    return list(calendar_events.events_between(book.engine, start, end, flt, NOW, HOURS, limit=1000).events)


def names(events: list[CalendarEvent]) -> set[str]:
    return {e.customer_name for e in events}


def test_each_flag_keeps_the_events_whose_facts_show_it(book: Book) -> None:
    everything = month_events(book, CalendarFilter(status=StatusFilter.ALL))
    late = {e.customer_name for e in everything if e.facts.late}
    ccd = {e.customer_name for e in everything if e.ccd_state is not CcdState.ON_TRACK}
    assert late == {"Monday 9", "Tokyo Tuesday", "London Monday", "Saturday", "Sunday past CCD", "Late and past CCD"}
    assert ccd == {"Sunday past CCD", "Late and past CCD", "Past CCD", "At risk", "Not ready past CCD", "Next week past CCD"}
    for status in (StatusFilter.ACTIVE, StatusFilter.ALL):
        assert names(month_events(book, CalendarFilter(status=status, flags=LATE.flags))) == late
        assert names(month_events(book, CalendarFilter(status=status, flags=CCD.flags))) == ccd
    assert names(month_events(book, BOTH)) == late & ccd
    assert names(month_events(book, CalendarFilter(status=StatusFilter.CONFIRMED, flags=BOTH.flags))) == {"Late and past CCD"}
    assert names(month_events(book, CalendarFilter(after_hours_only=True, flags=LATE.flags))) == {"Saturday", "Sunday past CCD"}
    # judged at another instant: on Monday at noon in New York, Tuesday's 09:00 is late and Monday's are under way
    monday = local(NY, "2026-11-23T12:00")
    bounds = calendar.day_bounds(NOVEMBER, 30, NY)
    later = calendar_events.events_between(book.engine, bounds[0], bounds[-1], LATE, monday, HOURS).events
    assert names(list(later)) == {"Monday 4 pm", "Tuesday", "Tokyo Tuesday"}


def test_the_month_grid_counts_as_its_markers(book: Book) -> None:
    whole = calendar.month_summary(book.engine, NOVEMBER, NY, CalendarFilter(), NOW, HOURS)
    late = calendar.month_summary(book.engine, NOVEMBER, NY, LATE, NOW, HOURS)
    ccd = calendar.month_summary(book.engine, NOVEMBER, NY, CCD, NOW, HOURS)
    assert late.events == 6 and ccd.events == 6
    for day in whole.days:
        assert late.day(day.day).events == day.late, day
        assert late.day(day.day).late == day.late
        assert ccd.day(day.day).events == day.past_ccd + day.ccd_at_risk, day
    assert calendar.month_summary(book.engine, NOVEMBER, NY, BOTH, NOW, HOURS).events == 2


def test_week_on_call_and_reminders_narrow_alike(book: Book) -> None:
    week = calendar_events.events_by_day(book.engine, date(2026, 11, 22), 7, NY, LATE, NOW, HOURS, per_day=10)
    # Sunday; Monday 9, London, late and past CCD, and Tokyo (its Tuesday 10:00 is Monday evening in New York)
    assert [d.total for d in week] == [1, 4, 0, 0, 0, 0, 0]
    on_call = [e.customer_name for e in calendar_events.on_call(book.engine, LATE, NOW, 72, HOURS)]
    assert on_call == ["Saturday", "Sunday past CCD"]
    assert [e.customer_name for e in calendar_events.on_call(book.engine, CCD, NOW, 72, HOURS)] == ["Sunday past CCD"]
    due, _ = calendar_reminders.reminders_due(book.engine, CalendarFilter(), NOW, HOURS)
    late_due, total = calendar_reminders.reminders_due(book.engine, LATE, NOW, HOURS)
    assert total == len(late_due) and names([line.event for line in late_due]) == {
        line.event.customer_name for line in due if line.event.facts.late
    }
    ccd_due, _ = calendar_reminders.reminders_due(book.engine, CCD, NOW, HOURS)
    assert "Next week past CCD" in names([line.event for line in ccd_due])


def test_nothing_late_is_an_empty_calendar(book: Book) -> None:
    # a Friday evening a week on: every event above is over or more than a business day away
    friday = NOW + timedelta(days=14)
    assert calendar.month_summary(book.engine, NOVEMBER, NY, LATE, friday, HOURS).events == 0


def test_many_late_steps_are_judged_in_sql_alike(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    bound = names(month_events(book, LATE))
    monkeypatch.setattr(event_flags, "MATERIALISE_MAX", 0)  # more late steps than are bound as ids: the ranges as SQL
    assert names(month_events(book, LATE)) == bound
