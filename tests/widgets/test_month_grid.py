"""MonthGrid alone: keys move its cursor and post Moved/Picked; the grid draws counts and markers."""

from __future__ import annotations

from datetime import date

import pytest

from ccm_tui.domain.schedule import DaySummary
from ccm_tui.text.event_text import LEGEND
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.month_grid import MonthGrid
from tests.pilot_helpers import settle
from tests.widgets.data import FMT, FRIDAY, MONDAY, month
from tests.widgets.harness import Harness, plain

NOVEMBER = date(2026, 11, 1)


def grid_app(fmt: Formatter = FMT) -> tuple[Harness, MonthGrid]:
    grid = MonthGrid(fmt)
    grid.summary = month(NOVEMBER, d23=DaySummary(MONDAY, events=5, late=2, on_call=1))
    grid.month, grid.cursor, grid.today = NOVEMBER, FRIDAY, FRIDAY
    return Harness(grid), grid


@pytest.mark.parametrize(
    ("keys", "moved_to"),
    [
        (["l"], [date(2026, 11, 21)]),
        (["right", "right", "right"], [date(2026, 11, 21), date(2026, 11, 22), MONDAY]),  # keys add up at once
        (["h"], [date(2026, 11, 19)]),
        (["j"], [date(2026, 11, 27)]),
        (["up"], [date(2026, 11, 13)]),
        (["k", "k", "k"], [date(2026, 11, 13), date(2026, 11, 6), date(2026, 10, 30)]),  # off the month: the screen decides
    ],
)
async def test_keys_move_the_cursor_and_say_so(keys: list[str], moved_to: list[date]) -> None:
    app, grid = grid_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*keys)
        await settle(pilot)
        assert app.posted == [MonthGrid.Moved(day) for day in moved_to]
        assert grid.cursor == moved_to[-1]


async def test_enter_picks_the_day_under_the_cursor() -> None:
    app, _grid = grid_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "enter")
        await settle(pilot)
        assert app.posted[-1] == MonthGrid.Picked(date(2026, 11, 21))


async def test_a_day_shows_its_count_and_markers_without_colour() -> None:
    app, grid = grid_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = plain(grid)
        assert "23 5 LA " in text  # 5 events, late (L) and on call (A)
        assert "20 · " in text  # no events


@pytest.mark.parametrize(
    ("locale", "first_row", "rows"),
    [("en_US", date(2026, 11, 1), 5), ("en_GB", date(2026, 10, 26), 6)],  # Sunday- and Monday-first weeks
)
async def test_the_weeks_follow_the_locale(locale: str, first_row: date, rows: int) -> None:
    app, grid = grid_app(Formatter(locale))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert grid.weeks()[0] == first_row and len(grid.weeks()) == rows
        assert grid.size.height == 2 + rows  # weekday names, the weeks, the legend


async def test_tall_days_take_three_lines_each() -> None:
    app, grid = grid_app()
    async with app.run_test(size=(100, 40)) as pilot:
        grid.tall = True
        await settle(pilot)
        assert grid.size.height == 2 + 5 * 3
        assert "5 events" in plain(grid)


async def test_a_month_without_its_counts_shows_its_days_and_loading() -> None:
    """A summary of another month (or none) is not drawn over this month's days: they show, with "Loading…"."""
    app, grid = grid_app()
    async with app.run_test(size=(100, 30)) as pilot:
        grid.month, grid.cursor = date(2026, 12, 1), date(2026, 12, 4)  # November's summary still set
        await settle(pilot)
        text = plain(grid)
        assert "Loading…" in text and LEGEND not in text
        assert "31" in text and "23 5" not in text  # December's 31 days, none of November's counts
        grid.summary = month(date(2026, 12, 1))
        await settle(pilot)
        text = plain(grid)
        assert "Loading…" not in text and LEGEND in text
        assert "4  · " in text
