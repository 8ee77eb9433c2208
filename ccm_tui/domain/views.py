"""Saved views: named filters from config.toml's `[[views]]`, as gh-dash's sections.

A view is the filters a screen already has, under a name: on the book the
`/` text, the CCM and the flags; on the calendar the region, status, CCM,
flags and after hours, the layout (month, week, agenda) and the dates it
opens on. Nothing here filters: the screens turn a view into their own query.

"next N business days" counts in the CCM's own calendar (their zone and its
country's holidays), not each site's: a view is the CCM's plan of their own
days, the same range for every event in it, where a site's business days
would give each event another range. The late-change rule itself (the LATE
flag) still counts each site's business days.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ccm_tui.domain.book import BookFlag
from ccm_tui.domain.calendar import SiteCalendar, add_business_days
from ccm_tui.domain.event_filters import EventFlag, StatusFilter
from ccm_tui.domain.model import Region
from ccm_tui.domain.months import add_months

ME = "me"  # `ccm = "me"`: the session's person, as the `m` key
LAYOUTS = ("month", "week", "agenda")


class ViewScreen(enum.StrEnum):
    BOOK = "book"
    CALENDAR = "calendar"


class ViewDates(enum.StrEnum):
    """Where a calendar view opens, in words; each picks its layout unless `show` says otherwise."""

    TODAY = "today"
    THIS_WEEK = "this week"
    NEXT_WEEK = "next week"
    THIS_MONTH = "this month"
    NEXT_MONTH = "next month"

    @property
    def layout(self) -> str:
        return {"today": "agenda", "this week": "week", "next week": "week"}.get(self.value, "month")

    def day(self, today: date) -> date:
        """The day the calendar's cursor goes to."""
        if self is ViewDates.NEXT_WEEK:
            return today + timedelta(days=7)
        if self is ViewDates.NEXT_MONTH:
            return add_months(today, 1)
        return today


MAX_BUSINESS_DAYS = 10
_BUSINESS_DAYS = re.compile(r"next (?:(\d+) )?business days?")


@dataclass(frozen=True, slots=True)
class BusinessDays:
    """ "next N business days": today through the Nth business day after it, in the agenda."""

    n: int

    layout = "agenda"

    def __str__(self) -> str:
        return f"next {self.n} business day{'s' if self.n != 1 else ''}"

    def day(self, today: date) -> date:
        return today

    def last_day(self, today: date, cal: SiteCalendar) -> date:
        """The range's last day: the Nth business day after `today` in the CCM's calendar `cal`."""
        return add_business_days(today, self.n, cal)


def parse_dates(text: str) -> ViewDates | BusinessDays | None:
    """A view's `dates` in words ("" is none); ValueError naming what is accepted."""
    words = " ".join(text.casefold().split())
    if not words:
        return None
    if words in set(ViewDates):
        return ViewDates(words)
    found = _BUSINESS_DAYS.fullmatch(words)
    if found is None:
        raise ValueError(f'dates = {words!r} is not one of {_choices(list(ViewDates))} or "next N business days"')
    n = int(found.group(1) or 1)
    if not 1 <= n <= MAX_BUSINESS_DAYS:
        raise ValueError(f"dates = {words!r}: N business days is 1 to {MAX_BUSINESS_DAYS}")
    return BusinessDays(n)


@dataclass(frozen=True, slots=True)
class SavedView:
    name: str
    screen: ViewScreen
    text: str = ""  # book: the `/` filter
    ccm: str = ""  # "me", or a CCM's name; "" every CCM
    flags: frozenset[BookFlag] = frozenset()  # book
    event_flags: frozenset[EventFlag] = frozenset()  # calendar (`flags` in config.toml)
    region: Region | None = None  # calendar
    status: StatusFilter = StatusFilter.ACTIVE  # calendar
    after_hours: bool = False  # calendar
    show: str = ""  # calendar: month, week or agenda ("" as `dates` picks, else as it is)
    dates: ViewDates | BusinessDays | None = None  # calendar

    @property
    def layout(self) -> str:
        """The calendar layout the view opens in ("" keeps the current one)."""
        return self.show or (self.dates.layout if self.dates is not None else "")


