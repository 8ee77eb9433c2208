"""CustomerTable alone: pages in, Picked on Enter, NeedMore near the end, columns by width."""

from __future__ import annotations

from ccm_tui.widgets.customer_table import LOAD_AHEAD, CustomerTable
from tests.pilot_helpers import settle
from tests.widgets.data import FMT, book_row
from tests.widgets.harness import Harness

PAGE = tuple(book_row(i) for i in range(1, 21))


async def test_enter_picks_the_customer_under_the_cursor() -> None:
    table = CustomerTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_page(PAGE, 20, append=False)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.posted == [CustomerTable.Picked(3)]


async def test_nearing_the_end_of_the_loaded_rows_asks_for_more_until_all_are_loaded() -> None:
    table = CustomerTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_page(PAGE, 25, append=False)
        await pilot.press(*["down"] * (len(PAGE) - LOAD_AHEAD - 1))
        await settle(pilot)
        assert app.posted == []
        await pilot.press("down")
        await settle(pilot)
        assert app.posted == [CustomerTable.NeedMore(20)]
        table.show_page(tuple(book_row(i) for i in range(21, 26)), 25, append=True)
        app.posted.clear()
        await pilot.press("end")
        await settle(pilot)
        assert table.loaded == 25 and table.complete and app.posted == []


async def test_flags_read_without_colour() -> None:
    table = CustomerTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_page((book_row(1, past_ccd=True, late=True, not_ready=True), book_row(2)), 2, append=False)
        await settle(pilot)
        flags = [str(table.get_cell(key, "flags")) for key in table.rows]
        assert flags == ["CCD LATE NR", ""]


async def test_below_110_columns_region_and_ccm_go() -> None:
    table = CustomerTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(80, 24)) as pilot:
        table.show_page(PAGE, 20, append=False)
        await settle(pilot)
        assert [str(k.value) for k in table.columns] == ["name", "account", "next", "hours", "flags"]
        await pilot.press("down", "down")
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert [str(k.value) for k in table.columns] == ["name", "account", "region", "ccm", "next", "hours", "flags"]
        assert table.current() == PAGE[2]  # the rebuild keeps the cursor
