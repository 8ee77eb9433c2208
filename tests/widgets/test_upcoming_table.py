"""UpcomingTable alone: Highlighted as the cursor moves, Chosen on Enter, NeedMore asked once."""

from __future__ import annotations

from textual.coordinate import Coordinate

from ccm_tui.widgets.upcoming_table import LOAD_AHEAD, UpcomingTable
from tests.pilot_helpers import settle
from tests.widgets.data import FMT, upcoming_row
from tests.widgets.harness import Harness

PAGE = (upcoming_row(1, at_risk=True, fee="500"), upcoming_row(2, at_risk=True), *(upcoming_row(i) for i in range(3, 16)))


async def test_moving_highlights_and_enter_chooses() -> None:
    table = UpcomingTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_page(PAGE, False, append=False)
        await settle(pilot)
        app.posted.clear()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.posted == [UpcomingTable.Highlighted(2), UpcomingTable.Chosen(2)]


async def test_more_rows_are_asked_for_once_per_page() -> None:
    table = UpcomingTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_page(PAGE, True, append=False)
        await pilot.press(*["down"] * (len(PAGE) - LOAD_AHEAD + 2))
        await settle(pilot)
        assert [m for m in app.posted if isinstance(m, UpcomingTable.NeedMore)] == [UpcomingTable.NeedMore(len(PAGE))]


async def test_risk_and_its_fee_in_words_and_the_recent_columns() -> None:
    table = UpcomingTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_page(PAGE, False, append=False)
        await settle(pilot)
        assert [str(table.get_cell_at(Coordinate(r, 0))) for r in range(3)] == ["RISK", "RISK", ""]
        fee = [k.value for k in table.columns].index("fee")
        assert [str(table.get_cell_at(Coordinate(r, fee))) for r in range(3)] == ["$500.00", "no schedule", ""]
        table.show_page(PAGE[:2], False, append=True, recent=True)  # a mode change starts over
        await settle(pilot)
        assert table.loaded == 2 and next(k.value for k in table.columns) == "traffic"
