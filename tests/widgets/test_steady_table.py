"""SteadyTable keeps its rendered cells when the CSS is applied again unchanged, and only then.

Textual applies every node's CSS again when a screen comes back; a DataTable
rendered every visible cell again each time. The table must still draw anew
when its look does change: a new theme, or the focus leaving it (the cursor's
colours).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input
from textual.widgets import _data_table as data_table_module

from ccm_tui.widgets.steady_table import SteadyTable
from tests.pilot_helpers import settle


class TableApp(App[None]):
    CSS = """
    Screen.-alert SteadyTable > .datatable--cursor { background: red; }
    """

    def compose(self) -> ComposeResult:
        yield SteadyTable[str](id="table")
        yield Input(id="field")

    def on_mount(self) -> None:
        table = self.query_one(SteadyTable)
        table.cursor_type = "row"
        table.add_columns("Name", "When")
        for n in range(8):
            table.add_row(f"Customer {n}", f"Dec {n + 1}")
        table.focus()


@pytest.fixture
def cell_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many cells have been rendered with Rich so far: DataTable reads a cell's content only to render it."""
    seen: list[int] = []
    original = SteadyTable._get_row_renderables

    def counted(self: SteadyTable[Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SteadyTable, "_get_row_renderables", counted)
    return seen


def cursor_style(app: TableApp) -> Any:
    """The style the first row's name is drawn with: the row under the cursor."""
    line = app.query_one(SteadyTable).render_line(1)  # line 0 is the header
    return next(segment.style for segment in line if "Customer 0" in segment.text)


async def drawn(pilot: Any, app: TableApp, renders: list[int]) -> int:
    """Settled, and drawn: a repaint renders no cell (DataTable measures its columns once idle, then draws again)."""
    table = app.query_one(SteadyTable)
    for _ in range(10):
        await settle(pilot, app)
        before = len(renders)
        table.refresh()
        await settle(pilot, app)
        if len(renders) == before:
            return before
    raise AssertionError(f"the table kept rendering cells: {len(renders)}")


async def test_css_applied_again_unchanged_renders_no_cell(cell_renders: list[int]) -> None:
    app = TableApp()
    async with app.run_test(size=(60, 14)) as pilot:
        before = await drawn(pilot, app, cell_renders)
        assert before  # drawn once
        app.screen.update_node_styles(animate=False)  # what a screen's return does
        await settle(pilot, app)
        assert len(cell_renders) == before


async def test_a_new_look_of_the_cursor_draws_the_cells_again(cell_renders: list[int]) -> None:
    # Only the cursor's component style changes (a class on the screen): the table's own style and state do not.
    app = TableApp()
    async with app.run_test(size=(60, 14)) as pilot:
        before = await drawn(pilot, app, cell_renders)
        cursor = cursor_style(app)
        app.screen.add_class("-alert")
        await settle(pilot, app)
        assert len(cell_renders) > before
        assert cursor_style(app) != cursor
        assert cursor_style(app).bgcolor.name == "#ff0000"


async def test_a_new_theme_draws_the_cells_again(cell_renders: list[int]) -> None:
    app = TableApp()
    async with app.run_test(size=(60, 14)) as pilot:
        app.theme = "textual-dark"
        before = await drawn(pilot, app, cell_renders)
        cursor = cursor_style(app)
        app.theme = "textual-light"
        await settle(pilot, app)
        assert len(cell_renders) > before
        assert cursor_style(app) != cursor


async def test_the_focus_leaving_draws_the_cursor_again(cell_renders: list[int]) -> None:
    app = TableApp()
    async with app.run_test(size=(60, 14)) as pilot:
        before = await drawn(pilot, app, cell_renders)
        cursor = cursor_style(app)
        app.query_one(Input).focus()
        await settle(pilot, app)
        assert len(cell_renders) > before
        assert cursor_style(app) != cursor


class FixedApp(App[None]):
    """The same rows in a SteadyTable and a plain DataTable, every column of a fixed width."""

    def compose(self) -> ComposeResult:
        yield SteadyTable[str](id="steady")
        yield DataTable[str](id="plain")

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.add_column("Name", width=14)
            table.add_column("When", width=8)
            for n in range(40):
                table.add_row(f"Customer {n}", f"Dec {n % 30 + 1}")


async def test_rows_under_fixed_widths_are_not_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    measured: list[str] = []
    original = data_table_module.measure

    def counted(console: Any, renderable: Any, default: int, **kwargs: Any) -> int:
        measured.append(str(getattr(renderable, "plain", renderable)))
        return original(console, renderable, default, **kwargs)

    monkeypatch.setattr(data_table_module, "measure", counted)
    app = FixedApp()
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot, app)
        steady, plain = app.query_one("#steady", SteadyTable), app.query_one("#plain", DataTable)
        assert steady.virtual_size == plain.virtual_size  # the same scrollable size, measured or not
        cells = [cell for row in range(40) for cell in plain.get_row_at(row)]
        assert len([r for r in measured if r in cells]) == len(cells)  # the plain one measured each cell once
        measured.clear()
        steady.add_row("Customer 99", "Dec 31")
        await settle(pilot, app)
        assert measured == []
        assert steady.virtual_size.height == plain.virtual_size.height + 1
        steady.add_column("Auto")  # a column that takes its content's width: measured as DataTable does
        steady.add_row("Customer 100", "Jan 1", "wide content here")
        await settle(pilot, app)
        assert "wide content here" in measured
