"""k9s and lazygit habits: j/k/g/G move in whatever list has the focus; : opens the palette."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable

from ccm_tui.app import CcmApp
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle


async def test_j_k_g_and_shift_g_move_the_books_cursor(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        table = demo_app.screen.query_one(CustomerTable)
        assert table.cursor_row == 0
        await pilot.press("j", "j", "j", "k")
        assert table.cursor_row == 2
        await pilot.press("G")
        await settle(pilot, demo_app)
        assert table.cursor_row == table.row_count - 1 > 2
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_vi_keys_move_a_plain_table_too_and_type_into_a_filter(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, CustomerDetailScreen)
        contacts = screen.query_one("#contacts-table", DataTable)
        contacts.focus()
        await pilot.press("j")
        assert contacts.cursor_row == 1
        await pilot.press("G", "k")
        assert contacts.cursor_row == contacts.row_count - 2
        await pilot.press("escape", "slash", "j", "k")  # in the filter, j and k are letters
        await settle(pilot, demo_app)
        assert demo_app.screen.query_one("#book-filter").value == "jk"  # type: ignore[attr-defined]


async def test_colon_opens_the_palette(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("colon")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CommandPalette)
