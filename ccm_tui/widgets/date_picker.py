"""A date field and the small month it can open, to pick a day by keys.

`DateInput` is a one-line field for a date (YYYY-MM-DD or words such as
`fri`, read by the form's validator); ctrl+t (or alt+down, the drop-down
key of most toolkits) posts `PickRequested`, and the form opens a
`DayPicker` at the field's date or today.

`DayPicker` is a month of days, one cell each, in the locale's week order:
arrows (or h/j/k/l) move a day or a week, `[`/`]` or page up/down a month
(keeping the day where the month has it), `t` goes to today, Enter posts
`Picked`. It reads without colour: the chosen day is reversed *and* in
brackets (`[27]`), today is bold, underlined and marked `·`.
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
from textual.widgets import Input

from ccm_tui.domain.fields import FIRST_DAY, LAST_DAY
from ccm_tui.domain.months import add_months
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.calendar_labels import first_weekday, month_title, week_start, weekday_names

CELL = 5  # "[27] ": a day's number in brackets and a space
PICK_KEYS = "ctrl+t"  # shown in the form's hint; alt+down does the same


class DateInput(Input):
    """A date field: type a date or words, or press ctrl+t for a calendar."""

    HELP_NAME: ClassVar[str] = "date field"

    BINDINGS = [
        Binding(PICK_KEYS, "pick", "Pick from a calendar", tooltip="A month to pick the day from", id="date.pick"),
        Binding(
            "alt+down", "pick", "Pick from a calendar", tooltip="As ctrl+t: the drop-down key of most toolkits", id="date.pick_alt"
        ),
    ]

    @dataclass
    class PickRequested(Message):
        field: DateInput

    def action_pick(self) -> None:
        self.post_message(self.PickRequested(self))


class DayPicker(Widget, can_focus=True):
    """A month of days; the cursor is the day Enter picks."""

    HELP_NAME: ClassVar[str] = "date picker"

    DEFAULT_CSS = """
    DayPicker {
        width: auto;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("left,h", "move(-1)", "Day before", show=False, id="date.day_before"),
        Binding("right,l", "move(1)", "Day after", show=False, id="date.day_after"),
        Binding("up,k", "move(-7)", "Week before", show=False, id="date.week_before"),
        Binding("down,j", "move(7)", "Week after", show=False, id="date.week_after"),
        Binding("left_square_bracket,pageup", "month(-1)", "Month before", id="date.month_before"),
        Binding("right_square_bracket,pagedown", "month(1)", "Month after", id="date.month_after"),
        Binding("t", "today", "Today", id="date.today"),
        Binding("enter", "pick", "Pick this day", id="date.pick_day"),
    ]

    cursor: reactive[date] = reactive(date(2000, 1, 1), layout=True)

    @dataclass
    class Picked(Message):
        day: date

    def __init__(self, day: date, today: date, formatter: Formatter, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.formatter = formatter
        self.set_reactive(DayPicker.cursor, min(max(day, FIRST_DAY), LAST_DAY))

    # -- geometry ----------------------------------------------------------------
    def weeks(self) -> list[date]:
        """The first day of each row shown for the cursor's month."""
        first = self.cursor.replace(day=1)
        following = add_months(first, 1)
        start, rows = week_start(first, self.formatter), []
        while start < following:
            rows.append(start)
            start += timedelta(days=7)
        return rows

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return CELL * 7

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 + len(self.weeks())

    # -- drawing --------------------------------------------------------------
    def render(self) -> RenderableType:
        out = Text(no_wrap=True, overflow="crop")
        out.append(month_title(self.formatter, self.cursor).center(CELL * 7).rstrip(), style="bold")
        out.append("\n")
        first = first_weekday(self.formatter)
        for i, name in enumerate(weekday_names(self.formatter)):
            out.append(f" {name[:3]:<{CELL - 1}}", style="dim" if (first + i) % 7 >= 5 else "")
        for start in self.weeks():
            out.append("\n")
            for offset in range(7):
                out.append_text(self._cell(start + timedelta(days=offset)))
        return out

    def _cell(self, day: date) -> Text:
        if day.month != self.cursor.month:
            return Text(" " * CELL)
        number = f"{day.day:>2}"
        if day == self.cursor:
            return Text.assemble((f"[{number}]", "reverse bold"), " ")
        if day == self.today:
            return Text.assemble(" ", (number, "bold underline"), "· ")
        return Text(f" {number}  ", style="dim" if day.weekday() >= 5 else "")

    # -- keys and mouse -------------------------------------------------------
    def action_move(self, days: int) -> None:
        self._go(self.cursor + timedelta(days=days))

    def action_month(self, months: int) -> None:
        self._go(add_months(self.cursor, months))

    def action_today(self) -> None:
        self._go(self.today)

    def _go(self, day: date) -> None:
        # the book's years: a step from them stays far from date's own limits
        self.cursor = min(max(day, FIRST_DAY), LAST_DAY)

    def action_pick(self) -> None:
        self.post_message(self.Picked(self.cursor))

    def on_click(self, event: events.Click) -> None:
        week = event.y - 2
        weeks = self.weeks()
        if not 0 <= week < len(weeks) or event.x >= CELL * 7:
            return
        day = weeks[week] + timedelta(days=event.x // CELL)
        if day.month == self.cursor.month:
            self.cursor = day
            if event.chain == 2:
                self.action_pick()
