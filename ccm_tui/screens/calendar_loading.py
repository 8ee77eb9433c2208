"""What the activation calendar (key 2) reads and shows: its state, the loads
it asks the services for in thread workers, and the status line.

`CalendarState` owns the view, the day under the cursor and the filter;
each load posts its answer as a message, and an answer that no longer
matches the state (the CCM moved on) is dropped. The screen itself
(screens/activation_calendar.py) adds the keys; the filter, the saved views
and the actions on several events build on this class.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import on
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from ccm_tui.domain.months import add_months, month_first
from ccm_tui.domain.schedule import CalendarFilter, DayEvents, DaySummary, MonthSummary
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.following import FollowsBook, Reading, reading, still_current
from ccm_tui.text import calendar_text
from ccm_tui.widgets.calendar_labels import month_title, week_start, week_title
from ccm_tui.widgets.calendar_views import CalendarViews, View
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.selection import with_picked
from ccm_tui.widgets.week_view import EVENTS_TALL
from ccm_tui.widgets.workers import work

if TYPE_CHECKING:
    from textual.timer import Timer

# Seconds a month's counts may take before the grid shows that month's days with "Loading…" (quicker
# answers are painted at once, with no flash of an empty month between).
LOADING_NOTICE_AFTER = 0.25
DAYS_KEPT = 64  # day lists kept to show again while still current (a day's list is at most a page of events)


class CalendarState(FollowsBook, ServicesMixin, Screen[None]):
    """The calendar's state, its loads and the words over its views."""

    view: var[View] = var("month", init=False)
    cursor: var[date] = var(date(2000, 1, 1), init=False)
    calendar_filter: var[CalendarFilter] = var(CalendarFilter(), init=False)
    shown_month: tuple[date, CalendarFilter] | None = None
    """The (month, filter) the grid shows; benchmarks wait on it."""

    @dataclass
    class MonthLoaded(Message):
        first: date
        flt: CalendarFilter
        summary: MonthSummary
        late: bool = True  # the late-change counts are in (else they follow: `_fetch_late`)
        read: Reading | None = None  # the change log's mark before the read, and when (monotonic)

    @dataclass
    class DayLoaded(Message):
        day: date
        flt: CalendarFilter
        events: DayEvents
        whole: int | None = None  # with a filter on: the day's events without it ("3 of 7")
        read: Reading | None = None  # as MonthLoaded's

    @dataclass
    class WeekLoaded(Message):
        first: date
        flt: CalendarFilter
        days: list[DayEvents]

    @dataclass
    class AgendaLoaded(Message):
        first: date
        flt: CalendarFilter
        events: DayEvents
        whole: int | None = None  # with a filter on: the events without it
        last: date | None = None  # the last day listed (a saved view's range), else two months on

    def __init__(self) -> None:
        super().__init__()
        self._months: dict[tuple[date, CalendarFilter], MonthSummary] = {}
        self._month_reads: dict[tuple[date, CalendarFilter], Reading] = {}  # each cached month's `read`
        self._days: dict[tuple[date, CalendarFilter], CalendarState.DayLoaded] = {}  # the last DAYS_KEPT lists read
        self._select_step: int | None = None
        self._day_total = 0
        self._agenda_total = 0
        self._day_whole: int | None = None
        self._agenda_whole: int | None = None
        self._day_after_month = False
        self._loading_notice: Timer | None = None
        # Set when the book opens and the cursor goes to today (`_start`, which loads): a move
        # or a view picked before then has nothing to load.
        self._started = False

    @property
    def _views(self) -> CalendarViews:
        return self.query_one(CalendarViews)

    def _agenda_last(self) -> date | None:
        """The agenda's last day when a saved view's range holds (screens/calendar_saved_views.py)."""
        return None

    def _view_name(self) -> str | None:
        """The saved view whose filters are on, for the status line."""
        return None

    def reload_book(self) -> None:
        """The month, and the day, week or agenda shown, read again; the cursor day stays."""
        if self.shown_month is not None:
            self._months.clear()
            self._month_reads.clear()
            self._days.clear()
            self._reload()

    # -- state -> loads --------------------------------------------------------------
    def _reload(self) -> None:
        if not self._started:
            return
        if self.view == "week":
            self._load_week()
        if self.view == "agenda":
            self._load_agenda()
        self._load_month(then_day=self.view != "agenda")
        self._show_bar()

    def _load_month(self, then_day: bool = False) -> None:
        """The month's counts; with `then_day`, the day's list once they are shown.

        One query at a time: the grid first (the overview), then the list, so
        the two do not slow each other down on a large book.
        """
        first = month_first(self.cursor)
        self._day_after_month = then_day
        key = (first, self.calendar_filter)
        cached = self._months.get(key)
        if cached is not None:
            self._show_month(first, self.calendar_filter, cached)
        elif self.shown_month != key:
            self._await_month()
        read = self._month_reads.get(key)
        self._fetch_month(first, self.calendar_filter, None if cached is None or read is None else (cached, read))

    @work(thread=True, exclusive=True, group="cal-month")
    def _fetch_month(self, first: date, flt: CalendarFilter, cached: tuple[MonthSummary, Reading] | None) -> None:
        """The counts (one index read); the late-change markers follow once they are painted (`_month_loaded`).

        A month shown from memory is read again only if the book moved since its reading, or time passed: on
        `n`, `p` back and forth the database stays free for the day's list.
        """
        read = reading(self.services)
        if cached is not None and still_current(cached[1], read):
            summary, was = cached
            self.post_message(self.MonthLoaded(first, flt, summary, read=was))  # as it is: the day's list next
            return
        month = self.services.calendar.month(first, flt, with_late=False)
        self.post_message(self.MonthLoaded(first, flt, month, late=False, read=read))

    @work(thread=True, exclusive=True, group="cal-month-late")
    def _fetch_late(self, summary: MonthSummary, flt: CalendarFilter) -> None:
        """The late-change markers of a month around today: judging them reads each site's calendar."""
        with_late = self.services.calendar.month_late(summary, flt)
        if with_late is not None and with_late != summary:
            self.post_message(self.MonthLoaded(summary.first, flt, with_late))

    def _load_day(self) -> None:
        self._fetch_day(self.cursor, self.calendar_filter, self._days.get((self.cursor, self.calendar_filter)))

    @work(thread=True, exclusive=True, group="cal-day")
    def _fetch_day(self, day: date, flt: CalendarFilter, cached: CalendarState.DayLoaded | None) -> None:
        """The day's list; one read moments ago, the change log unmoved since, is shown as it was (as a month)."""
        calendar = self.services.calendar
        read = reading(self.services)
        if cached is not None and still_current(cached.read, read):
            self.post_message(replace(cached))
            return
        whole = None if flt.is_default else calendar.day(day, CalendarFilter(), limit=0).total  # a count: no rows read
        self.post_message(self.DayLoaded(day, flt, calendar.day(day, flt), whole, read))

    def _load_week(self) -> None:
        first = week_start(self.cursor, self.app_formatter)
        week = self._views.week
        if week is None:
            return
        week.first = first
        for month in {month_first(first), month_first(first + timedelta(days=6))} - {month_first(self.cursor)}:
            if (month, self.calendar_filter) not in self._months:
                self._fetch_other_month(month, self.calendar_filter)
        self._fetch_week(first, self.calendar_filter)

    @work(thread=True, exclusive=True, group="cal-week")
    def _fetch_week(self, first: date, flt: CalendarFilter) -> None:
        per_day = EVENTS_TALL if self._views.grid.tall else 6
        self.post_message(self.WeekLoaded(first, flt, self.services.calendar.week(first, flt, per_day)))

    def _read_ahead(self) -> None:
        """The months either side of the one shown, read while the CCM looks at this one: `n` and `p` then
        draw from memory at once (and read the month again behind it, as for any month already seen)."""
        if self.view != "month":
            return
        first = month_first(self.cursor)
        near = [m for m in (add_months(first, 1), add_months(first, -1)) if (m, self.calendar_filter) not in self._months]
        if near:
            self._fetch_near(near, self.calendar_filter)

    @work(thread=True, exclusive=True, group="cal-month-near")
    def _fetch_near(self, months: list[date], flt: CalendarFilter) -> None:
        calendar = self.services.calendar
        for first in months:
            read = reading(self.services)
            self.post_message(self.MonthLoaded(first, flt, calendar.month(first, flt), read=read))

    @work(thread=True, group="cal-month-other")
    def _fetch_other_month(self, first: date, flt: CalendarFilter) -> None:
        read = reading(self.services)
        self.post_message(self.MonthLoaded(first, flt, self.services.calendar.month(first, flt), read=read))

    def _load_agenda(self) -> None:
        self._fetch_agenda(self.cursor, self.calendar_filter, self._agenda_last())

    @work(thread=True, exclusive=True, group="cal-agenda")
    def _fetch_agenda(self, first: date, flt: CalendarFilter, last: date | None) -> None:
        calendar = self.services.calendar
        whole = None if flt.is_default else calendar.agenda(first, CalendarFilter(), limit=0, last=last).total
        self.post_message(self.AgendaLoaded(first, flt, calendar.agenda(first, flt, last=last), whole, last))

    # -- answers -> widgets ------------------------------------------------------------
    @on(MonthLoaded)
    def _month_loaded(self, message: MonthLoaded) -> None:
        summary = message.summary
        seen = self._months.get((message.first, message.flt))
        if not message.late and seen is not None:
            # read again: the late-change markers seen stay until the fresh ones come (no flicker)
            summary = replace(summary, days=tuple(replace(d, late=o.late) for d, o in zip(summary.days, seen.days, strict=True)))
        self._months[message.first, message.flt] = summary
        if message.read is not None:  # (the late-change markers that follow keep the counts' reading)
            self._month_reads[message.first, message.flt] = message.read
        self._show_month(message.first, message.flt, summary)
        current = (message.first, message.flt) == (month_first(self.cursor), self.calendar_filter)
        if current:
            # After the counts are painted: the day's list and the late-change markers would share one
            # GIL with the painting (the day's list first, the overview before the detail).
            self.call_after_refresh(self._after_month, message)

    def _after_month(self, message: MonthLoaded) -> None:
        if (message.first, message.flt) != (month_first(self.cursor), self.calendar_filter):
            return  # the CCM moved on
        if self._day_after_month:
            self._day_after_month = False
            self._load_day()
        if not message.late:
            self._fetch_late(message.summary, message.flt)

    def _show_month(self, first: date, flt: CalendarFilter, summary: MonthSummary) -> None:
        if flt != self.calendar_filter:
            return
        self._views.add_summaries(summary.days)
        if first != month_first(self.cursor):
            return
        grid = self._views.grid
        if (self.shown_month, grid.summary, grid.month, grid.cursor) == ((first, flt), summary, first, self.cursor):
            return  # the same answer again (a cached month read afresh): nothing to draw
        # month, counts and cursor set together: one repaint
        grid.month = first
        grid.summary = summary
        grid.cursor = self.cursor
        self.shown_month = (first, flt)
        self._stop_loading_notice()
        self._show_bar()
        self._show_day_title()

    def _await_month(self) -> None:
        """The cursor went to a month whose counts are on their way: the grid keeps showing the month it
        has (no repaint of a month with no counts) unless the answer is slow; then the new month's days
        show with "Loading…" (`MonthGrid` draws that while it has no counts for its month)."""
        self._stop_loading_notice()
        self._loading_notice = self.set_timer(LOADING_NOTICE_AFTER, self._show_loading)

    def _show_loading(self) -> None:
        first = month_first(self.cursor)
        if self.shown_month == (first, self.calendar_filter):
            return
        grid = self._views.grid
        grid.month = first
        grid.summary = None
        grid.cursor = self.cursor

    def _stop_loading_notice(self) -> None:
        if self._loading_notice is not None:
            self._loading_notice.stop()
            self._loading_notice = None

    @on(DayLoaded)
    def _day_loaded(self, message: DayLoaded) -> None:
        if message.read is not None:
            self._days.pop((message.day, message.flt), None)
            self._days[message.day, message.flt] = message
            while len(self._days) > DAYS_KEPT:
                del self._days[next(iter(self._days))]  # the oldest read
        if (message.day, message.flt) != (self.cursor, self.calendar_filter):
            return
        table = self.query_one("#cal-day", EventTable)
        table.show_events(message.events.events, empty=f"Nothing on {self.app_formatter.day_short(message.day)}.")
        self._day_total = message.events.total
        self._day_whole = message.whole
        self._show_day_title()
        if self._select_step is not None:
            table.select_step(self._select_step)
            self._select_step = None
        self._read_ahead()  # the day's list is in: the database is free for the months around

    @on(WeekLoaded)
    def _week_loaded(self, message: WeekLoaded) -> None:
        week = self._views.week
        if week is None or (message.first, message.flt) != (week.first, self.calendar_filter):
            return
        week.days = message.days

    @on(AgendaLoaded)
    def _agenda_loaded(self, message: AgendaLoaded) -> None:
        current = (self.cursor, self.calendar_filter, self._agenda_last())
        if (message.first, message.flt, message.last) != current or not self.query("#cal-agenda"):
            return
        table = self.query_one("#cal-agenda", EventTable)
        fmt = self.app_formatter
        empty = "Nothing in the next two months."
        if message.last is not None:
            empty = f"Nothing from {fmt.day_short(message.first)} to {fmt.day_short(message.last)}."
        table.show_events(message.events.events, empty=empty)
        self._agenda_total = message.events.total
        self._agenda_whole = message.whole
        self._show_bar()

    # -- the status line and the day's title -------------------------------------------
    def _show_bar(self) -> None:
        fmt = self.app_formatter
        zone = self.app_settings.time_zone
        if self.view == "month":
            title = month_title(fmt, month_first(self.cursor))
        elif self.view == "week":
            title = f"Week {week_title(fmt, week_start(self.cursor, fmt))}"
        else:
            whole = None if self.calendar_filter.is_default else self._agenda_whole
            title = calendar_text.agenda_title(self.cursor, self._agenda_total, fmt, whole, self._agenda_last())
        zone_name = fmt.local(self.services.now(), zone).strftime("%Z")
        bar = calendar_text.bar(title, self.calendar_filter, zone_name)
        if (name := self._view_name()) is not None:
            bar = f"view: {name} · {bar}"
        agenda = self._views.agenda if self.view == "agenda" else None
        self.query_one("#cal-bar", Static).update(with_picked(bar, agenda))

    def _show_day_title(self) -> None:
        grid = self._views.grid
        summary = grid.summary.day(self.cursor) if grid.summary is not None else DaySummary(self.cursor)
        # until the day's list is in, the month's count for the day
        total = self._day_total if self._day_total or not summary.events else summary.events
        shown = len(self.query_one("#cal-day", EventTable).events)
        whole = None if self.calendar_filter.is_default else self._day_whole
        title = calendar_text.day_title(self.cursor, total, shown, self.app_formatter, whole)
        self.query_one("#cal-day-title", Static).update(with_picked(title, self.query_one("#cal-day", EventTable)))