class ViewError(ValueError):
    """A bad `[[views]]` entry: `index` is its place among them (0-based)."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


DEFAULT_VIEWS = (
    SavedView("My customers", ViewScreen.BOOK, ccm=ME),
    SavedView("Past CCD", ViewScreen.BOOK, flags=frozenset({BookFlag.CCD})),
    SavedView("Not ready", ViewScreen.BOOK, flags=frozenset({BookFlag.NOT_READY})),
    SavedView("Hours over", ViewScreen.BOOK, flags=frozenset({BookFlag.HOURS_OVER})),
    SavedView(
        "Late-change risk, next 2 business days",
        ViewScreen.CALENDAR,
        event_flags=frozenset({EventFlag.LATE}),
        dates=BusinessDays(2),
    ),
    SavedView("CCD this week", ViewScreen.CALENDAR, event_flags=frozenset({EventFlag.CCD}), dates=ViewDates.THIS_WEEK),
    SavedView("My events this week", ViewScreen.CALENDAR, ccm=ME, dates=ViewDates.THIS_WEEK),
    SavedView("After hours this week", ViewScreen.CALENDAR, after_hours=True, dates=ViewDates.THIS_WEEK),
    SavedView("Next month", ViewScreen.CALENDAR, dates=ViewDates.NEXT_MONTH),
)

_COMMON = {"name", "screen", "ccm", "flags"}
_KEYS = {
    ViewScreen.BOOK: _COMMON | {"text"},
    ViewScreen.CALENDAR: _COMMON | {"region", "status", "after_hours", "show", "dates"},
}


def _choices(values: Sequence[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _text(entry: Mapping[str, object], key: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{key} = {value!r} is not a string")
    if any(ord(c) < 32 for c in value):
        raise ValueError(f"{key} holds a control character")
    return value.strip()


def parse_view(entry: object) -> SavedView:
    """One `[[views]]` table as a view; ValueError saying what is wrong."""
    if not isinstance(entry, Mapping):
        raise ValueError("a view is a table: [[views]] with name = ... and screen = ...")
    name = _text(entry, "name")
    if not name:
        raise ValueError('a view needs a name: name = "My customers"')
    screen_name = _text(entry, "screen")
    try:
        screen = ViewScreen(screen_name)
    except ValueError:
        raise ValueError(f"view {name!r}: screen = {screen_name!r} is not one of {_choices(list(ViewScreen))}") from None
    unknown = sorted(set(entry) - _KEYS[screen])
    if unknown:
        known = ", ".join(sorted(_KEYS[screen]))
        raise ValueError(f"view {name!r}: {unknown[0]!r} is not a {screen} view's setting (known: {known})")
    try:
        return _fields(entry, name, screen)
    except ValueError as error:
        raise ValueError(f"view {name!r}: {error}") from None


def _fields(entry: Mapping[str, object], name: str, screen: ViewScreen) -> SavedView:
    flags = entry.get("flags", [])
    if isinstance(flags, str):
        flags = [flags]
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise ValueError(f'flags = {flags!r} is not a list like ["late", "ccd"]')
    kind: type[BookFlag] | type[EventFlag] = BookFlag if screen is ViewScreen.BOOK else EventFlag
    try:
        chosen = frozenset(kind(f.strip().casefold()) for f in flags)
    except ValueError:
        raise ValueError(f"flags = {flags!r}: each is one of {_choices(list(kind))} on the {screen}") from None
    region_name = _text(entry, "region")
    region = next((r for r in Region if region_name.casefold() in (r.value.casefold(), r.label.casefold())), None)
    if region_name and region is None:
        raise ValueError(f"region = {region_name!r} is not one of {_choices([r.value for r in Region])}")
    status_name = _text(entry, "status") or StatusFilter.ACTIVE.value
    try:
        status = StatusFilter(status_name.casefold().replace(" ", "_"))
    except ValueError:
        raise ValueError(f"status = {status_name!r} is not one of {_choices(list(StatusFilter))}") from None
    after_hours = entry.get("after_hours", False)
    if not isinstance(after_hours, bool):
        raise ValueError(f"after_hours = {after_hours!r} is not true or false")
    show = _text(entry, "show").casefold()
    if show and show not in LAYOUTS:
        raise ValueError(f"show = {show!r} is not one of {_choices(LAYOUTS)}")
    dates = parse_dates(_text(entry, "dates"))
    return SavedView(
        name=name,
        screen=screen,
        text=_text(entry, "text"),
        ccm=_text(entry, "ccm"),
        flags=frozenset(f for f in chosen if isinstance(f, BookFlag)),
        event_flags=frozenset(f for f in chosen if isinstance(f, EventFlag)),
        region=region,
        status=status,
        after_hours=after_hours,
        show=show,
        dates=dates,
    )


def parse_views(raw: object) -> tuple[SavedView, ...]:
    """config.toml's `views` (a list of tables); ViewError naming the bad one."""
    if not isinstance(raw, list):
        raise ViewError(0, "views are tables: write each as [[views]]")
    found: list[SavedView] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        try:
            view = parse_view(entry)
        except ValueError as error:
            raise ViewError(index, str(error)) from None
        if view.name.casefold() in seen:
            raise ViewError(index, f"view {view.name!r} is named twice")
        seen.add(view.name.casefold())
        found.append(view)
    return tuple(found)


def views_for(views: Sequence[SavedView], screen: ViewScreen) -> tuple[SavedView, ...]:
    return tuple(v for v in views if v.screen is screen)


def following_view(views: Sequence[SavedView], current: SavedView | None) -> SavedView | None:
    """The view after `current` (the first when none is on); None after the last: no view."""
    if not views:
        return None
    if current is None or current not in views:
        return views[0]
    index = views.index(current) + 1
    return views[index] if index < len(views) else None
