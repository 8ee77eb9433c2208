"""Which starts are inside their late-change window now, as ranges of instants.

`is_late_change` judges one start. To find in SQL the steps whose start is
late at a site, the store needs the same rule as ranges of start instants,
one set per site calendar (as the checklist's not-ready risk does with one
instant per calendar and offset).

A start on local date d is late once now passes its wall time on the
business day before d. So only the days from the site's today up to its next
business day can hold a late start still to come, and within them lateness
changes only where the start's local date or UTC offset changes, or where
its wall time passes a wall time at which the cut-off's day changes offset,
or the wall time that is now on that day. The ranges are cut at those
points and each piece is judged by `is_late_change` itself, so the ranges
agree with it exactly, DST nights included.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from ccm_tui.domain.calendar import SiteCalendar, add_business_days, is_late_change

_SCAN = timedelta(hours=12)  # no zone changes its offset twice within half a day


def late_start_ranges(now: datetime, cal: SiteCalendar) -> tuple[tuple[datetime, datetime], ...]:
    """The [from, to) ranges of start instants (UTC) from `now` on that are late changes at `now`."""
    today = cal.local(now).date()
    last = add_business_days(today, 1, cal)  # the next business day: the last date that can be late
    end = _midnight(last + timedelta(days=1), cal)
    days = [today + timedelta(days=i) for i in range((last - today).days + 1)]
    before = {day: add_business_days(day, -1, cal) for day in days}
    shifts = _offset_changes(_midnight(min(before.values()), cal), end, cal)
    points = {now, end, *(s for s in shifts if now < s < end)}
    for day in days:
        points.add(_midnight(day, cal))
        for wall in _wall_times(before[day], now, shifts, cal):
            for fold in (0, 1):
                points.add(datetime.combine(day, wall, tzinfo=cal.tz).replace(fold=fold).astimezone(UTC))
    cuts = sorted(p for p in points if now <= p <= end)
    ranges: list[tuple[datetime, datetime]] = []
    for low, high in itertools.pairwise(cuts):
        if not is_late_change(low, now, cal):
            continue
        if ranges and ranges[-1][1] == low:
            ranges[-1] = (ranges[-1][0], high)
        else:
            ranges.append((low, high))
    return tuple(ranges)


def latest_late_start(ranges: Iterable[tuple[datetime, datetime]]) -> datetime | None:
    """Where the last range ends: no later start is late (None when nothing is)."""
    return max((high for _, high in ranges), default=None)


def _midnight(day: date, cal: SiteCalendar) -> datetime:
    # fold=0: a skipped midnight is the instant of the jump, still the first of that local date
    return datetime.combine(day, time(0), tzinfo=cal.tz).astimezone(UTC)


def _offset_changes(start: datetime, end: datetime, cal: SiteCalendar) -> list[datetime]:
    """The instants in [start, end] at which the site's UTC offset changes (to the second)."""
    tz = cal.tz

    def offset(instant: datetime) -> timedelta | None:
        return instant.astimezone(tz).utcoffset()

    found = []
    instant = start
    while instant < end:
        following = min(instant + _SCAN, end)
        before = offset(instant)
        if before != offset(following):
            # in whole seconds, as zones change their offsets
            low, high = math.floor(instant.timestamp()), math.ceil(following.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if offset(datetime.fromtimestamp(middle, UTC)) == before:
                    low = middle
                else:
                    high = middle
            found.append(datetime.fromtimestamp(high, UTC))
        instant = following
    return found


def _wall_times(day: date, now: datetime, shifts: list[datetime], cal: SiteCalendar) -> set[time]:
    """Wall times at which a cut-off on `day` jumps or meets `now`."""
    first, last = _midnight(day, cal), _midnight(day + timedelta(days=1), cal)
    offsets = {cal.local(first).utcoffset()}
    walls: set[time] = set()
    for shift in shifts:
        if first <= shift < last:
            old = cal.local(shift - timedelta(seconds=1)).utcoffset()
            new = cal.local(shift).utcoffset()
            offsets |= {old, new}
            walls |= {(shift + offset).time() for offset in (old, new) if offset is not None}
    walls |= {(now.astimezone(UTC) + offset).time() for offset in offsets if offset is not None}
    return walls
