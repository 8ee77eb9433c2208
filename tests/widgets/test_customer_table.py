"""CustomerTable alone: pages in, Picked on Enter or a second click, NeedMore near the end, columns by width, sorting by header."""

from __future__ import annotations

from ccm_tui.domain.book import BookSort
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
        flags = [table.get_row_at(row)[table.column_keys.index("flags")] for row in range(table.row_count)]
        assert flags == ["CCD LATE NR", ""]


async def test_below_110_columns_region_and_ccm_go() -> None:
    table = CustomerTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(80, 24)) as pilot:
        table.show_page(PAGE, 20, append=False)
        await settle(pilot)
        assert table.column_keys == ("name", "account", "next", "hours", "flags")
        await pilot.press("down", "down")
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert table.column_keys == ("name", "account", "region", "ccm", "next", "hours", "flags")
        assert table.current() == PAGE[2]  # the rebuild keeps the cursor


async def test_a_header_click_sorts_and_a_second_click_on_a_row_opens_it() -> None:
    table = CustomerTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_page(PAGE, 20, append=False)
        await settle(pilot)
        name_width = table.column_widths[0][1] + 2
        await pilot.click(CustomerTable, offset=(name_width + 1, 0))  # the Account label
        await pilot.click(CustomerTable, offset=(2, 3))  # the third row: selected
        await settle(pilot)
        assert app.posted == [CustomerTable.SortPicked(BookSort.ACCOUNT)] and table.cursor_row == 2
        await pilot.click(CustomerTable, offset=(2, 3))  # again: opened
        await settle(pilot)
        assert app.posted[-1] == CustomerTable.Picked(3)


async def test_page_down_moves_a_screenful_and_the_rows_shown_follow_the_cursor() -> None:
    table = CustomerTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 12)) as pilot:
        table.show_page(PAGE, 20, append=False)
        await settle(pilot)
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.cursor_row == 11 and table.scroll_y > 0  # 11 rows below the header
        cursor_line = table.cursor_row + 1 - round(table.scroll_y)
        assert table.render_line(cursor_line).text.startswith(" Customer 012")
        await pilot.press("pageup")
        await settle(pilot)
        assert table.cursor_row == 0 and table.scroll_y == 0


async def test_the_cursor_row_is_drawn_blurred_without_the_focus() -> None:
    table = CustomerTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_page(PAGE, 20, append=False)
        await settle(pilot)
        focused = table.render_lines(table.size.region)[1]
        table.blur()
        await settle(pilot)
        blurred = table.render_lines(table.size.region)[1]
        assert focused.text == blurred.text and list(focused) != list(blurred)
