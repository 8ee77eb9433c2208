"""Fixed column widths for a DataTable that must not scroll sideways at 80 columns."""

from __future__ import annotations

from textual.widgets import DataTable


def set_columns(table: DataTable, columns: list[tuple[str, int]], width: int) -> None:
    """Clear the table and add `columns` (label, width); the one given 0 takes what is left."""
    table.clear(columns=True)
    padding = 2 * table.cell_padding * len(columns) + 2  # + the vertical scrollbar
    rest = max(10, width - sum(w for _, w in columns) - padding)
    for label, size in columns:
        table.add_column(label, width=size or rest)
