"""RowTable: a zebra-striped table with a row cursor that draws only the lines on screen.

Why not a DataTable: when a filter replaces every row, a DataTable measures
and renders each cell through Rich again, and on a 50,000-customer book that
was half of each keystroke. This is a Line API widget (as Textual's Log and
OptionList): `render_line(y)` draws a line from the row's cells
(widgets/line_cells.py) into a `Strip`, kept until the rows, the width or the
styles change. It looks and answers like a DataTable with `cursor_type="row"`
and `zebra_stripes=True`: the same keys (so `?` lists the same), the same
mouse (a click selects, a second one picks, a header click is reported), the
same component styles under its own names, so themes apply.

A subclass says what the rows are: `columns()` (label cell and width per
column), `row_cells(row)`, and what to do on `_picked`, `_highlighted` and
`_header_clicked`; it calls `rows_changed()` when it has new rows.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ccm_tui.widgets.line_cells import Cell, cell_segments, fit

PADDING = 1  # cells each side of a cell's text, as a DataTable's cell_padding
_FILL_META = Style.from_meta({"out_of_bounds": True})


class RowTable(ScrollView, can_focus=True):
    """Rows of cells under a header line; the cursor is a row."""

    LIST_KEYS: ClassVar[bool] = True  # j/k/g/G, home/end move its cursor (widgets/list_keys.py)

    # A DataTable's keys, in its words and order.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False, id="table.select"),
        Binding("up", "cursor_up", "Cursor up", show=False, id="table.up"),
        Binding("down", "cursor_down", "Cursor down", show=False, id="table.down"),
        Binding("right", "cursor_right", "Cursor right", show=False, id="table.right"),
        Binding("left", "cursor_left", "Cursor left", show=False, id="table.left"),
        Binding("pageup", "page_up", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("ctrl+home", "scroll_top", "Top", show=False, id="table.top"),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
        Binding("home", "scroll_home", "Home", show=False, id="table.home"),
        Binding("end", "scroll_end", "End", show=False, id="table.end"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--even-row",
        "row-table--odd-row",
        "row-table--cursor",
        "row-table--hover",
        "row-table--header-hover",
    }
    # A DataTable's DEFAULT_CSS for its row cursor and stripes, by our component names.
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .row-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .row-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .row-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .row-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .row-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .row-table--header-hover {
            background: $accent 30%;
        }
        & > .row-table--hover {
            background: $block-hover-background;
        }
    }
    """

    _count = 0  # rows
    _cursor = 0
    _hover: int | None = None  # the row under the mouse (-1: the header), while it moves
    _style_state: object = None
    _base_style = Style()  # the widget's own, under lines past the last row
    _width = 0

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._strips: dict[tuple[int, bool, bool], Strip] = {}  # (row, cursor, hover): the whole line
        self._styles: dict[str, Style] = {}

    # -- what a subclass says -------------------------------------------------
    def columns(self) -> list[tuple[Cell, int]]:
        """Each column's header cell and the width of its text."""
        raise NotImplementedError

    def row_cells(self, row: int) -> list[Cell]:
        raise NotImplementedError

    def _picked(self, row: int) -> None:
        """Enter, or a click on the cursor's row."""

    def _highlighted(self, row: int) -> None:
        """The cursor moved to `row`."""

    def _header_clicked(self, column: int) -> None:
        """A click on a column's label."""

    def rows_changed(self, count: int, *, cursor: int | None = 0) -> None:
        """`count` rows now; `cursor` None keeps the lines drawn (rows were only added below)."""
        self._count = count
        if cursor is not None:
            self._strips.clear()
            self._hover = None
            self._cursor = max(0, min(cursor, count - 1))
        width = sum(width + 2 * PADDING for _, width in self.columns())
        self.virtual_size = Size(width, count + 1)  # the header's line and the rows'
        self.refresh()

    # -- the cursor -----------------------------------------------------------
    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def row_count(self) -> int:
        return self._count

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:
        """The cursor to `row` (kept inside the rows), scrolled into view."""
        del animate  # a DataTable's argument: the cursor jumps
        row = max(0, min(row, self._count - 1))
        if row != self._cursor:
            self.refresh_line(self._cursor + 1)
            self._cursor = row
            self.refresh_line(row + 1)
            self._highlighted(row)
        if scroll:
            self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        shown = max(1, self.scrollable_content_region.height - 1)  # rows below the header
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, force=True)
        elif self._cursor >= top + shown:
            self.scroll_to(y=self._cursor - shown + 1, animate=False, force=True)

    def _keyboard(self) -> None:
        """A key moves the cursor: the mouse's hover highlight goes, as in a DataTable."""
        if self._hover is not None:
            self.refresh_line(self._hover + 1)
            self._hover = None

    def action_cursor_up(self) -> None:
        self._keyboard()
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._keyboard()
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_left(self) -> None:
        self.scroll_left()

    def action_cursor_right(self) -> None:
        self.scroll_right()

    def action_page_down(self) -> None:
        self._keyboard()
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_relative(y=page, animate=False, force=True)
        self.move_cursor(row=self._cursor + page)

    def action_page_up(self) -> None:
        self._keyboard()
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_relative(y=-page, animate=False, force=True)
        self.move_cursor(row=self._cursor - page)

    def action_scroll_top(self) -> None:
        self._keyboard()
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        self._keyboard()
        self.move_cursor(row=self._count - 1)

    def action_scroll_home(self) -> None:
        self.scroll_to(x=0, animate=False)  # a row cursor's home and end scroll sideways, as a DataTable's

    def action_scroll_end(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def action_select_cursor(self) -> None:
        self._keyboard()
        if self._count:
            self._picked(self._cursor)

    # -- the mouse ------------------------------------------------------------
    def _row_at(self, event: events.MouseEvent) -> int | None:
        """The row under the mouse (-1: the header), None below the last row."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        if offset.y == 0:
            return -1
        row = offset.y - 1 + round(self.scroll_y)
        return row if row < self._count else None

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        offset = event.get_content_offset(self)
        if row == -1 and offset is not None:
            x = offset.x + round(self.scroll_x)
            for index, (_, width) in enumerate(self.columns()):
                x -= width + 2 * PADDING
                if x < 0:
                    self._header_clicked(index)  # the cursor stays where it is
                    break
        elif row is not None:
            event.stop()
            if row == self._cursor:
                self._picked(row)  # a second click on a row opens it
            self.move_cursor(row=row)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        if row != self._hover:
            if self._hover is not None:
                self.refresh_line(self._hover + 1)
            self._hover = row
            if row is not None:
                self.refresh_line(row + 1)

    def on_leave(self, _: events.Leave) -> None:
        self._keyboard()

    # -- drawing --------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_state = None  # a theme or a pseudo-class changed: styles and lines again

    def on_resize(self) -> None:
        self._strips.clear()

    def forget_lines(self) -> None:
        """Every line drawn again (its cells changed)."""
        self._strips.clear()
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base_style = self.rich_style  # looked up once a frame: it walks the ancestors
        state = self.get_pseudo_class_state()
        if state != self._style_state:
            self._style_state = state
            self._strips.clear()
            rows = {name: self.get_component_styles(f"row-table--{name}").rich_style for name in ("header", "even-row", "odd-row")}
            self._styles = rows | {
                name: self.get_component_rich_style(f"row-table--{name}") for name in ("cursor", "hover", "header-hover")
            }
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        row = -1 if y == 0 else y - 1 + scroll_y
        if row >= self._count:
            return Strip.blank(width, self._base_style)
        key = (row, row == self._cursor, row == self._hover)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._draw(row, key[1], key[2])
        return strip.crop_extend(scroll_x, scroll_x + width, self._base_style)

    def _draw(self, row: int, cursor: bool, hover: bool) -> Strip:
        """One whole line (the header for row -1), as a DataTable draws it."""
        styles = self._styles
        header = row == -1
        row_style = styles["header" if header else "odd-row" if row % 2 else "even-row"]
        over = Style()
        if hover:
            over += styles["hover"] + (styles["header-hover"] if header else Style())
        if cursor:
            over += styles["cursor"]
        post = Style.from_color(over.color, over.bgcolor)  # the cursor's colours win over a cell's own
        pre = row_style + over
        columns = self.columns()
        cells = [label for label, _ in columns] if header else self.row_cells(row)
        segments: list[Segment] = []
        for cell, (_, width) in zip(cells, columns, strict=True):
            segments += cell_segments(fit(cell, width), pre, post, PADDING)
        used = sum(width + 2 * PADDING for _, width in columns)
        segments.append(Segment(" " * max(0, self._width - used), row_style + over + _FILL_META))
        # Runs of one style as one: each run is a colour code and a reset down the wire (over SSH, a
        # repainted 120x40 book was 19 KB with a run per cell). A click finds its column by x, not by style.
        return Strip(Segment.simplify(segments))
