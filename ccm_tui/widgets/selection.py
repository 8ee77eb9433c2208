"""SelectableTable: a list whose rows can be picked, to act on several at once.

`space` picks the cursor row (again: unpicks it) and moves down, so a run of
rows is picked by holding it; Esc unpicks them all before Esc does anything
else. While something is picked a first column shows `●` beside each picked
row (readable without colour); with nothing picked the column is not there
and the list keeps its full width. Picks are kept by row key, so they stay
while the cursor moves and across a refresh; a row gone after a refresh is
dropped. Rows added without a key (a phase heading, an "empty" sentence)
cannot be picked.

The table posts `SelectionChanged` for its screen to count ("3 selected");
the screen acts on `picked_keys()` (in list order), or on the cursor row
when nothing is picked. A table that shows rows of its own calls
`selection_shown()` after each rebuild, which drops the vanished picks and
puts the mark column back. The calendar's event list, which draws its own
lines (widgets/event_table.py), picks the same way with the same keys,
`RowSelection` and `SelectionChanged`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets.data_table import Column

from ccm_tui.widgets.steady_table import SteadyTable

CellType = TypeVar("CellType")

MARK = "●"
MARK_KEY = "picked"


def select_binding(key: str = "space", *, show: bool = True) -> Binding:
    return Binding(
        key,
        "toggle_selection",
        "Select",
        show=show,
        id="selection.toggle",
        tooltip="Pick this row (again: unpick it); the list's keys then act on every pick",
    )


def clear_binding(*, show: bool = True) -> Binding:
    return Binding("escape", "clear_selection", "Clear selection", show=show, id="selection.clear", tooltip="Unpick every row")


class RowSelection:
    """The picked rows' keys, in the order they were picked."""

    def __init__(self) -> None:
        self._keys: dict[str, None] = {}

    def toggle(self, key: str) -> bool:
        """Pick `key`, or unpick it if it was picked; True if it is picked now."""
        if key in self._keys:
            del self._keys[key]
            return False
        self._keys[key] = None
        return True

    def clear(self) -> int:
        """Unpick everything; how many were picked."""
        count = len(self._keys)
        self._keys.clear()
        return count

    def keep(self, present: Iterable[str]) -> int:
        """Drop the picks that are not in `present`; how many were dropped."""
        still = set(present)
        gone = [key for key in self._keys if key not in still]
        for key in gone:
            del self._keys[key]
        return len(gone)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def selected_label(count: int) -> str:
    """The count a status line shows: "3 selected" (nothing when none are)."""
    return f"{count} selected" if count else ""


def with_picked(line: str | Text, table: Picks | None) -> str | Text:
    """A status line led by the table's count of picks ("● 2 selected · Mon 23 Nov: 5 events"), so a cut line keeps it."""
    count = len(table.selection) if table is not None else 0
    if not count:
        return line
    text = Text(f"{MARK} {selected_label(count)}", style="bold", no_wrap=True, overflow="ellipsis")
    text.append(" · ")
    text.append(line)
    return text


@dataclass
class SelectionChanged(Message):
    """Picks came or went in `table` (a SelectableTable, or a list that picks as one: the calendar's events)."""

    table: Widget
    count: int

    @property
    def control(self) -> Widget:
        return self.table


class Picks(Protocol):
    selection: RowSelection


def mark_cell(picked: bool) -> Text:
    return Text(MARK if picked else " ", style="bold")


