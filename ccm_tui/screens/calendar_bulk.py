"""The calendar's actions on several events at once (key 2's day list and agenda).

Space picks events; `c` confirms and `M` reschedules the picked ones (or
the highlighted one) after asking once, and the status line counts them
("3 selected"). The status machine's refusals are listed before anything is
asked; what the store refuses is reported per row with why, and stays
picked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import SystemCommand

from ccm_tui.domain.model import StepKind
from ccm_tui.domain.status import Action, IllegalMove, next_status
from ccm_tui.screens.base import BUSY_NOTE
from ccm_tui.screens.bulk import Outcome, Row, apply_each, ask_body, event_label, report, sentence
from ccm_tui.screens.calendar_loading import CalendarState
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.selection import SelectableTable
from ccm_tui.widgets.workers import work

if TYPE_CHECKING:
    from ccm_tui.domain.schedule import CalendarEvent
    from ccm_tui.screens.bulk_reschedule import Quoted


class CalendarBulk(CalendarState):
    """Confirm or reschedule the picked events (or the highlighted one) once."""

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
