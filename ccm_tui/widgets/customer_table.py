"""CustomerTable: one page-at-a-time view of the book.

The table never holds the whole book: the screen hands it pages of
`BookRow`s (appended as the cursor nears the end) and it asks for more with
`NeedMore`. Columns fit the terminal: below 110 columns the CCM column is
dropped (region and CCM are on the detail screen and stay sortable), so
80x24 over SSH still reads. The account number is as wide as the longest on
the rows loaded, never shortened. Below 110 columns the next event drops its
weekday so the name keeps `NAME_MIN` cells; names give way after that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from ccm_tui.domain.book import BookRow, BookSort
from ccm_tui.domain.hours import HoursLevel, hours_level
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.breakpoints import WIDE
from ccm_tui.widgets.table_columns import chrome, fitted, key_width

LOAD_AHEAD = 15  # rows before the end at which the next page is asked for
NEXT_NARROW = 20  # "Dec 14 10:00 AM CEST": the next event without its weekday
NAME_MIN = 12


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes what is left
    sort: BookSort | None
    wide_only: bool = False


COLUMNS = (
    Column("name", "Customer", 0, BookSort.NAME),
    Column("account", "Account", -1, BookSort.ACCOUNT),  # -1: its longest value
    Column("region", "Rgn", 5, BookSort.REGION, wide_only=True),
    Column("ccm", "CCM", 14, BookSort.CCM, wide_only=True),
    Column("next", "Next event (site time)", 24, BookSort.NEXT_ACTIVATION),  # NEXT_NARROW below WIDE
    Column("hours", "Hours", 8, BookSort.HOURS),  # "18.8/16!"
    Column("flags", "Flags", 11, None),  # "CCD LATE NR"
)


class CustomerTable(DataTable[Text | str]):
    """The book's rows; Enter opens a customer, headers sort."""

    HELP_NAME: ClassVar[str] = "customer list"  # the `?` help's "Where" for its keys

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", show=True, id="book.open"),
    ]

    @dataclass
    class Picked(Message):
        customer_id: int

    @dataclass
    class NeedMore(Message):
        loaded: int

    @dataclass
    class SortPicked(Message):
        sort: BookSort

    def __init__(self, formatter: Formatter, warning_ratio: float = 0.8, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.formatter = formatter
        self.warning_ratio = warning_ratio
        self._rows: list[BookRow] = []
        self._total = 0
        self._layout_width = -1
        self._layout: list[tuple[Column, int]] = []
        self._account_width = 0

    # -- data in --------------------------------------------------------------
    def show_page(self, rows: tuple[BookRow, ...], total: int, *, append: bool) -> None:
        self._total = total
        if append:
            self._rows.extend(rows)
            if self._measure_accounts(rows) > self._account_width:  # a longer account number: widen its column
                self._rebuild(self.cursor_row)
                return
            self.add_rows(self._cells(row, self._layout) for row in rows)
            return
        self._rows = list(rows)
        if self._layout_width != self._current_width() or self._measure_accounts(self._rows) != self._account_width:
            self._rebuild()
            return
        self.clear()
        self.add_rows(self._cells(row, self._layout) for row in self._rows)

    @property
    def loaded(self) -> int:
        return len(self._rows)

    @property
    def rows_loaded(self) -> tuple[BookRow, ...]:
        """The rows loaded so far, in the table's order."""
        return tuple(self._rows)

    @property
    def complete(self) -> bool:
        return len(self._rows) >= self._total

    def current(self) -> BookRow | None:
        if 0 <= self.cursor_row < len(self._rows):
            return self._rows[self.cursor_row]
        return None

    # -- layout ---------------------------------------------------------------
    def _current_width(self) -> int:
        return self.size.width or self.app.size.width

    @staticmethod
    def _measure_accounts(rows: Iterable[BookRow]) -> int:
        """The account column's width for these rows: a page, or those loaded, never the book."""
        return key_width("Account", (row.account_number for row in rows))

    def _columns(self, width: int) -> list[tuple[Column, int]]:
        wide = width >= WIDE
        chosen = [c for c in COLUMNS if wide or not c.wide_only]
        sizes = {"account": self._account_width, "next": 24 if wide else NEXT_NARROW}
        widths = [sizes.get(c.key, c.width) for c in chosen]
        name_width = max(NAME_MIN, width - sum(widths) - chrome(self, len(chosen)))
        return [(c, w or name_width) for c, w in zip(chosen, widths, strict=True)]

    def _label(self, column: Column) -> str:
        return "Next (site time)" if column.key == "next" and self._layout_width < WIDE else column.label

    def _rebuild(self, cursor: int = 0) -> None:
        """New columns for the width, then every loaded row again."""
        self.clear(columns=True)
        self._layout_width = self._current_width()
        self._account_width = self._measure_accounts(self._rows)
        self._layout = self._columns(self._layout_width)
        for column, width in self._layout:
            self.add_column(self._label(column), width=width, key=column.key)
        self.add_rows(self._cells(row, self._layout) for row in self._rows)
        if self._rows:
            self.move_cursor(row=min(cursor, len(self._rows) - 1))

    def on_resize(self) -> None:
        if self._current_width() != self._layout_width:
            self._rebuild(self.cursor_row)

    def _cells(self, row: BookRow, columns: list[tuple[Column, int]]) -> list[Text | str]:
        values = {
            "name": Text(row.name, overflow="ellipsis", no_wrap=True),
            "account": Text(row.account_number, no_wrap=True, end=""),  # not a str cell: that is read as markup
            "region": row.region.value,
            "ccm": Text(row.ccm, overflow="ellipsis", no_wrap=True),
            "next": self._next_event(row),
            "hours": fitted(self._hours(row)),
            "flags": fitted(self._flags(row)),
        }
        return [values[column.key] for column, _ in columns]

    def _next_event(self, row: BookRow) -> Text:
        event = row.next_event
        if event is None:
            return Text("-", style="dim")
        wide = self._layout_width >= WIDE
        when = self.formatter.when_in(event.start, event.zone) if wide else self.formatter.when_in_short(event.start, event.zone)
        return Text(when, no_wrap=True, overflow="ellipsis")

    def _hours(self, row: BookRow) -> Text:
        used = self.formatter.number(row.hours_used, 1)
        package = self.formatter.number(row.hours_package, 0)
        level = hours_level(row.hours_used, row.hours_package, self.warning_ratio)
        # The "!" keeps the warning readable without colour.
        if level is HoursLevel.OVER:
            return Text(f"{used}/{package}!", style="bold red")
        if level is HoursLevel.NEAR:
            return Text(f"{used}/{package}", style="yellow")
        return Text(f"{used}/{package}")

    @staticmethod
    def _flags(row: BookRow) -> Text:
        text = Text()
        if row.past_ccd:
            text.append("CCD ", style="bold red")
        if row.late_change_window:
            text.append("LATE ", style="bold yellow")
        if row.not_ready_risk:
            text.append("NR", style="bold magenta")
        text.rstrip()
        return text

    # -- messages up ----------------------------------------------------------
    @on(DataTable.RowSelected)
    def _picked(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current()
        if row is not None:
            self.post_message(self.Picked(row.customer_id))

    @on(DataTable.RowHighlighted)
    def _maybe_more(self, event: DataTable.RowHighlighted) -> None:
        if not self.complete and event.cursor_row >= len(self._rows) - LOAD_AHEAD:
            self.post_message(self.NeedMore(len(self._rows)))

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        column = next((c for c in COLUMNS if c.key == event.column_key.value), None)
        if column is not None and column.sort is not None:
            self.post_message(self.SortPicked(column.sort))
