"""The days with a reminder due, per site calendar: what the reminders list bounds its starts with."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.reminders import LOOKAHEAD_DAYS, first_day_not_due, reminder_due_on

CALENDARS = [
    SiteCalendar("America/New_York", "US", subdivision="US-NY"),
    SiteCalendar("Asia/Tokyo", "JP"),
    SiteCalendar("Europe/London", "GB", subdivision="GB-ENG"),
    SiteCalendar("Asia/Dubai", "AE"),  # a Saturday-Sunday weekend since 2022, Friday before
    SiteCalendar("Pacific/Auckland", "NZ", subdivision="NZ-AUK"),
]
NOWS = [
    datetime(2026, 11, 20, 20, 30, tzinfo=UTC),  # the bench's Friday afternoon in New York; Thanksgiving week follows
    datetime(2026, 12, 23, 9, 0, tzinfo=UTC),  # Christmas and the New Year ahead
    datetime(2026, 4, 30, 23, 0, tzinfo=UTC),  # Golden Week in Japan
    datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # the night the US clocks go back
]


@pytest.mark.parametrize("now", NOWS, ids=["thanksgiving", "christmas", "golden-week", "dst"])
@pytest.mark.parametrize("cal", CALENDARS, ids=lambda cal: cal.zone)
def test_the_days_due_run_from_today_to_the_first_day_without_one(cal: SiteCalendar, now: datetime) -> None:
    today = cal.local(now).date()
    last = cal.local(now + timedelta(days=LOOKAHEAD_DAYS)).date()
    days = [today + timedelta(days=i) for i in range((last - today).days + 1)]
    due = [reminder_due_on(day, now, cal) is not None for day in days]
    first = first_day_not_due(today, last, cal)
    assert due == [day < first for day in days]  # every day before it is due, none from it on
    assert today + timedelta(days=5) < first <= last + timedelta(days=1)


def test_with_nothing_due_ahead_it_is_the_day_after_the_last() -> None:
    cal = CALENDARS[0]
    assert first_day_not_due(date(2026, 11, 20), date(2026, 11, 22), cal) == date(2026, 11, 23)
