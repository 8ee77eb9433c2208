"""MonthGrid: a month of days, each with its number of events and markers.

The screen hands it a `MonthSummary` and the day under the cursor; the grid
draws (its month's days with "Loading..." while it has no counts for that
month) and sends `Moved` when a key or click asks for another day (the
screen decides, and loads another month if needed) and `Picked` on Enter.

Two sizes: one line a day ("20  12 LA"), or, when the screen has room
(`tall`), three (day, count, markers with their counts). The cursor is drawn
reversed and today bold and underlined, so both read without colour; the
markers are letters, explained by `event_text.LEGEND`.
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

from ccm_tui.domain.schedule import DaySummary, MonthSummary
from ccm_tui.text.event_text import (
    AT_RISK_MARK,
    LATE_MARK,
    LEGEND,
    ON_CALL_MARK,
    PAST_CCD_MARK,
)
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.calendar_labels import first_weekday, week_start, weekday_names

TALL_HEIGHT = 36  # terminal rows from which days get three lines
TALL_WIDTH = 98  # and columns: seven cells of fourteen
LOADING = "Loading…"  # in the legend's place while the month's counts are on their way
_MARK_STYLES = {LATE_MARK: "bold yellow", PAST_CCD_MARK: "bold red", AT_RISK_MARK: "yellow", ON_CALL_MARK: "cyan"}


def marks(day: DaySummary) -> list[tuple[str, int]]:
    """(marker, count) in order of urgency, only those present."""
    found = [
        (LATE_MARK, day.late),
        (PAST_CCD_MARK, day.past_ccd),
        (AT_RISK_MARK, day.ccd_at_risk),
        (ON_CALL_MARK, day.on_call),
    ]
    return [(mark, n) for mark, n in found if n]


def count_text(n: int) -> str:
    if n == 0:
        return "·"
    return str(n) if n < 10_000 else f"{n // 1000}k"


class MonthGrid(Widget, can_focus=True):
    """Days of a month; arrows or h/j/k/l move, Enter lists the day's events."""

    HELP_NAME: ClassVar[str] = "month calendar"  # the `?` help's "Where" for its keys

    DEFAULT_CSS = """
    MonthGrid {
        height: auto;
        padding: 0 1;
    }
    MonthGrid:focus {
        background-tint: $foreground 4%;
    }
    """

    BINDINGS = [
        Binding("left,h", "move(-1)", "Prev day", show=False, id="calendar.previous_day"),
        Binding("right,l", "move(1)", "Next day", show=False, id="calendar.next_day"),
        Binding("up,k", "move(-7)", "Prev week", show=False, id="calendar.previous_week"),
        Binding("down,j", "move(7)", "Next week", show=False, id="calendar.next_week"),
        Binding("enter", "pick", "Day's events", show=False, id="calendar.day"),
    ]

    summary: reactive[MonthSummary | None] = reactive(None, layout=True)
    cursor: reactive[date] = reactive(date(2000, 1, 1))
    today: reactive[date] = reactive(date(2000, 1, 1))
    month: reactive[date] = reactive(date(2000, 1, 1), layout=True)
    tall: reactive[bool] = reactive(False, layout=True)
    """Three lines a day; the screen sets it when the terminal has room."""

    @dataclass
    class Moved(Message):
        day: date

    @dataclass
    class Picked(Message):
        day: date

    def __init__(self, formatter: Formatter, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.formatter = formatter

    # -- geometry ----------------------------------------------------------------
    def weeks(self) -> list[date]:
        """The first day of each row shown for `month`."""
        first = self.month.replace(day=1)
        start = week_start(first, self.formatter)
        following = (first + timedelta(days=32)).replace(day=1)
        rows = []
        while start < following:
            rows.append(start)
            start += timedelta(days=7)
        return rows

    def _cell_width(self) -> int:
        return max(6, (self.size.width or 77) // 7)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 + len(self.weeks()) * (3 if self.tall else 1)

    # -- drawing --------------------------------------------------------------
    def render(self) -> RenderableType:
        width = self._cell_width()
        tall = self.tall
        out = Text(no_wrap=True, overflow="crop")
        weekend = {5, 6}
        for i, name in enumerate(weekday_names(self.formatter)):
            weekday = (first_weekday(self.formatter) + i) % 7
            out.append(name.ljust(width)[:width], style="bold dim" if weekday in weekend else "bold")
        count_width = self._count_width()
        for start in self.weeks():
            lines = 3 if tall else 1
            for line in range(lines):
                out.append("\n")
                for offset in range(7):
                    day = start + timedelta(days=offset)
                    out.append_text(self._cell(day, line, width, tall, count_width))
        out.append("\n")
        if self.counts is None:
            out.append(LOADING, style="bold")
        else:
            out.append(LEGEND, style="dim")
        return out

    @property
    def counts(self) -> MonthSummary | None:
        """The summary if it is this month's; else None (its counts are still loading)."""
        summary = self.summary
        return summary if summary is not None and summary.first == self.month.replace(day=1) else None

    def _count_width(self) -> int:
        counts = self.counts
        if counts is None:
            return 1
        return max((len(count_text(d.events)) for d in counts.days), default=1)

    def _cell(self, day: date, line: int, width: int, tall: bool, count_width: int) -> Text:
        if day.month != self.month.month or day.year != self.month.year:
            return Text(" " * width)
        counts = self.counts
        summary = counts.day(day) if counts is not None else DaySummary(day)
        cell = Text()
        number_style = "bold underline" if day == self.today else ("dim" if day.weekday() >= 5 else "")
        if not tall:
            cell.append(f"{day.day:<2}", style=number_style)
            cell.append(f" {count_text(summary.events):>{count_width}} " if counts is not None else " " * (count_width + 2))
            for mark, _ in marks(summary):
                cell.append(mark, style=_MARK_STYLES[mark])
        elif line == 0:
            cell.append(f"{day.day:<2}", style=number_style)
            if day == self.today:
                cell.append(" today", style="bold")
        elif line == 1:
            if counts is not None:
                n = summary.events
                cell.append(f"{count_text(n)} event{'s' if n != 1 else ''}" if n else "·", style="" if n else "dim")
        else:
            for mark, n in marks(summary):
                cell.append(f"{mark}{n} ", style=_MARK_STYLES[mark])
        cell.truncate(width - 1, overflow="crop")
        cell.pad_right(width - cell.cell_len)
        if day == self.cursor:
            cell.stylize("reverse")
        return cell

    # -- keys and mouse -------------------------------------------------------
    def action_move(self, days: int) -> None:
        # moved here at once: keys typed faster than the screen answers add up
        self.cursor = self.cursor + timedelta(days=days)
        self.post_message(self.Moved(self.cursor))

    def action_pick(self) -> None:
        self.post_message(self.Picked(self.cursor))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1
        if row < 0:
            return
        week = row // (3 if self.tall else 1)
        weeks = self.weeks()
        if week >= len(weeks):
            return
        day = weeks[week] + timedelta(days=min(6, event.x // self._cell_width()))
        if day.month == self.month.month:
            self.post_message(self.Moved(day))
            if event.chain == 2:
                self.post_message(self.Picked(day))
