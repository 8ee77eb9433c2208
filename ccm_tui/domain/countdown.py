"""The countdown to an event's late-change cut-off.

Events inside the next two business days (the site's) show how long the
customer still has to change them without a fee; once the cut-off has
passed the event is in its late-change window instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ccm_tui.domain.calendar import SiteCalendar, add_business_days, late_change_cutoff

COUNTDOWN_BUSINESS_DAYS = 2


def in_countdown_range(start: datetime, now: datetime, cal: SiteCalendar) -> bool:
    """The start falls on or before the site's second business day from today."""
    today = cal.local(now).date()
    return cal.local(start).date() <= add_business_days(today, COUNTDOWN_BUSINESS_DAYS, cal)


def countdown(start: datetime, now: datetime, cal: SiteCalendar) -> timedelta | None:
    """Time left before changes to `start` cost a fee, for events in the countdown range.

    None when the event is further away, already past its cut-off, or started.
    """
    if start <= now or not in_countdown_range(start, now, cal):
        return None
    left = late_change_cutoff(start, cal) - now
    return left if left > timedelta(0) else None
