"""Key 2: the activation calendar.

A month grid (or a week, or an agenda list) over a list of the selected
day's events. The screen owns the state (view, day under the cursor,
filter) and asks the services in thread workers for the month's per-day
counts, the week's days, the agenda or the day's events; answers that no
longer match the state (the CCM moved on) are dropped.

Days are the CCM's own (settings.time_zone); each event shows its start in
the site's time and in the CCM's, both with their zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ccm_tui.domain.months import add_months, month_first
from ccm_tui.domain.schedule import CalendarFilter, DayEvents, DaySummary, MonthSummary
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.following import FollowsBook
from ccm_tui.text import calendar_text
from ccm_tui.widgets.calendar_labels import month_title, week_start, week_title
from ccm_tui.widgets.calendar_views import VIEWS, CalendarViews, View
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.month_grid import TALL_HEIGHT, TALL_WIDTH, MonthGrid
from ccm_tui.widgets.week_view import EVENTS_TALL, WeekView

if TYPE_CHECKING:
    from ccm_tui.domain.schedule import CalendarEvent


class ActivationCalendarScreen(FollowsBook, ServicesMixin, Screen[None]):
    """Key 2: installations and activation events, a month at a time."""

    BINDINGS = [
        Binding("n", "next", "Next/prev", key_display="n/p", tooltip="Next month (next week in the week and agenda views)"),
        Binding("p", "previous", "Previous", show=False, tooltip="Previous month (or week)"),
        Binding("t", "today", "Today"),
        Binding("v", "cycle_view", "View", tooltip="Month, week, agenda"),
        Binding("m", "view('month')", "Month view", show=False),
        Binding("w", "view('week')", "Week view", show=False),
        Binding("a", "view('agenda')", "Agenda view", show=False),
        Binding("f,slash", "filter", "Filter", tooltip="Region, status, CCM, after hours only"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("o", "on_call", "On call", tooltip="The next 72 hours of after-hours and weekend events"),
        Binding("r", "reminders", "Reminders due", show=False, tooltip="Events that need a reminder today"),
        Binding("u", "waiting", "To schedule", show=False, tooltip="Steps with no window yet, soonest CCD first"),
    ]
    BOOK_ACTIONS = frozenset({"today", "filter"})

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

    @dataclass
    class DayLoaded(Message):
        day: date
        flt: CalendarFilter
        events: DayEvents

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

    def __init__(self) -> None:
        super().__init__()
        self._months: dict[tuple[date, CalendarFilter], MonthSummary] = {}
        self._select_step: int | None = None
        self._day_total = 0
        self._agenda_total = 0
        self._day_after_month = False
        # Set when the book opens and the cursor goes to today (`_start`, which loads): a move
        # or a view picked before then has nothing to load.
        self._started = False

    def compose(self) -> ComposeResult:
        fmt, zone = self.app_formatter, self.app_settings.time_zone
        yield Header()
        yield Static("Opening the calendar...", id="cal-bar", markup=False)  # the filter names CCMs as typed
        yield CalendarViews(fmt, zone, id="cal-views")
        yield Static("", id="cal-day-title")
        yield EventTable(fmt, zone, id="cal-day")
        yield Footer()

    def on_mount(self) -> None:
        self._fit()
        self._views.grid.focus()
        self.when_services(self._start)

    def _start(self) -> None:
        today = self.services.today()
        grid = self._views.grid
        grid.today = today
        grid.cursor = today
        # set without the watcher, which would load what _reload loads
        self.set_reactive(ActivationCalendarScreen.cursor, today)
        self._started = True
        self._show_bar()
        # After the first frame: building the screen and the query would share one GIL.
        self.call_after_refresh(self._reload)

    def on_screen_resume(self) -> None:
        # Back from an activation's detail or a dialog: something may have changed.
        self.reload_book()

    def reload_book(self) -> None:
        """The month, and the day, week or agenda shown, read again; the cursor day stays."""
        if self.shown_month is not None:
            self._months.clear()
            self._reload()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self._views.set_tall(self.app.size.height >= TALL_HEIGHT and self.app.size.width >= TALL_WIDTH)

    @property
    def _views(self) -> CalendarViews:
        return self.query_one(CalendarViews)

    # -- state -> loads --------------------------------------------------------------
    def watch_cursor(self, old: date, new: date) -> None:
        self._views.set_cursor(new)
        if not self._started:
            return
        if self.view == "week" and week_start(old, self.app_formatter) != week_start(new, self.app_formatter):
            self._load_week()
        if self.view == "agenda":
            self._load_agenda()
        if month_first(old) != month_first(new):
            self._load_month(then_day=self.view != "agenda")
        elif self.view != "agenda":
            self._load_day()
        self._show_bar()

    async def watch_view(self, view: View) -> None:
        await self._views.show(view, self.cursor, (d for m in self._months.values() for d in m.days))
        self.query_one("#cal-day").display = view != "agenda"
        self.query_one("#cal-day-title").display = view != "agenda"
        self._reload()

    def watch_calendar_filter(self) -> None:
        self._reload()

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
        cached = self._months.get((first, self.calendar_filter))
        if cached is not None:
            self._show_month(first, self.calendar_filter, cached)
        self._fetch_month(first, self.calendar_filter)

    @work(thread=True, exclusive=True, group="cal-month")
    def _fetch_month(self, first: date, flt: CalendarFilter) -> None:
        self.post_message(self.MonthLoaded(first, flt, self.services.calendar.month(first, flt)))

    def _load_day(self) -> None:
        self._fetch_day(self.cursor, self.calendar_filter)

    @work(thread=True, exclusive=True, group="cal-day")
    def _fetch_day(self, day: date, flt: CalendarFilter) -> None:
        self.post_message(self.DayLoaded(day, flt, self.services.calendar.day(day, flt)))

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

    @work(thread=True, group="cal-month-other")
    def _fetch_other_month(self, first: date, flt: CalendarFilter) -> None:
        self.post_message(self.MonthLoaded(first, flt, self.services.calendar.month(first, flt)))

    def _load_agenda(self) -> None:
        self._fetch_agenda(self.cursor, self.calendar_filter)

    @work(thread=True, exclusive=True, group="cal-agenda")
    def _fetch_agenda(self, first: date, flt: CalendarFilter) -> None:
        self.post_message(self.AgendaLoaded(first, flt, self.services.calendar.agenda(first, flt)))

    # -- answers -> widgets ------------------------------------------------------------
    @on(MonthLoaded)
    def _month_loaded(self, message: MonthLoaded) -> None:
        self._months[message.first, message.flt] = message.summary
        self._show_month(message.first, message.flt, message.summary)
        current = (message.first, message.flt) == (month_first(self.cursor), self.calendar_filter)
        if current and self._day_after_month:
            self._day_after_month = False
            self._load_day()

    def _show_month(self, first: date, flt: CalendarFilter, summary: MonthSummary) -> None:
        if flt != self.calendar_filter:
            return
        self._views.add_summaries(summary.days)
        if first != month_first(self.cursor):
            return
        grid = self._views.grid
        grid.month = first
        grid.summary = summary
        self.shown_month = (first, flt)
        self._show_bar()
        self._show_day_title()

    @on(DayLoaded)
    def _day_loaded(self, message: DayLoaded) -> None:
        if (message.day, message.flt) != (self.cursor, self.calendar_filter):
            return
        table = self.query_one("#cal-day", EventTable)
        table.show_events(message.events.events, empty=f"Nothing on {self.app_formatter.day_short(message.day)}.")
        self._day_total = message.events.total
        self._show_day_title()
        if self._select_step is not None:
            table.select_step(self._select_step)
            self._select_step = None

    @on(WeekLoaded)
    def _week_loaded(self, message: WeekLoaded) -> None:
        week = self._views.week
        if week is None or (message.first, message.flt) != (week.first, self.calendar_filter):
            return
        week.days = message.days

    @on(AgendaLoaded)
    def _agenda_loaded(self, message: AgendaLoaded) -> None:
        if (message.first, message.flt) != (self.cursor, self.calendar_filter) or not self.query("#cal-agenda"):
            return
        table = self.query_one("#cal-agenda", EventTable)
        table.show_events(message.events.events, empty="Nothing in the next two months.")
        self._agenda_total = message.events.total
        self._show_bar()

    def _show_bar(self) -> None:
        fmt = self.app_formatter
        zone = self.app_settings.time_zone
        if self.view == "month":
            title = month_title(fmt, month_first(self.cursor))
        elif self.view == "week":
            title = f"Week {week_title(fmt, week_start(self.cursor, fmt))}"
        else:
            title = calendar_text.agenda_title(self.cursor, self._agenda_total, fmt)
        zone_name = fmt.local(self.services.now(), zone).strftime("%Z")
        self.query_one("#cal-bar", Static).update(calendar_text.bar(title, self.calendar_filter, zone_name))

    def _show_day_title(self) -> None:
        grid = self._views.grid
        summary = grid.summary.day(self.cursor) if grid.summary is not None else DaySummary(self.cursor)
        # until the day's list is in, the month's count for the day
        total = self._day_total if self._day_total or not summary.events else summary.events
        shown = len(self.query_one("#cal-day", EventTable).events)
        self.query_one("#cal-day-title", Static).update(calendar_text.day_title(self.cursor, total, shown, self.app_formatter))

    # -- keys ------------------------------------------------------------------------
    @on(MonthGrid.Moved)
    @on(WeekView.Moved)
    def _moved(self, message: MonthGrid.Moved | WeekView.Moved) -> None:
        self.cursor = message.day

    @on(MonthGrid.Picked)
    @on(WeekView.Picked)
    def _picked_day(self) -> None:
        self.query_one("#cal-day", EventTable).focus()

    @on(EventTable.Picked)
    def _open_event(self, message: EventTable.Picked) -> None:
        self.open_activation(message.event)

    def open_activation(self, event: CalendarEvent) -> None:
        from ccm_tui.screens.activation_detail import ActivationDetailScreen

        self._select_step = event.step.id
        self.app.push_screen(ActivationDetailScreen(event.activation.id, event.step.kind))

    def action_next(self) -> None:
        self._step(1)

    def action_previous(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if self.view == "month":
            self.cursor = add_months(self.cursor, direction)
        else:
            self.cursor = self.cursor + timedelta(days=7 * direction)

    def action_today(self) -> None:
        self.cursor = self.services.today()

    def action_view(self, view: View) -> None:
        self.view = view

    def action_agenda_view(self) -> None:
        self.view = "agenda"

    def action_cycle_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]

    def action_filter(self) -> None:
        self._open_filter()

    @work(thread=True, group="cal-filter")
    def _open_filter(self) -> None:
        from ccm_tui.screens.calendar_filter import filter_dialog

        names = self.services.calendar.ccm_names()

        def chosen(flt: CalendarFilter | None) -> None:
            if flt is not None:
                self.calendar_filter = flt

        self.app.call_from_thread(push_if_active, self, filter_dialog(self.calendar_filter, names), chosen)

    def action_clear_filter(self) -> None:
        if not self.calendar_filter.is_default:
            self.calendar_filter = CalendarFilter()
            self.notify("Filter cleared.")
        elif self.focused is not None and self.focused.id == "cal-day":
            self._views.focus_current()

    def action_on_call(self) -> None:
        from ccm_tui.screens.on_call import OnCallScreen

        self.app.push_screen(OnCallScreen(self.calendar_filter))

    def action_waiting(self) -> None:
        from ccm_tui.screens.waiting_steps import WaitingStepsScreen

        self.app.push_screen(WaitingStepsScreen(self.calendar_filter))

    def action_reminders(self) -> None:
        from ccm_tui.screens.reminders import RemindersScreen

        self.app.push_screen(RemindersScreen(self.calendar_filter))
