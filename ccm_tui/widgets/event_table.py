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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.widgets import DataTable

from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.routing import TroubleRoute
from ccm_tui.domain.schedule import CalendarEvent, CcdState
from ccm_tui.text.event_text import (
    AT_RISK_MARK,
    NOT_READY_MARK,
    ON_CALL_MARK,
    PAST_CCD_MARK,
    ccd_short,
    compact_duration,
    hours_short,
)
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.breakpoints import WIDE
from ccm_tui.widgets.calendar_labels import day_label
from ccm_tui.widgets.selection import SelectableTable, clear_binding, select_binding


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    width: int  # 0: takes what is left


# A site time with no date in front: "10:00 AM NZDT"; a date makes the column wider.
SITE_TIME_WIDTH = 12


class EventTable(SelectableTable[Text | str]):
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
        super().__init__(cursor_type="row", zebra_stripes=True, id=id, selectable=selectable)
        self.formatter = formatter
        self.zone = zone
        self.show_day = show_day
        self._events: list[CalendarEvent] = []
        self._layout_width = -1
        self._empty = ""

    # -- data in -------------------------------------------------------------
    def show_events(self, events: tuple[CalendarEvent, ...] | list[CalendarEvent], empty: str = "") -> None:
        """Show `events`; the cursor stays on the event it was on if that is still listed, else goes to the top."""
        if list(events) == self._events and empty == self._empty and self._layout_width == self._width():
            # Read again and unchanged (back on the calendar, another session's change elsewhere): every row
            # rebuilt would be rendered with Rich again, and repainted down an SSH link, for nothing.
            return
        current = self.current()
        self._events = list(events)
        self._empty = empty
        ids = [e.step.id for e in self._events]
        self._rebuild(ids.index(current.step.id) if current is not None and current.step.id in ids else 0)

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

    def picked_events(self) -> list[CalendarEvent]:
        keys = set(self.picked_keys())
        return [e for e in self._events if str(e.step.id) in keys]

    # -- layout ----------------------------------------------------------------
    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _columns(self, width: int) -> list[tuple[_Column, int]]:
        wide = width >= WIDE
        chosen = []
        if self.show_day:
            chosen.append(_Column("day", "Day", 7))
        times = [self._site_time(event) for event in self._events]
        site_width = max([SITE_TIME_WIDTH, *(cell_len(t) for t in times)])
        your_width = max([SITE_TIME_WIDTH, *(cell_len(self.formatter.time_in(e.start, self.zone)) for e in self._events)])
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
        padding = 2 * self.cell_padding * len(chosen) + 2
        flexible = max(12, width - sum(c.width for c in chosen) - padding)
        return [(c, c.width or flexible) for c in chosen]

    def _rebuild(self, cursor: int = 0) -> None:
        self.clear(columns=True)
        self._layout_width = self._width()
        if not self._events:
            # one column across the table, so the sentence is not cut to a column's width
            self.add_column("", width=max(10, self._layout_width - 4), key="empty")
            if self._empty:
                self.add_row(Text(self._empty, style="dim"))
            self.selection_shown()
            return
        layout = self._columns(self._layout_width)
        for column, width in layout:
            self.add_column(column.label, width=width, key=column.key)
        previous: date | None = None
        for event in self._events:
            day = self.formatter.local(event.start, self.zone).date()
            self.add_row(*self._cells(event, layout, day if day != previous else None), key=str(event.step.id))
            previous = day
        self.move_cursor(row=min(cursor, len(self._events) - 1))
        self.selection_shown()

    def on_resize(self) -> None:
        if self._width() != self._layout_width:
            self._rebuild(self.cursor_row)

    def _cells(self, event: CalendarEvent, layout: list[tuple[_Column, int]], day: date | None) -> list[Text | str]:
        fmt = self.formatter
        step, site = event.step, event.site
        status = Text(step.status.label_for(step.kind), no_wrap=True, overflow="ellipsis")
        if step.status in (StepStatus.NOT_READY, StepStatus.NO_SHOW):
            status.stylize("bold red")
        elif step.status is StepStatus.CANCELLED:
            status.stylize("dim strike")
        values: dict[str, Text | str] = {
            "day": day_label(fmt, day) if day is not None else "",
            "site_time": self._site_time(event),
            "your_time": fmt.time_in(event.start, self.zone),
            "customer": Text(event.customer_name, no_wrap=True, overflow="ellipsis"),
            "site": Text(f"{site.name}, {site.city}", no_wrap=True, overflow="ellipsis"),
            "what": short_what(event),
            "event": Text(f"{short_what(event)}: {event.customer_name} · {site.name}", no_wrap=True, overflow="ellipsis"),
            "status": status,
            "cutoff": self._cutoff(event),
            "flags": self._flags(event),
            "short_flags": self._short_flags(event),
        }
        return [values[column.key] for column, _ in layout]

    def _site_time(self, event: CalendarEvent) -> str:
        """The site's time, with the site's day in front when it is not your day ("Sat 12 9:00 AM NZDT").

        Rows (and the day column) go by your day; an event in Auckland on Saturday morning is still
        on Friday in New York, and the site's own date must not be read as Friday.
        """
        fmt, zone = self.formatter, event.site.timezone
        time = fmt.time_in(event.start, zone)
        site_day = fmt.local(event.start, zone).date()
        if site_day == fmt.local(event.start, self.zone).date():
            return time
        return f"{day_label(fmt, site_day)} {time}"

    @staticmethod
    def _cutoff(event: CalendarEvent) -> Text:
        """LATE, the time left to the cut-off, or (activated) where trouble goes now."""
        facts = event.facts
        if facts.late:
            return Text("LATE", style="bold yellow")
        if facts.countdown is not None:
            return Text(compact_duration(facts.countdown), style="yellow")
        if facts.route is not None:
            return Text("repair" if facts.route is TroubleRoute.REPAIR_CENTER else "support", style="dim")
        return Text("")

    @staticmethod
    def _flags(event: CalendarEvent) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        ccd = ccd_short(event.ccd_state)
        if ccd:
            text.append(ccd + " ", style="bold red" if event.ccd_state is CcdState.PAST else "yellow")
        text.append(hours_short(event.facts.hours_flags), style="cyan")
        if event.facts.not_ready_risk:
            text.append(" NR", style="bold magenta")
        return text

    @classmethod
    def _short_flags(cls, event: CalendarEvent) -> Text:
        """The cut-off and the grid's letters in one narrow column: 'LATE A!', '17h05m ?'."""
        text = cls._cutoff(event)
        if event.facts.countdown is not None and not event.facts.late:
            text = Text(compact_duration(event.facts.countdown).replace(" ", ""), style="yellow")
        marks = cls._marks(event)
        if marks.plain:
            if text.plain:
                text.append(" ")
            text.append_text(marks)
        return text

    @staticmethod
    def _marks(event: CalendarEvent) -> Text:
        text = Text(no_wrap=True)
        if event.ccd_state is CcdState.PAST:
            text.append(PAST_CCD_MARK, style="bold red")
        elif event.ccd_state is CcdState.AT_RISK:
            text.append(AT_RISK_MARK, style="yellow")
        if event.facts.on_call:
            text.append(ON_CALL_MARK, style="cyan")
        if event.facts.not_ready_risk:
            text.append(NOT_READY_MARK, style="bold magenta")
        return text

    # -- keys and messages up --------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("act", "toggle_selection"):  # events are picked to be confirmed or moved
            return self.selectable and self.writable
        return super().check_action(action, parameters)

    def watch_writable(self) -> None:
        self.refresh_bindings()

    def action_act(self, action: str) -> None:
        picked = self.picked_events()
        current = self.current()
        if picked:
            self.post_message(self.Act(action, picked, True, self))
        elif current is not None:
            self.post_message(self.Act(action, [current], False, self))

    @on(DataTable.RowSelected)
    def _picked(self, message: DataTable.RowSelected) -> None:
        message.stop()
        event = self.current()
        if event is not None:
            self.post_message(self.Picked(event))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, message: DataTable.RowHighlighted) -> None:
        message.stop()
        self.post_message(self.Highlighted(self.current()))


_SHORT_SERVICE = {"INTERNET": "INET", "ETHERNET": "ETH"}


def short_what(event: CalendarEvent) -> str:
    """'MRS inst', 'INET act': the service and step in a few letters, for narrow rows."""
    service = event.activation.service.value
    kind = "inst" if event.step.kind.value == "installation" else "act"
    return f"{_SHORT_SERVICE.get(service, service)} {kind}"
