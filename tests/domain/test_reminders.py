"""Reminders five and one business days before an event, in the site's calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.reminders import (
    ReminderDue,
    ReminderKind,
    reminder_day,
    reminder_due,
    reminder_due_on,
)

NEW_YORK = SiteCalendar("America/New_York", "US")
TOKYO = SiteCalendar("Asia/Tokyo", "JP")
LONDON = SiteCalendar("Europe/London", "GB")
FIVE, ONE = ReminderKind.FIVE_DAYS, ReminderKind.ONE_DAY


def at(cal: SiteCalendar, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(cal.zone))


@pytest.mark.parametrize(
    ("cal", "start", "kind", "expected"),
    [
        (NEW_YORK, "2026-11-23T09:00", ONE, date(2026, 11, 20)),  # Monday: the Friday before
        (NEW_YORK, "2026-11-23T09:00", FIVE, date(2026, 11, 16)),
        (NEW_YORK, "2026-11-30T09:00", FIVE, date(2026, 11, 20)),  # Thanksgiving (26th) is skipped
        (NEW_YORK, "2026-11-27T09:00", ONE, date(2026, 11, 25)),  # the day after Thanksgiving
        (NEW_YORK, "2026-11-28T10:00", ONE, date(2026, 11, 27)),  # a Saturday event: the Friday
        (NEW_YORK, "2026-11-02T09:00", FIVE, date(2026, 10, 26)),  # across the DST change (Nov 1)
        (TOKYO, "2026-05-07T10:00", ONE, date(2026, 5, 1)),  # Golden Week: 2-6 May are not business days
        (LONDON, "2026-12-29T10:00", ONE, date(2026, 12, 24)),  # Christmas and Boxing Day (observed 28th)
    ],
    ids=[
        "monday-1bd",
        "monday-5bd",
        "thanksgiving-5bd",
        "after-thanksgiving-1bd",
        "saturday-1bd",
        "dst-5bd",
        "golden-week",
        "christmas-uk",
    ],
)
def test_reminder_day(cal: SiteCalendar, start: str, kind: ReminderKind, expected: date) -> None:
    assert reminder_day(at(cal, start), kind, cal) == expected


@pytest.mark.parametrize(
    ("now", "status", "sent", "expected"),
    [
        ("2026-11-13T10:00", StepStatus.CONFIRMED, (), None),  # more than five business days ahead
        ("2026-11-16T08:00", StepStatus.CONFIRMED, (), ReminderDue(FIVE, date(2026, 11, 16))),
        ("2026-11-16T08:00", StepStatus.VALIDATED, (FIVE,), None),
        ("2026-11-18T08:00", StepStatus.VALIDATED, (), ReminderDue(FIVE, date(2026, 11, 16))),  # missed: still due
        ("2026-11-20T08:00", StepStatus.VALIDATED, (), ReminderDue(ONE, date(2026, 11, 20))),  # the 1-day one takes over
        ("2026-11-20T08:00", StepStatus.VALIDATED, (FIVE,), ReminderDue(ONE, date(2026, 11, 20))),
        ("2026-11-20T08:00", StepStatus.VALIDATED, (ONE,), None),
        ("2026-11-21T23:00", StepStatus.VALIDATED, (), ReminderDue(ONE, date(2026, 11, 20))),  # overdue, weekend
        ("2026-11-23T09:30", StepStatus.VALIDATED, (), None),  # started
        ("2026-11-20T08:00", StepStatus.REQUESTED, (), None),  # not confirmed: nothing to remind of
        ("2026-11-20T08:00", StepStatus.CANCELLED, (), None),
    ],
    ids=[
        "too-early",
        "five-day-due",
        "five-day-sent",
        "five-day-overdue",
        "one-day-due",
        "one-day-after-five",
        "one-day-sent",
        "one-day-overdue",
        "started",
        "requested",
        "cancelled",
    ],
)
def test_reminder_due(now: str, status: StepStatus, sent: tuple[ReminderKind, ...], expected: ReminderDue | None) -> None:
    start = at(NEW_YORK, "2026-11-23T09:00")
    assert reminder_due(start, status, at(NEW_YORK, now), NEW_YORK, sent) == expected


def test_reminder_day_is_the_sites_not_the_ccms() -> None:
    # 08:00 Monday in Tokyo is Sunday evening in New York; the reminder is Tokyo's Friday.
    start = at(TOKYO, "2026-11-30T08:00")
    assert reminder_day(start, ONE, TOKYO) == date(2026, 11, 27)
    friday_evening_new_york = datetime(2026, 11, 26, 20, 0, tzinfo=ZoneInfo("America/New_York"))  # Fri 10:00 Tokyo
    assert reminder_due(start, StepStatus.CONFIRMED, friday_evening_new_york, TOKYO) == ReminderDue(ONE, date(2026, 11, 27))


def test_overdue() -> None:
    due = ReminderDue(ONE, date(2026, 11, 20))
    assert due.overdue(date(2026, 11, 21)) and not due.overdue(date(2026, 11, 20))


@pytest.mark.parametrize("cal", [NEW_YORK, TOKYO, LONDON])
def test_the_days_due_run_from_today_to_the_first_day_without_one(cal: SiteCalendar) -> None:
    """The store asks the book for one range of starts per site calendar: that holds only if a day is
    judged as any start on it is, and no day after the first without a reminder has one."""
    now = at(cal, "2026-11-20T15:30")
    today = now.date()
    days = [today + timedelta(days=i) for i in range(21)]
    judged = [reminder_due_on(day, now, cal) for day in days]
    for day, found in zip(days, judged, strict=True):
        for hour in (0, 9, 23):
            start = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(cal.zone))
            if start > now:
                assert reminder_due(start, StepStatus.CONFIRMED, now, cal) == found
    first_none = judged.index(None)
    assert first_none > 1 and all(found is None for found in judged[first_none:])
