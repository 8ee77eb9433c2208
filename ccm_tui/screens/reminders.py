"""Reminders due today: confirmed events five business days and one
business day ahead (each in its site's calendar) whose reminder is not yet
recorded. `m` records one as sent (to the contact picked), and it leaves
the list; Enter opens the activation.

Space picks reminders; `m` then records every picked one as sent to its
event's designated contact, after asking once (one without a designated
contact is left for `m` alone, where the contact is picked). The title
counts the picks; Esc clears them before it goes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ccm_tui.domain.authority import contact_order
from ccm_tui.domain.model import Contact, ContactRole
from ccm_tui.domain.schedule import CalendarFilter, ReminderLine
from ccm_tui.screens.activation_dialogs import reminder_dialog
from ccm_tui.screens.base import BUSY_NOTE, ServicesMixin
from ccm_tui.screens.bulk import NothingToDo, Outcome, Row, apply_each, ask_body, event_label, report
from ccm_tui.screens.find_key import FIND_BINDING, FindGoesBack
from ccm_tui.screens.following import FollowsBook
from ccm_tui.widgets.breakpoints import is_wide
from ccm_tui.widgets.calendar_labels import day_label
from ccm_tui.widgets.event_cells import short_what
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.selection import SelectableTable, with_picked
from ccm_tui.widgets.table_columns import set_columns
from ccm_tui.widgets.workers import work


class RemindersScreen(FindGoesBack, FollowsBook, ServicesMixin, Screen[None]):
    BINDINGS = [
        FIND_BINDING,
        Binding("escape", "back", "Back", id="reminders.back"),
        Binding(
            "m", "mark", "Mark sent", tooltip="Record the reminder sent: the picked ones (space), or this one", id="reminders.mark"
        ),
        Binding("enter", "open", "Open", id="reminders.open"),
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
        self._total = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="reminders-title")
        # the mark column's room comes from the event's words, which end in "…" when cut
        yield SelectableTable(id="reminders-table", zebra_stripes=True, room_from=("Event",))
        yield FittedFooter()

    def on_mount(self) -> None:
        self.query_one(SelectableTable).focus()
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
        table = self.query_one(SelectableTable)
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
            table.add_row(*cells, key=_key(line))
        if not message.lines:
            table.add_row(Text("No reminders due today.", style="dim"), *[""] * (len(columns) - 1))
        elif cursor:
            table.move_cursor(row=min(cursor, len(message.lines) - 1))
        self._total = message.total
        table.selection_shown()  # after the count: it may post the picks' new count
        self._show_title()

    def _show_title(self) -> None:
        count = len(self.lines)
        shown = f"{count} of {self._total}" if self._total > count else str(self._total)
        title = f"Reminders due today: {shown} (5 and 1 business days before, in each site's calendar). m marks sent; space picks several."
        self.query_one("#reminders-title", Static).update(with_picked(title, self.query_one(SelectableTable)))

    def _current(self) -> ReminderLine | None:
        row = self.query_one(SelectableTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def action_back(self) -> None:
        table = self.query_one(SelectableTable)
        if table.selection:  # the picks go first
            table.action_clear_selection()
        else:
            self.app.pop_screen()

    @on(SelectableTable.SelectionChanged)
    def _picks_changed(self) -> None:
        self._show_title()

    def action_mark(self) -> None:
        keys = set(self.query_one(SelectableTable).picked_keys())
        if keys:
            self._ask_mark([line for line in self.lines if _key(line) in keys])
            return
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

    def _ask_mark(self, lines: list[ReminderLine]) -> None:
        """Each picked reminder to its event's designated contact, asked once."""
        fmt = self.app_formatter
        ready: list[tuple[ReminderLine, int, str]] = []
        refused: list[Outcome] = []
        for line in lines:
            label = f"{line.due.kind.label}: {event_label(line.event, fmt)}"
            contact = _designated(line)
            if contact is None:
                why = "No designated contact: mark it on its own (m) to pick who was reminded."
                refused.append(Outcome(_key(line), label, why))
            else:
                ready.append((line, contact.id, f"{label}, to {contact.name}"))
        if not ready:
            self._marked(refused)
            return
        count = f"{len(ready)} reminder{'s' if len(ready) != 1 else ''}"
        body = ask_body("Recorded as sent now, each to its designated contact", [label for _, _, label in ready], refused)

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_many(ready, refused)

        from ccm_tui.screens.dialogs.confirm import ConfirmDialog

        self.app.push_screen(ConfirmDialog(f"Mark {count} sent?", body, "Mark sent"), answered)

    @work(thread=True, group="reminders-write")
    def _mark_many(self, ready: list[tuple[ReminderLine, int, str]], refused: list[Outcome]) -> None:
        calendar = self.services.calendar

        def mark(line: ReminderLine, contact_id: int) -> None:
            step = line.event.step
            if not calendar.mark_reminder(step.id, step.version, line.due.kind, contact_id):
                raise NothingToDo(f"the {line.due.kind.label.lower()} was already recorded")

        rows = [Row(_key(line), label, partial(mark, line, contact_id)) for line, contact_id, label in ready]
        outcomes = apply_each(rows, lambda: self.app.call_from_thread(self.notify, BUSY_NOTE, severity="warning"))
        self.app.call_from_thread(self._marked, refused + outcomes)

    def _marked(self, outcomes: list[Outcome]) -> None:
        title, message, any_refused = report("Marked {n} sent", outcomes)
        if any_refused:
            self.notify(message, title=title, severity="warning", timeout=12, markup=False)
        else:
            self.notify(message, title=title, markup=False)
        self.query_one(SelectableTable).keep_only(o.key for o in outcomes if o.refused)
        self._load()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's actions, for the command palette."""
        table = self.query_one(SelectableTable)
        yield SystemCommand(
            "Reminders: select", "Pick the highlighted reminder; m then marks every pick (space)", table.action_toggle_selection
        )
        if self.may_write("mark"):
            yield SystemCommand("Reminders: mark sent", "The picked reminders, or the highlighted one (m)", self.action_mark)

    @on(DataTable.RowSelected)
    def _selected(self, message: DataTable.RowSelected) -> None:
        message.stop()
        self.action_open()

    def action_open(self) -> None:
        from ccm_tui.screens.activation_detail import ActivationDetailScreen

        line = self._current()
        if line is not None:
            self.app.push_screen(ActivationDetailScreen(line.event.activation.id, line.event.step.kind))


def _key(line: ReminderLine) -> str:
    """A reminder's row key: its step and which reminder (the 5-day and the 1-day are two)."""
    return f"{line.event.step.id}:{line.due.kind.value}"


def _designated(line: ReminderLine) -> Contact | None:
    """The contact the single form would offer first: the designated one, if the event has one."""
    designated = [c for c in line.event.contacts if ContactRole.DESIGNATED in c.roles]
    return min(designated, key=lambda c: contact_order(c, ContactRole.DESIGNATED)) if designated else None
