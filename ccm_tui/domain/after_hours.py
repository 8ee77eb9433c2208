"""Flags for activation windows that fall outside a site's working day.

Such windows are worked by on-call staff, so the app shows the on-call
manager's number beside them. The flags are independent of each other:
AFTER_HOURS is about the time of day only (outside the business-hours wall
clock on any day), WEEKEND about a non-working weekday, HOLIDAY about a
public holiday. A Saturday 10:00-12:00 window is WEEKEND only; Saturday
18:00-20:00 is WEEKEND and AFTER_HOURS.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from ccm_tui.domain.calendar import SiteCalendar


class HoursFlag(enum.StrEnum):
    AFTER_HOURS = "after_hours"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"

    @property
    def label(self) -> str:
        return {
            HoursFlag.AFTER_HOURS: "after hours",
            HoursFlag.WEEKEND: "weekend",
            HoursFlag.HOLIDAY: "public holiday",
        }[self]


def after_hours_flags(start: datetime, end: datetime, cal: SiteCalendar) -> frozenset[HoursFlag]:
    """Every way the window [start, end) leaves the site's business hours.

    The window is read in the site's local wall-clock time and split at
    local midnights, so a window crossing midnight is judged on both days.
    An end at exactly midnight does not touch the next day.
    """
    if end < start:
        raise ValueError(f"the window ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    # Naive wall-clock times: business hours are a wall-clock rule.
    first = cal.local(start).replace(tzinfo=None)
    last = cal.local(end).replace(tzinfo=None)
    flags: set[HoursFlag] = set()
    for day in _days_touched(first, last):
        if cal.is_weekend(day):
            flags.add(HoursFlag.WEEKEND)
        if cal.holiday_name(day) is not None:
            flags.add(HoursFlag.HOLIDAY)
        opens = datetime.combine(day, cal.hours.start)
        closes = datetime.combine(day, cal.hours.end)
        part_start = max(first, datetime.combine(day, datetime.min.time()))
        part_end = min(last, datetime.combine(day + timedelta(days=1), datetime.min.time()))
        if part_start < opens or part_end > closes:
            flags.add(HoursFlag.AFTER_HOURS)
    return frozenset(flags)


def _days_touched(first: datetime, last: datetime) -> list[date]:
    final = last.date()
    if last > first and last.time() == datetime.min.time():
        final -= timedelta(days=1)  # ending at midnight stays on the day before
    days = [first.date()]
    while days[-1] < final:
        days.append(days[-1] + timedelta(days=1))
    return days
