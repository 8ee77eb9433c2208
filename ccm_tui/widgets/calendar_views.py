"""CalendarViews: the calendar's month grid, week and agenda list, one shown at a time.

The screen hands down the day under the cursor, today, whether there is
room for tall cells and the month summaries it has read; the views' own
messages (MonthGrid.Moved, WeekView.Picked, EventTable.Picked) pass up
through this switcher to the screen. The week and the agenda are mounted
when first shown: fewer widgets to style makes the calendar's first frame
come sooner.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from textual.app import ComposeResult
from textual.widgets import ContentSwitcher

from ccm_tui.domain.schedule import DaySummary
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.month_grid import MonthGrid
from ccm_tui.widgets.week_view import WeekView

View = Literal["month", "week", "agenda"]
VIEWS: tuple[View, ...] = ("month", "week", "agenda")
IDS: dict[View, str] = {"month": "cal-month", "week": "cal-week", "agenda": "cal-agenda"}


class CalendarViews(ContentSwitcher):
    def __init__(self, formatter: Formatter, zone: str, *, id: str | None = None) -> None:
        super().__init__(initial=IDS["month"], id=id)
        self.formatter = formatter
        self.zone = zone

    def compose(self) -> ComposeResult:
        yield MonthGrid(self.formatter, id=IDS["month"])

    @property
    def grid(self) -> MonthGrid:
        return self.query_one(MonthGrid)

    @property
    def week(self) -> WeekView | None:
        found = self.query(WeekView)
        return found.first() if found else None

    @property
    def agenda(self) -> EventTable | None:
        found = self.query(f"#{IDS['agenda']}")
        return found.first(EventTable) if found else None

    def set_tall(self, tall: bool) -> None:
        self.grid.tall = tall
        if (week := self.week) is not None:
            week.tall = tall

    def set_cursor(self, day: date) -> None:
        self.grid.cursor = day
        if (week := self.week) is not None:
            week.cursor = day

    def add_summaries(self, days: Iterable[DaySummary]) -> None:
        """Days' counts and markers for the week view (the month grid gets its month's whole)."""
        if (week := self.week) is not None:
            week.summaries = {**week.summaries, **{d.day: d for d in days}}

    async def show(self, view: View, cursor: date, summaries: Iterable[DaySummary]) -> None:
        """Show `view` and focus it; a week mounted now starts at `cursor` with the `summaries` read so far."""
        if view == "week" and self.week is None:
            week = WeekView(self.formatter, self.zone, id=IDS["week"])
            await self.mount(week)
            week.today, week.cursor, week.tall = self.grid.today, cursor, self.grid.tall
            week.summaries = {d.day: d for d in summaries}
        if view == "agenda" and self.agenda is None:
            await self.mount(EventTable(self.formatter, self.zone, show_day=True, selectable=True, id=IDS["agenda"]))
        self.current = IDS[view]
        # the agenda fills the screen; the month and week leave room for the day's list
        self.styles.height = "1fr" if view == "agenda" else "auto"
        self.focus_current()

    def focus_current(self) -> None:
        if self.current is not None:
            self.query_one(f"#{self.current}").focus()
