"""WeekView: seven days as rows, each with its count, markers and first events.

A row reads "Mon 23  14 ev  L3 !1 A2  9:00 AM Harbor Logistics · 1:00 PM
Cedar Health · …" (times in the CCM's zone, named in the screen's bar).
When the screen has room (`tall`), each day also lists its first events on
lines of their own. Up/down (j/k) and left/right (h/l) move a day; the
screen moves a week with n/p.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ccm_tui.domain.schedule import CalendarEvent, DayEvents, DaySummary
from ccm_tui.text.event_text import (
    AT_RISK_MARK,
    LATE_MARK,
    LEGEND,
    ON_CALL_MARK,
    PAST_CCD_MARK,
)
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.calendar_labels import day_label
from ccm_tui.widgets.month_grid import count_text

EVENTS_TALL = 3  # event lines under each day when tall
_MARK_STYLES = {LATE_MARK: "bold yellow", PAST_CCD_MARK: "bold red", AT_RISK_MARK: "yellow", ON_CALL_MARK: "cyan"}


def day_marks(summary: DaySummary | None) -> list[tuple[str, int]]:
    """Marker counts for a day, from the month's summary (the same counts as the grid)."""
    if summary is None:
        return []
    found = [
        (LATE_MARK, summary.late),
        (PAST_CCD_MARK, summary.past_ccd),
        (AT_RISK_MARK, summary.ccd_at_risk),
        (ON_CALL_MARK, summary.on_call),
    ]
    return [(m, n) for m, n in found if n]


class WeekView(Widget, can_focus=True):
    HELP_NAME: ClassVar[str] = "week view"  # the `?` help's "Where" for its keys

    DEFAULT_CSS = """
    WeekView {
        height: auto;
        padding: 0 1;
    }
    WeekView:focus {
        background-tint: $foreground 4%;
    }
    """

    BINDINGS = [
        Binding("up,k,left,h", "move(-1)", "Prev day", show=False, id="week.previous_day"),
        Binding("down,j,right,l", "move(1)", "Next day", show=False, id="week.next_day"),
        Binding("enter", "pick", "Day's events", show=False, id="week.day"),
    ]

    days: reactive[list[DayEvents]] = reactive(list, layout=True, always_update=True)
    summaries: reactive[dict[date, DaySummary]] = reactive(dict, always_update=True)
    first: reactive[date] = reactive(date(2000, 1, 1))
    cursor: reactive[date] = reactive(date(2000, 1, 1))
    today: reactive[date] = reactive(date(2000, 1, 1))
    tall: reactive[bool] = reactive(False, layout=True)

    @dataclass
    class Moved(Message):
        day: date

    @dataclass
    class Picked(Message):
        day: date

    def __init__(self, formatter: Formatter, zone: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.formatter = formatter
        self.zone = zone

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self.tall or not self.days:
            return 8
        return 1 + sum(1 + min(EVENTS_TALL, len(d.events)) for d in self.days)

    def render(self) -> RenderableType:
        width = self.size.width or 80
        out = Text(no_wrap=True, overflow="ellipsis")
        for i in range(7):
            day = self.first + timedelta(days=i)
            found = self.days[i] if i < len(self.days) else None
            if i:
                out.append("\n")
            out.append_text(self._row(day, found, width))
            if self.tall and found is not None:
                for event in found.events[:EVENTS_TALL]:
                    out.append("\n")
                    line = Text("          ")
                    line.append(self._event_words(event))
                    line.truncate(width, overflow="ellipsis")
                    out.append_text(line)
        out.append("\n")
        out.append(LEGEND, style="dim")
        return out

    def _row(self, day: date, found: DayEvents | None, width: int) -> Text:
        row = Text()
        label = f"{day_label(self.formatter, day):<8}"
        style = "bold underline" if day == self.today else ("dim" if day.weekday() >= 5 else "bold")
        row.append(label, style=style)
        total = found.total if found is not None else 0
        row.append(f"{count_text(total):>5} ev " if found is not None else "        ")
        for mark, n in day_marks(self.summaries.get(day)):
            row.append(f"{mark}{n} ", style=_MARK_STYLES[mark])
        if found is not None and not self.tall:
            row.append(" ")
            row.append(" · ".join(self._event_words(e) for e in found.events[:6]))
        row.truncate(width, overflow="ellipsis")
        row.pad_right(width - row.cell_len)
        if day == self.cursor:
            row.stylize("reverse")
        return row

    def _event_words(self, event: CalendarEvent) -> str:
        return f"{self.formatter.time_in(event.start, self.zone).rsplit(' ', 1)[0]} {event.customer_name}"

    def action_move(self, days: int) -> None:
        # moved here at once: keys typed faster than the screen answers add up
        self.cursor = self.cursor + timedelta(days=days)
        self.post_message(self.Moved(self.cursor))

    def action_pick(self) -> None:
        self.post_message(self.Picked(self.cursor))

    def on_click(self, event: events.Click) -> None:
        if not self.tall:
            index = event.y
        else:
            index, line = 0, 0
            for i, found in enumerate(self.days):
                rows = 1 + min(EVENTS_TALL, len(found.events))
                if line <= event.y < line + rows:
                    index = i
                    break
                line += rows
        if 0 <= index < 7:
            self.post_message(self.Moved(self.first + timedelta(days=index)))
