"""CustomerTable: one page-at-a-time view of the book.

The table never holds the whole book: the screen hands it pages of
`BookRow`s (appended as the cursor nears the end) and it asks for more with
`NeedMore`. Columns fit the terminal: below 110 columns the CCM column is
dropped (region and CCM are on the detail screen and stay sortable), so
80x24 over SSH still reads. The account number is as wide as the longest on
the rows loaded, never shortened. Below 110 columns the next event drops its
weekday so the name keeps `NAME_MIN` cells; names give way after that.

It draws only the lines on screen (widgets/row_table.py): a keystroke in
the filter that brings a new page costs the lines shown, not the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from textual.binding import Binding
from textual.message import Message

from ccm_tui.domain.book import BookRow, BookSort
from ccm_tui.domain.hours import HoursLevel, hours_level
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.breakpoints import WIDE
from ccm_tui.widgets.line_cells import Cell
from ccm_tui.widgets.row_table import PADDING, RowTable
from ccm_tui.widgets.table_columns import key_width

LOAD_AHEAD = 15  # rows before the end at which the next page is asked for
NEXT_NARROW = 20  # "Dec 14 10:00 AM CEST": the next event without its weekday
NAME_MIN = 12

OVER = Style.parse("bold red")
NEAR = Style.parse("yellow")
DIM = Style.parse("dim")
PAST_CCD = Style.parse("bold red")
LATE = Style.parse("bold yellow")
NOT_READY = Style.parse("bold magenta")
PENDING = Cell.plain("…", DIM)  # a first glance's row (domain BookRow.pending): read with the book, never "none"


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


class CustomerTable(RowTable):
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
        super().__init__(**kwargs)
        self.formatter = formatter
        self.warning_ratio = warning_ratio
        self._rows: list[BookRow] = []
        self._total = 0
        self._layout_width = -1
        self._layout: list[tuple[Column, int]] = []
        self._headers: list[tuple[Cell, int]] = []
        self._account_width = 0
        self._cells: dict[int, list[Cell]] = {}  # by row, made when the row is first drawn
        # Formatted once: the same starts and hours come back as the filter changes (babel is slow per call).
        self._texts: dict[tuple[object, ...], str] = {}

    # -- data in --------------------------------------------------------------
    def show_page(self, rows: tuple[BookRow, ...], total: int, *, append: bool) -> None:
        unchanged = total == self._total and len(rows) == len(self._rows) and list(rows) == self._rows
        if not append and unchanged and self._layout_width == self._current_width():
            # The book read again (back from a customer, another session's change elsewhere) and these rows
            # did not move: nothing to draw. Over SSH a repainted table is 13 KB; the cursor and scroll stay.
            return
        self._total = total
        if append:
            self._rows.extend(rows)
            if self._measure_accounts(rows) > self._account_width:  # a longer account number: widen its column
                self._rebuild(self.cursor_row)
            else:
                self.rows_changed(len(self._rows), cursor=None)
            return
        self._rows = list(rows)
        self._cells.clear()
        self.scroll_to(0, 0, animate=False)
        if self._layout_width != self._current_width() or self._measure_accounts(self._rows) != self._account_width:
            self._rebuild()
        else:
            self.rows_changed(len(self._rows))
        self._maybe_more(self.cursor_row)  # a short page that is not the last: the next one now

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

    @property
    def column_keys(self) -> tuple[str, ...]:
        """The columns shown, left to right ("name", "account", ...)."""
        return tuple(column.key for column, _ in self._layout)

    @property
    def column_widths(self) -> tuple[tuple[str, int], ...]:
        """(label, width) per column shown: a cell's text is cut to that width."""
        return tuple((label.text, width) for label, width in self._headers)

    def get_row_at(self, index: int) -> list[str]:
        """The row's cells in the columns shown, in full (before any "…")."""
        return [cell.text for cell in self.row_cells(index)]

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
        chrome = 2 * PADDING * len(chosen) + 2  # the cells' padding and the vertical scrollbar
        name_width = max(NAME_MIN, width - sum(widths) - chrome)
        return [(c, w or name_width) for c, w in zip(chosen, widths, strict=True)]

    def _label(self, column: Column) -> str:
        return "Next (site time)" if column.key == "next" and self._layout_width < WIDE else column.label

    def _rebuild(self, cursor: int = 0) -> None:
        """New columns for the width, then every line drawn again."""
        self._layout_width = self._current_width()
        self._account_width = self._measure_accounts(self._rows)
        self._layout = self._columns(self._layout_width)
        self._headers = [(Cell.plain(self._label(column), ellipsis=False), width) for column, width in self._layout]
        self._cells.clear()  # the next event's format follows the width
        self.rows_changed(len(self._rows), cursor=cursor)
        if self._rows:
            self.call_after_refresh(self.scroll_to_cursor)

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
            every = self._book_cells(self._rows[row])
            cells = self._cells[row] = [every[column.key] for column, _ in self._layout]
        return cells

    def _book_cells(self, row: BookRow) -> dict[str, Cell]:
        return {
            "name": Cell.plain(row.name),
            "account": Cell.plain(row.account_number, ellipsis=False),
            "region": Cell.plain(row.region.value, ellipsis=False),
            "ccm": Cell.plain(row.ccm),
            "next": self._next_event(row),
            "hours": self._hours(row),
            "flags": flags_cell(row),
        }

    def _next_event(self, row: BookRow) -> Cell:
        if row.pending:
            return PENDING
        event = row.next_event
        if event is None:
            return Cell.plain("-", DIM)
        wide = self._layout_width >= WIDE
        key = (event.start, event.zone, wide)
        if (when := self._texts.get(key)) is None:
            fmt = self.formatter
            when = fmt.when_in(event.start, event.zone) if wide else fmt.when_in_short(event.start, event.zone)
            self._remember(key, when)
        return Cell.plain(when)

    def _hours(self, row: BookRow) -> Cell:
        if row.pending:  # the package is known, what was used not yet
            return Cell.plain(f"{PENDING.text}/{self.formatter.number(row.hours_package, 0)}", DIM)
        key = (row.hours_used, row.hours_package)
        if (shown := self._texts.get(key)) is None:
            shown = f"{self.formatter.number(row.hours_used, 1)}/{self.formatter.number(row.hours_package, 0)}"
            self._remember(key, shown)
        level = hours_level(row.hours_used, row.hours_package, self.warning_ratio)
        # The "!" keeps the warning readable without colour.
        if level is HoursLevel.OVER:
            return Cell.plain(f"{shown}!", OVER)
        if level is HoursLevel.NEAR:
            return Cell.plain(shown, NEAR)
        return Cell.plain(shown)

    def _remember(self, key: tuple[object, ...], text: str) -> None:
        if len(self._texts) >= 4096:  # a bound: a long session's scrolling never grows it further
            self._texts.clear()
        self._texts[key] = text

    # -- messages up ----------------------------------------------------------
    def _picked(self, row: int) -> None:
        self.post_message(self.Picked(self._rows[row].customer_id))

    def _highlighted(self, row: int) -> None:
        self._maybe_more(row)

    def _maybe_more(self, row: int) -> None:
        if self._rows and not self.complete and row >= len(self._rows) - LOAD_AHEAD:
            self.post_message(self.NeedMore(len(self._rows)))

    def _header_clicked(self, column: int) -> None:
        sort = self._layout[column][0].sort
        if sort is not None:
            self.post_message(self.SortPicked(sort))


def flags_cell(row: BookRow) -> Cell:
    """ "CCD LATE NR": words, not only colours, so the flags read without colour."""
    if row.pending:
        return PENDING
    pieces: list[tuple[str, Style | None]] = []
    if row.past_ccd:
        pieces.append(("CCD ", PAST_CCD))
    if row.late_change_window:
        pieces.append(("LATE ", LATE))
    if row.not_ready_risk:
        pieces.append(("NR", NOT_READY))
    if pieces:
        last, style = pieces[-1]
        pieces[-1] = (last.rstrip(), style)  # each word's space keeps its style, as Text.rstrip leaves it
    return Cell(tuple(pieces))
