"""Reminders before an event: five business days and one business day ahead.

The designated contact is reminded and the date re-confirmed, best effort,
on the site's business days (its zone, weekends and public holidays). A
reminder missed on its day stays due until it is sent or the next one takes
over: once the one-day reminder is due, the five-day one is not asked for
any more. Only dates the scheduling team has confirmed are reminded.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from ccm_tui.domain.calendar import SiteCalendar, add_business_days
from ccm_tui.domain.model import StepStatus

REMINDED_STATUSES = frozenset({StepStatus.CONFIRMED, StepStatus.VALIDATED})
# Calendar days to look ahead for events that may need a reminder: five
# business days plus any weekends and holidays between (with room to spare).
LOOKAHEAD_DAYS = 16


class ReminderKind(enum.StrEnum):
    """The value is the history action that records the reminder as sent."""

    FIVE_DAYS = "reminder_5bd"
    ONE_DAY = "reminder_1bd"

    @property
    def business_days(self) -> int:
        return 5 if self is ReminderKind.FIVE_DAYS else 1

    @property
    def label(self) -> str:
        return f"{self.business_days}-business-day reminder"


@dataclass(frozen=True, slots=True)
class ReminderDue:
    kind: ReminderKind
    due_on: date  # the site's business day it was due

    def overdue(self, site_today: date) -> bool:
        return self.due_on < site_today


def reminder_day(start: datetime, kind: ReminderKind, cal: SiteCalendar) -> date:
    """The site's business day the reminder is due: N business days before the start's local date."""
    return add_business_days(cal.local(start).date(), -kind.business_days, cal)


def reminder_due(
    start: datetime,
    status: StepStatus,
    now: datetime,
    cal: SiteCalendar,
    sent: Collection[ReminderKind] = (),
) -> ReminderDue | None:
    """The reminder to send now for an event starting at `start`, if any.

    `sent` holds the reminders already recorded for this start (a reschedule
    makes them due again).
    """
    if status not in REMINDED_STATUSES or start <= now:
        return None
    return reminder_due_on(cal.local(start).date(), now, cal, sent)


def reminder_due_on(day: date, now: datetime, cal: SiteCalendar, sent: Collection[ReminderKind] = ()) -> ReminderDue | None:
    """The reminder to send now for a reminded event still to come on the site's local `day`.

    It depends on the day alone, not the hour: a list judges each site
    calendar's days once and asks the book only for the events on days due.
    """
    return _due_on(day, cal.local(now).date(), cal, sent)


@lru_cache(maxsize=4096)
def first_day_not_due(today: date, last: date, cal: SiteCalendar) -> date:
    """The first of the site's days from its `today` to `last` on which an event has no reminder due
    (none sent yet), or the day after `last`.

    With none sent, a day has no reminder due only when its five-day one is
    still to come, and every later day's comes later still: the days due
    run from `today` to this one. It depends on the calendar and its today
    alone, so a list asks once per site calendar and day (and is remembered).
    """
    day = today
    while day <= last and _due_on(day, today, cal, ()) is not None:
        day += timedelta(days=1)
    return day


def _due_on(day: date, today: date, cal: SiteCalendar, sent: Collection[ReminderKind]) -> ReminderDue | None:
    one_day = add_business_days(day, -ReminderKind.ONE_DAY.business_days, cal)
    if today >= one_day:
        return None if ReminderKind.ONE_DAY in sent else ReminderDue(ReminderKind.ONE_DAY, one_day)
    five_days = add_business_days(day, -ReminderKind.FIVE_DAYS.business_days, cal)
    if today >= five_days and ReminderKind.FIVE_DAYS not in sent:
        return ReminderDue(ReminderKind.FIVE_DAYS, five_days)
    return None
