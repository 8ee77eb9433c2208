"""SteadyTable: a DataTable that keeps its rendered cells when a style update changed nothing.

Textual applies every node's CSS again when a screen comes back
(ScreenResume), and DataTable throws away every rendered cell, line and
style on any style update. So each return to the checklist or the agenda
rendered each visible cell again with Rich: about 35 ms of key 3's 145 ms
went to drawing the same two tables the same way.

Here a style update is noted, and at the next paint the caches are dropped
only if what the cells are drawn with has changed: the table's own styles or
any of its component classes' (the cursor, the header, hover...), which is
where a theme, a focus change or a new class shows. Whatever else moves a
DataTable's caches (rows, columns, the cursor, a resize) is untouched.

And new rows under columns of fixed widths are not measured: DataTable
measures every cell of every row added (Rich, ~25 us a cell; 900 for a day's
hundred events) for a content width only auto-width columns use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic

from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, RowKey


class SteadyTable(DataTable[CellType], Generic[CellType]):
    _style_check_due = False
    _drawn_with: tuple[Any, ...] | None = None

    def notify_style_update(self) -> None:
        super(DataTable, self).notify_style_update()  # the widget's own handling, without DataTable's clearing
        self._style_check_due = True
        self.refresh()

    def _styles_seen(self) -> tuple[Any, ...]:
        components = self._component_styles
        return (
            self.styles.get_render_rules(),
            tuple((name, components[name].get_render_rules()) for name in sorted(components)),
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._style_check_due:
            # By now the component classes have their new styles too (Textual sets them after the table's own).
            self._style_check_due = False
            seen = self._styles_seen()
            if seen != self._drawn_with:
                self._drawn_with = seen
                self._row_render_cache.clear()  # what DataTable.notify_style_update drops, and only that
                self._cell_render_cache.clear()
                self._row_renderable_cache.clear()
                self._line_cache.clear()
                self._styles_cache.clear()
                self._get_styles_to_render_cell.cache_clear()
        return super().render_lines(crop)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        columns = self.columns.values()
        rows = [self.rows.get(key) for key in new_rows]
        if any(column.auto_width for column in columns) or any(
            row is not None and (row.auto_height or row.label is not None) for row in rows
        ):
            super()._update_dimensions(new_rows)
            return
        # Every width is fixed and every new row one line without a label: only the virtual size moves
        # (DataTable's own closing lines).
        header_height = self.header_height if self.show_header else 0
        width = sum(column.get_render_width(self) for column in columns) + self._row_label_column_width
        self.virtual_size = Size(width, self._total_row_height + header_height)
