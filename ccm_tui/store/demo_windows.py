"""The demo's windows: when an installation visit or an activation call is.

Windows are chosen in the site's local time (zoneinfo), on the site's
business days (or on a weekend, for a weekend window), at the hours each
kind of work is done, and stored as naive UTC, like everything the store
writes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ccm_tui.domain.model import StepKind
from ccm_tui.store.demo_model import DemoBook, DemoSite

Window = tuple[datetime, datetime]


def window_on(book: DemoBook, day: date, site: DemoSite, kind: StepKind, style: str) -> Window:
    rng = book.rng
    if style == "after_hours":
        hour, hours = rng.choices(((19, 4), (18, 3), (21, 3), (22, 4)), (50, 20, 15, 15))[0]
    elif style == "weekend":
        hour, hours = rng.choices(((9, 4), (8, 4), (13, 4)), (60, 20, 20))[0]
    elif kind is StepKind.INSTALLATION:
        hour, hours = rng.choices(((8, 4), (13, 4)), (60, 40))[0]
    else:
        hour, hours = rng.choices(((9, 3), (10, 3), (13, 3), (14, 3)), (75, 10, 10, 5))[0]
    zone = ZoneInfo(site.place.zone)
    local = datetime.combine(day, time(hour), zone)
    start = local.astimezone(UTC).replace(tzinfo=None)
    end = (local + timedelta(hours=hours)).astimezone(UTC).replace(tzinfo=None)
    return start, end


def snap(day: date, site: DemoSite, style: str, forward: bool = True) -> date:
    step = timedelta(days=1 if forward else -1)
    if style == "weekend":
        while day.weekday() < 5:
            day += step
        return day
    while not site.cal.is_business_day(day):
        day += step
    return day


def window_between(book: DemoBook, site: DemoSite, kind: StepKind, style: str, when: str, low: int, high: int) -> Window:
    """A window `low..high` days from today, wholly past or wholly future."""
    day = snap(book.today + timedelta(days=book.rng.randint(low, high)), site, style)
    start, end = window_on(book, day, site, kind, style)
    while (when == "past" and end >= book.now - timedelta(hours=1)) or (
        when == "future" and start <= book.now + timedelta(hours=2)
    ):
        shift = timedelta(days=-7 if when == "past" else 7)
        day = snap(day + shift, site, style, forward=when != "past")
        start, end = window_on(book, day, site, kind, style)
    return start, end


def late_window(book: DemoBook, site: DemoSite) -> Window:
    """The first business-hours slot after now: inside the late-change window."""
    zone = ZoneInfo(site.place.zone)
    moment = book.now.replace(minute=0) + timedelta(hours=2)
    for _ in range(24 * 14):
        local = moment.replace(tzinfo=UTC).astimezone(zone)
        if local.hour in (9, 10, 11, 13, 14) and site.cal.is_business_day(local.date()):
            start_local = local.replace(minute=0)
            start = start_local.astimezone(UTC).replace(tzinfo=None)
            end = (start_local + timedelta(hours=3)).astimezone(UTC).replace(tzinfo=None)
            return start, end
        moment += timedelta(hours=1)
    raise AssertionError("no business hour in two weeks")  # pragma: no cover


def local_date(instant: datetime, site: DemoSite) -> date:
    return instant.replace(tzinfo=UTC).astimezone(ZoneInfo(site.place.zone)).date()
