"""Key 2: the activation calendar.

A month grid (or a week, or an agenda list) over a list of the selected
day's events. The screen's state, its loads (thread workers asking the
services) and the status line are `CalendarState` (screens/calendar_loading.py);
the filter (calendar_filter.py), saved views (calendar_saved_views.py) and
the actions on several events (calendar_bulk.py) build on it. Here: the
keys, the layout, and the moves between days.

Days are the CCM's own (settings.time_zone); each event shows its start in
the site's time and in the CCM's, both with their zone.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from ccm_tui.domain.months import add_months, month_first
from ccm_tui.screens.calendar_bulk import CalendarBulk
from ccm_tui.screens.calendar_filter import CalendarFiltering
from ccm_tui.screens.calendar_saved_views import CalendarSavedViews
from ccm_tui.widgets.calendar_labels import week_start
from ccm_tui.widgets.calendar_views import VIEWS, CalendarViews, View
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.month_grid import TALL_HEIGHT, TALL_WIDTH, MonthGrid
from ccm_tui.widgets.week_view import WeekView

if TYPE_CHECKING:
    from ccm_tui.domain.schedule import CalendarEvent


class ActivationCalendarScreen(CalendarSavedViews, CalendarFiltering, CalendarBulk):
    """Key 2: installations and activation events, a month at a time."""

    BINDINGS = [
        Binding(
            "n",
            "next",
            "Next/prev",
            key_display="n/p",
            tooltip="Next month (next week in the week and agenda views)",
            id="calendar.next",
        ),
        Binding("p", "previous", "Previous", show=False, tooltip="Previous month (or week)", id="calendar.previous"),
        Binding("t", "today", "Today", id="calendar.today"),
        Binding("v", "cycle_view", "View", tooltip="Month, week, agenda", id="calendar.cycle_view"),
        Binding("m", "view('month')", "Month view", show=False, id="calendar.month"),
        Binding("w", "view('week')", "Week view", show=False, id="calendar.week"),
        Binding("a", "view('agenda')", "Agenda view", show=False, id="calendar.agenda"),
        Binding(
            "f,slash",
            "filter",
            "Filter",
            tooltip="Region, status, CCM, flags (late-change window, CCD), after hours only",
            id="calendar.filter",
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="calendar.clear_filter"),
        Binding("o", "on_call", "On call", tooltip="The next 72 hours of after-hours and weekend events", id="calendar.on_call"),
        Binding(
            "r", "reminders", "Reminders due", show=False, tooltip="Events that need a reminder today", id="calendar.reminders"
        ),
        Binding(
            "s",
            "waiting",
            "To schedule",
            show=False,
            tooltip="Steps with no window yet, soonest CCD first",
            id="calendar.to_schedule",
        ),
        Binding(
            "V",
            "next_view",
            "Saved view",
            tooltip="The next saved view (config.toml [[views]]), then none",
            id="calendar.saved_view",
        ),
    ]
    BOOK_ACTIONS = frozenset({"today", "filter"})
    FOCUS_ACTIONS = frozenset({"filter"})

    def compose(self) -> ComposeResult:
        fmt, zone = self.app_formatter, self.app_settings.time_zone
        yield Header()
        yield Static("Opening the calendar...", id="cal-bar", markup=False)  # the filter names CCMs as typed
        yield CalendarViews(fmt, zone, id="cal-views")
        yield Static("", id="cal-day-title")
        yield EventTable(fmt, zone, id="cal-day", selectable=True)
        yield FittedFooter()

    def on_mount(self) -> None:
        self._fit()
        self._views.grid.focus()
        self.when_services(self._start)
        self.when_services(self._show_access)

    def _start(self) -> None:
        today = self.services.today()
        grid = self._views.grid
        grid.today = today
        grid.cursor = today
        grid.month = month_first(today)  # its days at once, "Loading..." until the counts come
        # set without the watcher, which would load what _reload loads
        self.set_reactive(ActivationCalendarScreen.cursor, today)
        self._started = True
        self._show_bar()
        # After the first frame: building the screen and the query would share one GIL.
        self.call_after_refresh(self._reload)

    def on_screen_resume(self) -> None:
        # Back from an activation's detail, a dialog or another screen: what is shown is read again unless the
        # book's change log has not moved since it was read, a moment ago (`still_current`). A write there moves
        # it; so the first `n` after key 2 no longer waits for a month the return had thrown away.
        if self.shown_month is not None:
            self._reload()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self._views.set_tall(self.app.size.height >= TALL_HEIGHT and self.app.size.width >= TALL_WIDTH)

    # -- state -> loads ------------------------------------------------------------------
    def watch_cursor(self, old: date, new: date) -> None:
        if self._started and month_first(old) != month_first(new):
            # the grid moves with its new month's counts (`_show_month`): one repaint, not two
            if (week := self._views.week) is not None:
                week.cursor = new
        else:
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
        if self.app.services is not None:
            self._show_access()  # the agenda's list may be new
        self._reload()

    def watch_calendar_filter(self) -> None:
        self._reload()

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

    def action_on_call(self) -> None:
        from ccm_tui.screens.on_call import OnCallScreen

        self.app.push_screen(OnCallScreen(self.calendar_filter))

    def action_waiting(self) -> None:
        from ccm_tui.screens.waiting_steps import WaitingStepsScreen

        self.app.push_screen(WaitingStepsScreen(self.calendar_filter))

    def action_reminders(self) -> None:
        from ccm_tui.screens.reminders import RemindersScreen

        self.app.push_screen(RemindersScreen(self.calendar_filter))
