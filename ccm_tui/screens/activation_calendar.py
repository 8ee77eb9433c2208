"""Key 2: the activation calendar.

A month grid (or a week, or an agenda list) over a list of the selected
day's events. The screen owns the state (view, day under the cursor,
filter) and asks the services in thread workers for the month's per-day
counts, the week's days, the agenda or the day's events; answers that no
longer match the state (the CCM moved on) are dropped.

Days are the CCM's own (settings.time_zone); each event shows its start in
the site's time and in the CCM's, both with their zone.

In the event lists (the day's and the agenda) space picks events; `c`
confirms and `M` reschedules the picked ones (or the cursor's) after asking
once, and the status line counts them ("3 selected"). Esc clears the picks
before it clears the filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Static

from ccm_tui.domain.model import StepKind
from ccm_tui.domain.months import add_months, month_first
from ccm_tui.domain.schedule import CalendarFilter, DayEvents, DaySummary, MonthSummary
from ccm_tui.domain.status import Action, IllegalMove, next_status
from ccm_tui.domain.views import ME, SavedView, ViewScreen, following_view, views_for
from ccm_tui.screens.base import BUSY_NOTE, ServicesMixin
from ccm_tui.screens.bulk import Outcome, Row, apply_each, ask_body, event_label, report, sentence
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.following import FollowsBook
from ccm_tui.text import calendar_text
from ccm_tui.widgets.calendar_labels import month_title, week_start, week_title
from ccm_tui.widgets.calendar_views import VIEWS, CalendarViews, View
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.month_grid import TALL_HEIGHT, TALL_WIDTH, MonthGrid
from ccm_tui.widgets.selection import SelectableTable, with_picked
from ccm_tui.widgets.week_view import EVENTS_TALL, WeekView

if TYPE_CHECKING:
    from ccm_tui.domain.schedule import CalendarEvent
    from ccm_tui.screens.bulk_reschedule import Quoted


class ActivationCalendarScreen(FollowsBook, ServicesMixin, Screen[None]):
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
        Binding("f,slash", "filter", "Filter", tooltip="Region, status, CCM, after hours only", id="calendar.filter"),
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
    DIALOG_ACTIONS = frozenset({"filter"})

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
        whole: int | None = None  # with a filter on: the day's events without it ("3 of 7")

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

    def __init__(self) -> None:
        super().__init__()
        self._months: dict[tuple[date, CalendarFilter], MonthSummary] = {}
        self._select_step: int | None = None
        self._day_total = 0
        self._agenda_total = 0
        self._day_whole: int | None = None
        self._agenda_whole: int | None = None
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
        if self.app.services is not None:
            self._show_access()  # the agenda's list may be new
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
        calendar = self.services.calendar
        whole = None if flt.is_default else calendar.day(day, CalendarFilter(), limit=0).total  # a count: no rows read
        self.post_message(self.DayLoaded(day, flt, calendar.day(day, flt), whole))

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
        calendar = self.services.calendar
        whole = None if flt.is_default else calendar.agenda(first, CalendarFilter(), limit=0).total
        self.post_message(self.AgendaLoaded(first, flt, calendar.agenda(first, flt), whole))

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
        self._day_whole = message.whole
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
        self._agenda_whole = message.whole
        self._show_bar()

    def _show_bar(self) -> None:
        fmt = self.app_formatter
        zone = self.app_settings.time_zone
        if self.view == "month":
            title = month_title(fmt, month_first(self.cursor))
        elif self.view == "week":
            title = f"Week {week_title(fmt, week_start(self.cursor, fmt))}"
        else:
            whole = None if self.calendar_filter.is_default else self._agenda_whole
            title = calendar_text.agenda_title(self.cursor, self._agenda_total, fmt, whole)
        zone_name = fmt.local(self.services.now(), zone).strftime("%Z")
        bar = calendar_text.bar(title, self.calendar_filter, zone_name)
        if self._saved_view is not None and self._saved_view[1] == self.calendar_filter:
            bar = f"view: {self._saved_view[0].name} · {bar}"
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
        picked = [t for t in self.query(EventTable) if t.selection]
        if picked:  # the picks go first, wherever the focus is
            for table in picked:
                table.action_clear_selection()
            return
        if not self.calendar_filter.is_default:
            self.calendar_filter = CalendarFilter()
            self.notify("Filter cleared.")
        elif self.focused is not None and self.focused.id == "cal-day":
            self._views.focus_current()

    # -- several events at once ---------------------------------------------------------
    def palette_commands(self) -> Iterable[SystemCommand]:
        """The event list's actions, for the command palette (on the list in view)."""
        table = self._event_list()
        if table is None:
            return
        yield SystemCommand(
            "Calendar: select event",
            "Pick the highlighted event; c and M then act on every pick (space)",
            table.action_toggle_selection,
        )
        if self.app.services is not None and self.services.access.allows():
            yield SystemCommand(
                "Calendar: confirm events",
                "Scheduling team confirmed: the picked events, or this one (c)",
                partial(table.action_act, "confirm"),
            )
            yield SystemCommand(
                "Calendar: reschedule events",
                "The picked events, or this one, with the fees first (M)",
                partial(table.action_act, "reschedule"),
            )

    def _event_list(self) -> EventTable | None:
        """The focused event list, else the one in view."""
        if isinstance(self.focused, EventTable):
            return self.focused
        return self._views.agenda if self.view == "agenda" else self.query_one("#cal-day", EventTable)

    @on(SelectableTable.SelectionChanged)
    def _picks_changed(self) -> None:
        self._show_bar()
        self._show_day_title()

    def _show_access(self) -> None:
        writable = self.services.access.allows()
        for table in self.query(EventTable):
            table.writable = writable

    @on(EventTable.Act)
    def _act(self, message: EventTable.Act) -> None:
        if not self.services.access.allows():
            return
        if message.action == "confirm":
            self._ask_confirm(message.table, message.events)
        elif message.action == "reschedule":
            self._ask_reschedule(message.table, message.events)

    def _split(self, events: list[CalendarEvent], action: Action) -> tuple[list[CalendarEvent], list[Outcome]]:
        """The events the status machine lets `action` move, and the refused with why (the store asks again)."""
        fmt = self.app_formatter
        ready: list[CalendarEvent] = []
        refused: list[Outcome] = []
        for event in events:
            try:
                next_status(event.step.kind, event.step.status, action)
            except IllegalMove as illegal:
                refused.append(Outcome(str(event.step.id), event_label(event, fmt), sentence(str(illegal))))
            else:
                ready.append(event)
        return ready, refused

    def _ask_confirm(self, table: EventTable, events: list[CalendarEvent]) -> None:
        ready, refused = self._split(events, Action.CONFIRM)
        if not ready:
            self._acted(table, "Confirmed {n}", refused)
            return
        labels = [event_label(e, self.app_formatter) for e in ready]
        count = f"{len(ready)} event{'s' if len(ready) != 1 else ''}"
        body = ask_body("Scheduling team confirmed, recorded now", labels, refused)

        def answered(yes: bool | None) -> None:
            if yes:
                self._confirm(table, ready, refused)

        from ccm_tui.screens.dialogs.confirm import ConfirmDialog

        self.app.push_screen(ConfirmDialog(f"Confirm {count}?", body, "Confirm"), answered)

    @work(thread=True, group="cal-bulk")
    def _confirm(self, table: EventTable, events: list[CalendarEvent], refused: list[Outcome]) -> None:
        calendar, fmt = self.services.calendar, self.app_formatter
        rows = [
            Row(str(e.step.id), event_label(e, fmt), partial(calendar.move, e.step.id, e.step.version, Action.CONFIRM))
            for e in events
        ]
        outcomes = apply_each(rows, lambda: self.app.call_from_thread(self.notify, BUSY_NOTE, severity="warning"))
        self.app.call_from_thread(self._acted, table, "Confirmed {n}", refused + outcomes)

    def _acted(self, table: EventTable, done: str, outcomes: list[Outcome]) -> None:
        title, message, any_refused = report(done, outcomes)
        if any_refused:
            self.notify(message, title=title, severity="warning", timeout=12, markup=False)
        else:
            self.notify(message, title=title, markup=False)
        table.keep_only(o.key for o in outcomes if o.refused)
        self.reload_book()

    def _ask_reschedule(self, table: EventTable, events: list[CalendarEvent]) -> None:
        # rows of one event (its sites) are one event: it moves with every site in it
        by_event: dict[tuple[str, StepKind, datetime], CalendarEvent] = {}
        for event in events:
            by_event.setdefault((event.order_number, event.step.kind, event.start), event)
        ready, refused = self._split(list(by_event.values()), Action.RESCHEDULE)
        if not ready:
            self._acted(table, "Rescheduled {n}", refused)
        elif len(ready) == 1 and not refused:
            self._reschedule_one(table, ready[0])
        else:
            self._reschedule_many(table, ready, refused)

    @work(thread=True, group="cal-bulk")
    def _reschedule_one(self, table: EventTable, event: CalendarEvent) -> None:
        """One event: the fee guard the activation's own screen shows."""
        from ccm_tui.screens.fee_guard_dialog import FeeGuardDialog

        calendar = self.services.calendar
        detail = calendar.detail(event.activation.id)
        step = detail.activation.step(event.step.kind)
        if step is None:
            return
        try:
            guard, versions = calendar.quote(step.id, Action.RESCHEDULE)
        except ValueError as error:  # no window any more, or a broken fee file naming its line
            self.app.call_from_thread(self.notify, sentence(str(error)), title="Not rescheduled", severity="error", markup=False)
            return

        def saved(result: object) -> None:
            if result is not None:
                self.notify("Rescheduled; it is in the history.")
                table.keep_only(())
                self.reload_book()

        dialog = FeeGuardDialog(self.services, detail, step, Action.RESCHEDULE, guard, versions)
        self.app.call_from_thread(push_if_active, self, dialog, saved)

    @work(thread=True, group="cal-bulk")
    def _reschedule_many(self, table: EventTable, events: list[CalendarEvent], refused: list[Outcome]) -> None:
        """Several events: each one's fee quoted first, then one form for all."""
        from ccm_tui.screens.bulk_reschedule import BulkRescheduleDialog, Quoted

        calendar, fmt = self.services.calendar, self.app_formatter
        quotes: list[Quoted] = []
        for event in events:
            try:
                guard, versions = calendar.quote(event.step.id, Action.RESCHEDULE)
            except ValueError as error:
                refused = [*refused, Outcome(str(event.step.id), event_label(event, fmt), sentence(str(error)))]
            else:
                quotes.append(Quoted(event, guard, versions))
        if not quotes:
            self.app.call_from_thread(self._acted, table, "Rescheduled {n}", refused)
            return

        def saved(outcomes: list[Outcome] | None) -> None:
            if outcomes is not None:
                self._acted(table, "Rescheduled {n}", outcomes)

        self.app.call_from_thread(push_if_active, self, BulkRescheduleDialog(self.services, quotes, refused), saved)

    def action_on_call(self) -> None:
        from ccm_tui.screens.on_call import OnCallScreen

        self.app.push_screen(OnCallScreen(self.calendar_filter))

    def action_waiting(self) -> None:
        from ccm_tui.screens.waiting_steps import WaitingStepsScreen

        self.app.push_screen(WaitingStepsScreen(self.calendar_filter))

    def action_reminders(self) -> None:
        from ccm_tui.screens.reminders import RemindersScreen

        self.app.push_screen(RemindersScreen(self.calendar_filter))

    # -- saved views (config.toml [[views]], domain/views.py) ------------------------
    _saved_view: tuple[SavedView, CalendarFilter] | None = None  # the view chosen and the filter it set

    @property
    def views(self) -> tuple[SavedView, ...]:
        return views_for(self.app_settings.views, ViewScreen.CALENDAR)

    def action_next_view(self) -> None:
        if not self.views:
            self.notify('No saved views for the calendar: add [[views]] with screen = "calendar" to config.toml.', markup=False)
            return
        held = self._saved_view
        current = held[0] if held is not None and held[1] == self.calendar_filter else None
        view = following_view(self.views, current)
        self.show_view(view)
        self.notify(f"View: {view.name}" if view is not None else "No view: every event.", markup=False)

    def show_view(self, view: SavedView | None) -> None:
        """The view's filter, layout and dates (None: no filter, the layout as it is)."""
        self.when_services(lambda: self._find_view_ccm(view))

    @work(thread=True, exclusive=True, group="cal-view")
    def _find_view_ccm(self, view: SavedView | None) -> None:
        # "me": the name the session's customers are under (read in a worker: a scan of the CCM index)
        ccm = None
        if view is not None and view.ccm:
            if view.ccm.casefold() == ME:
                mine = self.services.book.my_customers()
                ccm = next(iter(mine.spellings), mine.who)
            else:
                ccm = view.ccm
        self.app.call_from_thread(self._show_view, view, ccm)

    def _show_view(self, view: SavedView | None, ccm: str | None) -> None:
        if view is None:
            self._saved_view = None
            self.calendar_filter = CalendarFilter()
            self._show_bar()
            return
        flt = CalendarFilter(region=view.region, status=view.status, ccm=ccm, after_hours_only=view.after_hours)
        self._saved_view = (view, flt)
        if view.layout:
            self.view = cast("View", view.layout)
        if view.dates is not None:
            self.cursor = view.dates.day(self.services.today())
        self.calendar_filter = flt
        self._show_bar()
