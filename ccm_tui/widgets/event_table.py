"""EventTable: calendar events as rows, with both clocks.

Each row shows the start in the site's time and in the CCM's (both with
their zone), what happens (service and step), customer and site, status,
the late-change cut-off (LATE, or the time left while it is near; for an
activated event, where trouble goes now: "support" before 12 hours of
traffic, "repair" after) and the markers of the month grid. Columns fit
the width: below 110 columns the customer, site and what happens share one
column. With `show_day` (the agenda) a day column leads, filled on each
day's first row.

A `selectable` list (the calendar's) picks rows with space (see
`widgets.selection`); `c` (confirm) and `M` (move: reschedule) then post `Act`
with the picked events, or with the cursor's event when none is picked.

It draws only the lines on screen (widgets/row_table.py), each row's cells
made when it is first drawn: `n` and `p` on the calendar replace a day of up
to a hundred events, and a DataTable built and rendered every one of them
with Rich on each switch (most of the switch).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var

from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.schedule import CalendarEvent
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.breakpoints import WIDE
from ccm_tui.widgets.calendar_labels import day_label
from ccm_tui.widgets.event_cells import BAD, CANCELLED, DIM, PICK, cutoff, flags, short_flags, short_what
from ccm_tui.widgets.line_cells import Cell
from ccm_tui.widgets.row_table import PADDING, RowTable
from ccm_tui.widgets.selection import MARK, RowSelection, SelectionChanged, clear_binding, select_binding


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    width: int  # 0: takes what is left


# A site time with no date in front: "10:00 AM NZDT"; a date makes the column wider.
SITE_TIME_WIDTH = 12
TEXTS_KEPT = 4096  # formatted times remembered (babel is slow per call; a day's starts repeat)

_MARK_COLUMN = _Column("picked", "", 1)


class EventTable(RowTable):
    HELP_NAME: ClassVar[str] = "event list"  # the `?` help's "Where" for its keys

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", show=False, id="events.open"),
        # out of the footer, which the calendar's own keys fill at 80 columns; `?` and the palette list them
        select_binding(show=False),
        clear_binding(show=False),
        Binding(
            "c",
            "act('confirm')",
            "Confirm",
            show=False,
            id="events.confirm",
            tooltip="Scheduling team confirmed: the picked events, or this one",
        ),
        # M (move), not s: the calendar's s lists the steps still to schedule
        Binding(
            "M",
            "act('reschedule')",
            "Reschedule",
            show=False,
            id="events.reschedule",
            tooltip="Move the picked events, or this one, to a new day (the fee is shown first)",
        ),
    ]

    ROOM_FROM = ("event", "customer")  # the mark column's room comes from what ends in "…", never a time

    writable: var[bool] = var(True)
    """False in a read-only session: confirm and reschedule are hidden."""

    SelectionChanged = SelectionChanged  # posted when picks come or go (the screen counts them)

    @dataclass
    class Picked(Message):
        event: CalendarEvent

    @dataclass
    class Highlighted(Message):
        event: CalendarEvent | None

    @dataclass
    class Act(Message):
        """Confirm or reschedule these events (the picked ones, in list order, or the cursor's)."""

        action: str  # confirm | reschedule
        events: list[CalendarEvent]
        picked: bool  # False: the cursor's event, nothing was picked
        table: EventTable

        @property
        def control(self) -> EventTable:
            return self.table

    def __init__(
        self, formatter: Formatter, zone: str, *, show_day: bool = False, selectable: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.formatter = formatter
        self.zone = zone
        self.show_day = show_day
        self.selectable = selectable
        """False where the list has no action for several events (its selection keys are hidden)."""
        self.selection = RowSelection()
        self._events: list[CalendarEvent] = []
        self._empty = ""
        self._layout_width = -1
        self._layout: list[tuple[_Column, int]] = []
        self._headers: list[tuple[Cell, int]] = []
        self._firsts: list[bool] = []  # each row: the first of its day (the day column shows it)
        self._cells: dict[int, list[Cell]] = {}  # by row, made when the row is first drawn
        self._texts: dict[tuple[object, ...], str] = {}

    # -- data in -------------------------------------------------------------
    def show_events(self, events: tuple[CalendarEvent, ...] | list[CalendarEvent], empty: str = "") -> None:
        """Show `events`; the cursor stays on the event it was on if that is still listed, else goes to the top."""
        if list(events) == self._events and empty == self._empty and self._layout_width == self._current_width():
            # Read again and unchanged (back on the calendar, another session's change elsewhere): drawn
            # again, it would be repainted down an SSH link for nothing.
            return
        current = self.current()
        self._events = list(events)
        self._empty = empty
        ids = [e.step.id for e in self._events]
        self._rebuild(ids.index(current.step.id) if current is not None and current.step.id in ids else 0)
        if self.selection.keep(str(i) for i in ids):
            self._rebuild(self.cursor_row)  # picks gone with their rows (the mark column may go too)
            self._changed()

    def current(self) -> CalendarEvent | None:
        if 0 <= self.cursor_row < len(self._events):
            return self._events[self.cursor_row]
        return None

    def select_step(self, step_id: int) -> None:
        for i, event in enumerate(self._events):
            if event.step.id == step_id:
                self.move_cursor(row=i)
                return

    @property
    def events(self) -> list[CalendarEvent]:
        return self._events

    @property
    def column_keys(self) -> tuple[str, ...]:
        """The columns shown, left to right ("picked" first while something is picked)."""
        return tuple(column.key for column, _ in self._layout)

    @property
    def column_widths(self) -> tuple[int, ...]:
        return tuple(width for _, width in self._layout)

    def get_row_at(self, row: int) -> list[str]:
        """The row's cells in the columns shown, in full (before any "…")."""
        return [cell.text for cell in self.row_cells(row)]

    # -- picks ---------------------------------------------------------------
    def picked_keys(self) -> list[str]:
        """The picked events' step ids, in list order."""
        return [str(e.step.id) for e in self._events if str(e.step.id) in self.selection]

    def picked_events(self) -> list[CalendarEvent]:
        return [e for e in self._events if str(e.step.id) in self.selection]

    def keep_only(self, keys: Iterable[str]) -> None:
        """Leave only `keys` picked (the events an action refused, say)."""
        wanted = set(keys)
        if self.selection.keep(k for k in self.selection if k in wanted):
            self._rebuild(self.cursor_row)

    def action_toggle_selection(self) -> None:
        event = self.current()
        if event is not None:
            had = bool(self.selection)
            self.selection.toggle(str(event.step.id))
            if had != bool(self.selection):
                self._rebuild(self.cursor_row)  # the mark column comes or goes
            else:
                self._cells.pop(self.cursor_row, None)
                self.forget_lines()
            self._changed()
        if self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def action_clear_selection(self) -> None:
        if self.selection.clear():
            self._rebuild(self.cursor_row)
            self._changed()

    def _changed(self) -> None:
        self.refresh_bindings()
        self.post_message(SelectionChanged(self, len(self.selection)))

    # -- layout ----------------------------------------------------------------
    def _current_width(self) -> int:
        return self.size.width or self.app.size.width

    def _columns(self, width: int) -> list[tuple[_Column, int]]:
        wide = width >= WIDE
        chosen = []
        if self.show_day:
            chosen.append(_Column("day", "Day", 7))
        site_width = max([SITE_TIME_WIDTH, *(cell_len(self._site_time(e)) for e in self._events)])
        your_width = max([SITE_TIME_WIDTH, *(cell_len(self._time(e.start, self.zone)) for e in self._events)])
        chosen += [_Column("site_time", "Site time", site_width), _Column("your_time", "Your time", your_width)]
        if wide:
            chosen += [
                _Column("customer", "Customer", 0),
                _Column("site", "Site", 16),
                _Column("what", "What", 9),
                _Column("status", "Status", 10),
                _Column("cutoff", "Cut-off", 8),
                _Column("flags", "Flags", 10),
            ]
        else:
            chosen += [
                _Column("event", "Event", 0),
                _Column("status", "Status", 9),
                _Column("short_flags", "Flags", 9),
            ]
        padding = 2 * PADDING * len(chosen) + 2
        flexible = max(12, width - sum(c.width for c in chosen) - padding)
        layout = [(c, c.width or flexible) for c in chosen]
        if self.selection:
            # The mark column's room comes from the first of ROOM_FROM shown: the list does not scroll sideways.
            room = 1 + 2 * PADDING
            keys = [c.key for c, _ in layout]
            at = next((keys.index(k) for k in self.ROOM_FROM if k in keys), None)
            if at is not None:
                layout[at] = (layout[at][0], max(1, layout[at][1] - room))
            layout.insert(0, (_MARK_COLUMN, 1))
        return layout

    def _rebuild(self, cursor: int = 0) -> None:
        self._layout_width = self._current_width()
        self._cells.clear()
        if not self._events:
            # one column across the table, so the sentence is not cut to a column's width
            self._layout = [(_Column("empty", "", 0), max(10, self._layout_width - 4))]
            self._firsts = []
        else:
            self._layout = self._columns(self._layout_width)
            self._firsts = self._first_of_day() if self.show_day else []
        self._headers = [(Cell.plain(column.label), width) for column, width in self._layout]
        rows = len(self._events) or (1 if self._empty else 0)
        self.rows_changed(rows, cursor=min(cursor, max(0, len(self._events) - 1)))
        if self._events:
            self.call_after_refresh(self.scroll_to_cursor)

    def _first_of_day(self) -> list[bool]:
        firsts, previous = [], None
        for event in self._events:
            day = self.formatter.local(event.start, self.zone).date()
            firsts.append(day != previous)
            previous = day
        return firsts

    def on_resize(self) -> None:
        super().on_resize()
        if self._current_width() != self._layout_width:
            self._rebuild(self.cursor_row)

    # -- cells ----------------------------------------------------------------
    def columns(self) -> list[tuple[Cell, int]]:
        return self._headers

    def row_cells(self, row: int) -> list[Cell]:
        cells = self._cells.get(row)
        if cells is None:
            if not self._events:
                cells = [Cell.plain(self._empty, DIM)]
            else:
                cells = [self._cell(column.key, row) for column, _ in self._layout]
            self._cells[row] = cells
        return cells

    def _cell(self, key: str, row: int) -> Cell:
        event = self._events[row]
        step, site = event.step, event.site
        if key == "picked":
            return Cell.plain(MARK if str(step.id) in self.selection else " ", PICK)
        if key == "day":
            return Cell.plain(
                day_label(self.formatter, self.formatter.local(event.start, self.zone).date()) if self._firsts[row] else ""
            )
        if key == "site_time":
            return Cell.plain(self._site_time(event))
        if key == "your_time":
            return Cell.plain(self._time(event.start, self.zone))
        if key == "customer":
            return Cell.plain(event.customer_name)
        if key == "site":
            return Cell.plain(f"{site.name}, {site.city}")
        if key == "what":
            return Cell.plain(short_what(event))
        if key == "event":
            return Cell.plain(f"{short_what(event)}: {event.customer_name} · {site.name}")
        if key == "status":
            style = BAD if step.status in (StepStatus.NOT_READY, StepStatus.NO_SHOW) else None
            return Cell.plain(step.status.label_for(step.kind), CANCELLED if step.status is StepStatus.CANCELLED else style)
        if key == "cutoff":
            return Cell(cutoff(event))
        if key == "flags":
            return Cell(flags(event))
        return Cell(short_flags(event))

    def _time(self, start: datetime, zone: str) -> str:
        key = (start, zone)
        if (text := self._texts.get(key)) is None:
            if len(self._texts) >= TEXTS_KEPT:  # a bound: a long session's days never grow it further
                self._texts.clear()
            text = self._texts[key] = self.formatter.time_in(start, zone)
        return text

    def _site_time(self, event: CalendarEvent) -> str:
        """The site's time, with the site's day in front when it is not your day ("Sat 12 9:00 AM NZDT").

        Rows (and the day column) go by your day; an event in Auckland on Saturday morning is still
        on Friday in New York, and the site's own date must not be read as Friday.
        """
        fmt, zone = self.formatter, event.site.timezone
        time = self._time(event.start, zone)
        site_day = fmt.local(event.start, zone).date()
        if site_day == fmt.local(event.start, self.zone).date():
            return time
        return f"{day_label(fmt, site_day)} {time}"

    # -- keys and messages up --------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("act", "toggle_selection"):  # events are picked to be confirmed or moved
            return self.selectable and self.writable
        if action == "clear_selection":
            return bool(self.selection)  # no selection: Esc does what it does on the screen
        return True

    def watch_writable(self) -> None:
        self.refresh_bindings()

    def action_act(self, action: str) -> None:
        picked = self.picked_events()
        current = self.current()
        if picked:
            self.post_message(self.Act(action, picked, True, self))
        elif current is not None:
            self.post_message(self.Act(action, [current], False, self))

    def _picked(self, row: int) -> None:
        event = self.current()
        if event is not None:
            self.post_message(self.Picked(event))

    def _highlighted(self, row: int) -> None:
        self.post_message(self.Highlighted(self.current()))
