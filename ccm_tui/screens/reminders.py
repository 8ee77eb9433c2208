"""Reminders due today: confirmed events five business days and one
business day ahead (each in its site's calendar) whose reminder is not yet
recorded. `m` records one as sent (to the contact picked), and it leaves
the list; Enter opens the activation.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ccm_tui.domain.model import ContactRole
from ccm_tui.domain.schedule import CalendarFilter, ReminderLine
from ccm_tui.screens.activation_dialogs import reminder_dialog
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.find_key import FIND_BINDING, FindGoesBack
from ccm_tui.screens.following import FollowsBook
from ccm_tui.widgets.breakpoints import is_wide
from ccm_tui.widgets.calendar_labels import day_label
from ccm_tui.widgets.event_table import short_what
from ccm_tui.widgets.table_columns import set_columns


class RemindersScreen(FindGoesBack, FollowsBook, ServicesMixin, Screen[None]):
    BINDINGS = [
        FIND_BINDING,
        Binding("escape", "app.pop_screen", "Back"),
        Binding("m", "mark", "Mark sent"),
        Binding("enter", "open", "Open"),
    ]
    WRITE_ACTIONS = frozenset({"mark"})

    @dataclass
    class Loaded(Message):
        lines: list[ReminderLine]
        total: int

    def __init__(self, flt: CalendarFilter | None = None) -> None:
        super().__init__()
        self.calendar_filter = flt or CalendarFilter()
        self.lines: list[ReminderLine] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="reminders-title")
        yield DataTable(id="reminders-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.when_services(self._load)

    def on_screen_resume(self) -> None:
        if self.lines:
            self._load()

    def reload_book(self) -> None:
        """Someone else changed the book (a reminder marked sent elsewhere): read them again."""
        self.when_services(self._load)

    def _load(self) -> None:
        self._fetch()

    @work(thread=True, exclusive=True, group="reminders")
    def _fetch(self) -> None:
        lines, total = self.services.calendar.reminders(self.calendar_filter)
        self.post_message(self.Loaded(lines, total))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.lines = message.lines
        fmt = self.app_formatter
        zone = self.app_settings.time_zone
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        wide = is_wide(self.app.size.width)
        columns = [("Due", 10), ("Site time", 24 if wide else 19)]
        columns += [("Your time", 13)] if wide else []
        columns += [("Event", 0), ("Remind", 30 if wide else 16)]
        set_columns(table, columns, self.app.size.width)
        for line in message.lines:
            event, due = line.event, line.due
            site_today = fmt.local(self.services.now(), event.site.timezone).date()
            label = Text(f"{due.kind.business_days}-day")
            if due.overdue(site_today):
                label.append(" late", style="bold yellow")
            designated = next((c for c in event.contacts if ContactRole.DESIGNATED in c.roles), None)
            who = f"{designated.name} {designated.phone}".strip() if designated else "no designated contact"
            if wide:
                site_time = fmt.when_in(event.start, event.site.timezone)
            else:
                local_day = fmt.local(event.start, event.site.timezone).date()
                site_time = f"{day_label(fmt, local_day)} {fmt.time_in(event.start, event.site.timezone)}"
            what = Text(f"{short_what(event)}: {event.customer_name} · {event.site.name}", no_wrap=True, overflow="ellipsis")
            cells: list[object] = [label, site_time]
            if wide:
                cells.append(fmt.time_in(event.start, zone))
            cells += [what, Text(who, no_wrap=True, overflow="ellipsis")]
            table.add_row(*cells)
        if not message.lines:
            table.add_row(Text("No reminders due today.", style="dim"), *[""] * (len(columns) - 1))
        elif cursor:
            table.move_cursor(row=min(cursor, len(message.lines) - 1))
        shown = f"{len(message.lines)} of {message.total}" if message.total > len(message.lines) else str(message.total)
        self.query_one("#reminders-title", Static).update(
            f"Reminders due today: {shown} (5 and 1 business days before, in each site's calendar). m marks one sent."
        )

    def _current(self) -> ReminderLine | None:
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def action_mark(self) -> None:
        line = self._current()
        if line is None:
            return
        event = line.event
        title = f"{event.customer_name}, {event.step.kind.label.lower()}"
        dialog = reminder_dialog(self.services, event.step.id, event.step.version, line.due.kind, event.contacts, title)

        def done(saved: object) -> None:
            if saved is not None:
                self.notify(f"{line.due.kind.label} recorded for {event.customer_name}.", markup=False)
                self._load()

        self.app.push_screen(dialog, done)

    @on(DataTable.RowSelected)
    def _selected(self, message: DataTable.RowSelected) -> None:
        message.stop()
        self.action_open()

    def action_open(self) -> None:
        from ccm_tui.screens.activation_detail import ActivationDetailScreen

        line = self._current()
        if line is not None:
            self.app.push_screen(ActivationDetailScreen(line.event.activation.id, line.event.step.kind))