class SelectableTable(SteadyTable[CellType], Generic[CellType]):
    """A row-cursor DataTable with picks (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [select_binding(), clear_binding()]
    ROOM_FROM: ClassVar[tuple[str, ...]] = ()
    """Columns (by key, or by label for columns without one) that give the mark column its room, first
    found first; none found: the widest. Name a column whose cells end in "…" when cut, never a key column."""

    SelectionChanged = SelectionChanged

    def __init__(self, *args: Any, selectable: bool = True, room_from: tuple[str, ...] = (), **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        super().__init__(*args, **kwargs)
        self.room_from = room_from or self.ROOM_FROM
        self.selectable = selectable
        """False where the list has no action for several rows (its selection keys are hidden)."""
        self.selection = RowSelection()
        self._narrowed: int | None = None  # the column that gave the mark column its room

    # -- what the screen asks ------------------------------------------------------------
    def picked_keys(self) -> list[str]:
        """The picked rows' keys in list order."""
        return [key for key in self._row_keys() if key in self.selection]

    def cursor_key(self) -> str | None:
        """The cursor row's key, if it has one (a heading or an "empty" sentence has not)."""
        if not 0 <= self.cursor_row < self.row_count:
            return None
        return self.ordered_rows[self.cursor_row].key.value

    def keep_only(self, keys: Iterable[str]) -> None:
        """Leave only `keys` picked (the rows an action refused, say)."""
        wanted = set(keys)
        if self.selection.keep(k for k in self.selection if k in wanted):
            self._show_marks()

    # -- keys --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_selection":
            return self.selectable
        if action == "clear_selection":
            return bool(self.selection)  # no selection: Esc does what it does on the screen
        return True

    def action_toggle_selection(self) -> None:
        key = self.cursor_key()
        if key is not None and self.can_pick(key):
            was_empty = not self.selection
            picked = self.selection.toggle(key)
            if was_empty or not self.selection:
                self._show_marks()  # the mark column comes or goes
            else:
                self.update_cell(key, MARK_KEY, cast(CellType, mark_cell(picked)))
            self._changed()
        if self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def action_clear_selection(self) -> None:
        if self.selection.clear():
            self._show_marks()
            self._changed()

    def can_pick(self, key: str) -> bool:
        """Whether the row with `key` may be picked; a subclass narrows it."""
        return True

    # -- after the rows change ----------------------------------------------------------------
    def selection_shown(self) -> None:
        """(After the table's rows were rebuilt.) Drop vanished picks; show the marks if any are left."""
        dropped = self.selection.keep(k for k in self._row_keys() if self.can_pick(k))
        if self.selection:
            self._show_marks()
        if dropped:
            self._changed()

    def _room_column(self, columns: list[Column], widths: list[int | None]) -> int | None:
        names = [c.key.value or str(c.label) for c in columns]
        for wanted in self.room_from:
            if wanted in names and widths[names.index(wanted)] is not None:
                return names.index(wanted)
        fixed = [i for i, w in enumerate(widths) if w is not None]
        return max(fixed, key=lambda i: widths[i] or 0) if fixed else None

    def _row_keys(self) -> Iterator[str]:
        return (row.key.value for row in self.ordered_rows if row.key.value is not None)

    def _changed(self) -> None:
        self.refresh_bindings()
        self.post_message(self.SelectionChanged(self, len(self.selection)))

    def _show_marks(self) -> None:
        """Lay the rows out again with the mark column first (something is picked) or without it.

        The widest column gives up the mark column's room, so the list does not scroll sideways.
        """
        columns = [c for c in self.ordered_columns if c.key.value != MARK_KEY]
        had_marks = len(columns) != len(self.ordered_columns)
        rows = [(row.key, self.get_row(row.key)) for row in self.ordered_rows]
        if had_marks:
            rows = [(key, cells[1:]) for key, cells in rows]
        marks = bool(self.selection)
        room = 1 + 2 * self.cell_padding
        widths = [None if c.auto_width else c.width for c in columns]
        if marks and not had_marks:
            self._narrowed = self._room_column(columns, widths)
            if self._narrowed is not None:
                widths[self._narrowed] = max(1, (widths[self._narrowed] or 0) - room)
        elif had_marks and not marks and self._narrowed is not None and self._narrowed < len(widths):
            widths[self._narrowed] = (widths[self._narrowed] or 0) + room
        cursor, scroll = self.cursor_row, self.scroll_y
        self.clear(columns=True)
        if marks:
            self.add_column("", width=1, key=MARK_KEY)
        for column, width in zip(columns, widths, strict=True):
            self.add_column(column.label, width=width, key=column.key.value)
        for key, cells in rows:
            head = [cast(CellType, mark_cell(key.value in self.selection))] if marks else []
            self.add_row(*head, *cells, key=key.value)
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), scroll=False)
            self.scroll_y = scroll
