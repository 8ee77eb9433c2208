"""The on-call view: tonight's and the weekend's work, for the on-call manager.

It holds the events whose window overlaps the next N hours (72 by default)
and lies outside the site's business hours, on a weekend or on a public
holiday, still to happen or under way. An event that started an hour ago
and runs until midnight is exactly what the on-call manager needs to see.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from ccm_tui.domain.after_hours import HoursFlag
from ccm_tui.domain.model import StepStatus

DEFAULT_HOURS = 72
MAX_HOURS = 24 * 14
# The longest window considered when looking back for events under way.
LONGEST_WINDOW = timedelta(hours=24)
ON_CALL_STATUSES = frozenset(s for s in StepStatus if s.open)


def check_hours(hours: int) -> int:
    if not 1 <= hours <= MAX_HOURS:
        raise ValueError(f"--hours must be between 1 and {MAX_HOURS} (two weeks), not {hours}")
    return hours


def on_call_window(now: datetime, hours: int = DEFAULT_HOURS) -> tuple[datetime, datetime]:
    """[now, now + hours): events overlapping it are shown."""
    return now, now + timedelta(hours=check_hours(hours))


def needs_on_call(flags: Collection[HoursFlag]) -> bool:
    """Worked outside the site's business day: the on-call manager covers it."""
    return bool(flags)


def overlaps(start: datetime, end: datetime | None, window: tuple[datetime, datetime]) -> bool:
    """The event [start, end) overlaps the window; an event without an end is a moment."""
    first, last = window
    return start < last and (end if end is not None and end > start else start + timedelta(seconds=1)) > first
