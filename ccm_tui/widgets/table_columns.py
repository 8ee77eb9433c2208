"""Column widths for a DataTable that must not scroll sideways at 80 columns.

Key columns (account and order numbers, phone numbers) are as wide as their
longest value on the page shown and are never shortened; other columns give
way, widest first, down to a minimum, and their cells end in "…" when cut
(`fitted` makes such a cell: a plain str cell is cut without one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import overload

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def set_columns(table: DataTable, columns: list[tuple[str, int]], width: int) -> None:
    """Clear the table and add `columns` (label, width); the one given 0 takes what is left."""
    table.clear(columns=True)
    rest = max(10, width - sum(w for _, w in columns) - chrome(table, len(columns)))
    for label, size in columns:
        table.add_column(label, width=size or rest)


def chrome(table: DataTable, count: int) -> int:
    """Columns taken by cell padding and the vertical scrollbar."""
    return 2 * table.cell_padding * count + 2


def key_width(label: str, values: Iterable[str]) -> int:
    """A key column's width: its longest value, or its label if that is longer."""
    return max([cell_len(label), *(cell_len(v) for v in values)])


def fit_widths(natural: Sequence[int], minimum: Sequence[int], room: int) -> list[int]:
    """Shrink the widest columns, one cell at a time, until they fit `room`.

    No column goes below its minimum (a key column's minimum is its natural
    width), so the result may still be wider than `room`: then it scrolls.
    """
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


@overload
def fitted(cell: str | Text) -> Text: ...
@overload
def fitted(cell: object) -> object: ...
def fitted(cell: object) -> object:
    """A cell that ends in "…" when its column is narrower than it.

    Text, not str: a str cell is read as markup (names and numbers may hold
    "[/]") and is cut without an ellipsis.
    """
    if isinstance(cell, str):
        return Text(cell, no_wrap=True, overflow="ellipsis", end="")
    if isinstance(cell, Text):
        cell.no_wrap = True
        cell.overflow = "ellipsis"
    return cell
