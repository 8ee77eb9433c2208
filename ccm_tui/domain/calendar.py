"""Business days in a site's own calendar, and the late-change cut-off.

A customer's cancellation or reschedule costs a fee when it comes less than
one business day before the start, and "business day" means the *site's*
business day: its time zone, its country's working week and the public
holidays of its country and, where it has one, its state or province. Everything here takes the instant it reasons about as an argument.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache, lru_cache
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class BusinessHours:
    """The working day at a site, in local wall-clock time.

    `weekdays` None (the default) means the site's own country's working
    week, as the `holidays` package knows it (Sunday to Thursday in Israel,
    Monday to Friday in the US); a set overrides it for every site.
    """

    start: time = time(8, 0)
    end: time = time(17, 0)
    weekdays: frozenset[int] | None = None  # Monday is 0

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"business hours must start before they end (got {self.start:%H:%M}-{self.end:%H:%M})")
        if self.weekdays is not None and (not self.weekdays or not self.weekdays <= frozenset(range(7))):
            raise ValueError(f"business weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday), got {sorted(self.weekdays)}")


@cache
def zone_info(name: str) -> ZoneInfo:
    """The zone `name`, read from tzdata once for the process.

    zoneinfo keeps only its last eight zones strongly: a list of events in a
    few dozen zones read most of them from their files again on each call.
    Held here, every `ZoneInfo(name)` elsewhere finds the same object in
    zoneinfo's own cache. Bounded by the world's few hundred zones.
    """
    return ZoneInfo(name)


@dataclass(frozen=True)
class SiteCalendar:
    """A site's time zone, country and subdivision (public holidays, weekend) and business hours."""

    zone: str  # IANA name
    country: str  # ISO 3166-1 alpha-2
    hours: BusinessHours = BusinessHours()
    subdivision: str = ""  # ISO 3166-2 ("AU-NSW"), or "" for the country's calendar alone

    @property
    def tz(self) -> ZoneInfo:
        return zone_info(self.zone)

    def local(self, instant: datetime) -> datetime:
        """The instant as the site's wall clock shows it."""
        _require_aware(instant)
        return instant.astimezone(self.tz)

    @property
    def _working(self) -> _WorkingDays:
        return _working_days(self.country.upper(), _subdiv_code(self.subdivision), self.hours.weekdays)

    @property
    def weekend(self) -> frozenset[int]:
        """The weekdays (Monday is 0) that are not working days at the site."""
        return self._working.weekend

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on `day` at the site (its country's and its subdivision's), if any."""
        return self._working.holiday_name(day)

    def is_weekend(self, day: date) -> bool:
        """A weekend day at the site that is not worked (some countries work a moved Saturday)."""
        return self._working.is_weekend(day)

    def is_business_day(self, day: date) -> bool:
        return self._working.is_working_day(day)


def _subdiv_code(subdivision: str) -> str:
    """The `holidays` package's code: "AU-NSW" -> "NSW"."""
    return subdivision.partition("-")[2] if "-" in subdivision else subdivision


ANSWERS_KEPT = 4096  # per country calendar: about ten years of days


class _WorkingDays:
    """One country's (and subdivision's) holidays object, shared by every site there.

    The package fills in years as they are asked for, so the object is
    guarded for the worker threads that share it.
    """

    def __init__(self, country: str, subdivision: str, weekdays: frozenset[int] | None) -> None:
        import holidays  # here, not at the top: 35 ms of every start (the CLI's, the app's first frame) for a late need

        try:
            found: holidays.HolidayBase = holidays.country_holidays(country, subdiv=subdivision or None)
        except NotImplementedError:  # a country (or subdivision) the library does not know has no holidays
            try:
                found = holidays.country_holidays(country)
            except NotImplementedError:
                found = holidays.HolidayBase()
        if weekdays is not None:
            found.weekend = set(range(7)) - set(weekdays)
        self._holidays = found
        self._lock = threading.Lock()
        self.weekend = frozenset(found.weekend)
        # Answers remembered: the package walks day by day on each call (on-call and a month's late-change
        # marks ask the same few days of a site calendar hundreds of times). Bounded, as its years are.
        self._working: dict[date, bool] = {}
        self._nth: dict[tuple[date, int], date] = {}

    def holiday_name(self, day: date) -> str | None:
        with self._lock:
            return self._holidays.get(day)

    def is_weekend(self, day: date) -> bool:
        if day.weekday() not in self.weekend:
            return False
        with self._lock:
            return day not in self._holidays.weekend_workdays

    def is_working_day(self, day: date) -> bool:
        with self._lock:
            working = self._working.get(day)
            if working is None:
                if len(self._working) >= ANSWERS_KEPT:
                    self._working.clear()
                working = self._working[day] = self._holidays.is_working_day(day)
            return working

    def nth_working_day(self, day: date, n: int) -> date:
        with self._lock:
            found = self._nth.get((day, n))
            if found is None:
                if len(self._nth) >= ANSWERS_KEPT:
                    self._nth.clear()
                found = self._nth[day, n] = self._holidays.get_nth_working_day(day, n)
            return found


@lru_cache(maxsize=512)
def _working_days(country: str, subdivision: str, weekdays: frozenset[int] | None) -> _WorkingDays:
    return _WorkingDays(country, subdivision, weekdays)


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
    if n == 0:
        return day
    return cal._working.nth_working_day(day, n)


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
    """Less than one business day before the start (or after it has begun).

    A change made exactly at the cut-off is still a full business day ahead,
    so it is free.
    """
    _require_aware(changed_at)
    return changed_at > late_change_cutoff(start, cal)
