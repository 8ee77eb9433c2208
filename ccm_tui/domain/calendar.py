"""Business days in a site's own calendar, and the late-change cut-off.

A customer's cancellation or reschedule costs a fee when it comes less than
one business day before the start, and "business day" means the *site's*
business day: its time zone, its working weekdays and its country's public
holidays. Everything here takes the instant it reasons about as an argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# No calendar has this many non-business days in a row; a guard, not a rule.
_MAX_DAYS_SEARCHED = 366 * 10


@dataclass(frozen=True)
class BusinessHours:
    """The working day at a site, in local wall-clock time."""

    start: time = time(8, 0)
    end: time = time(17, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday is 0

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(
                f"business hours must start before they end (got {self.start:%H:%M}-{self.end:%H:%M})"
            )
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError(
                "business weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday),"
                f" got {sorted(self.weekdays)}"
            )


@dataclass(frozen=True)
class SiteCalendar:
    """A site's time zone, country (for public holidays) and business hours."""

    zone: str  # IANA name
    country: str  # ISO 3166-1 alpha-2
    hours: BusinessHours = BusinessHours()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def local(self, instant: datetime) -> datetime:
        """The instant as the site's wall clock shows it."""
        _require_aware(instant)
        return instant.astimezone(self.tz)

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on `day` in the site's country, if any."""
        return _public_holidays(self.country.upper(), day.year).get(day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.hours.weekdays and self.holiday_name(day) is None


@lru_cache(maxsize=512)
def _public_holidays(country: str, year: int) -> Mapping[date, str]:
    """National public holidays; a country the library does not know has none."""
    try:
        found = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return {}
    return dict(found)


def _require_aware(instant: datetime) -> None:
    # A naive datetime would silently be read in the machine's zone.
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"a time-zone-aware datetime is needed, got naive {instant.isoformat()}")


def add_business_days(day: date, n: int, cal: SiteCalendar) -> date:
    """Move `n` business days from `day` (backwards when negative).

    Each step lands on the next business day in that direction, so starting
    on a Saturday, +1 is the Monday and -1 the Friday. `n == 0` returns `day`
    unchanged, business day or not.
    """
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    searched = 0
    while remaining:
        day += step
        searched += 1
        if searched > _MAX_DAYS_SEARCHED:
            raise ValueError(f"no business day found within {_MAX_DAYS_SEARCHED} days of {day}")
        if cal.is_business_day(day):
            remaining -= 1
    return day


def late_change_cutoff(start: datetime, cal: SiteCalendar) -> datetime:
    """The instant (UTC) from which a change to `start` is a late change.

    It is the same local wall-clock time as the start, on the previous
    business day before the start's local date. The wall time is built with
    zoneinfo's default `fold=0`: a time repeated when clocks go back means
    its first occurrence, and a time skipped when clocks go forward is read
    with the offset in force before the jump, so it lands one hour later
    (02:30 on a spring-forward night becomes 03:30 local).
    """
    local_start = cal.local(start)
    previous = add_business_days(local_start.date(), -1, cal)
    cutoff = datetime.combine(previous, local_start.time(), tzinfo=cal.tz)
    return cutoff.astimezone(UTC)


def is_late_change(start: datetime, changed_at: datetime, cal: SiteCalendar) -> bool:
    """Less than one business day before the start (or after it has begun)."""
    _require_aware(changed_at)
    return changed_at >= late_change_cutoff(start, cal)


def time_to_cutoff(start: datetime, now: datetime, cal: SiteCalendar) -> timedelta:
    """How long until changes become late; negative once the cut-off has passed."""
    _require_aware(now)
    return late_change_cutoff(start, cal) - now
