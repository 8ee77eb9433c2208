"""Issue 12: key columns (account and order numbers) are never shortened, and a shortened cell ends in "…"."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable, TabbedContent

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.waiting_steps import WaitingStepsScreen
from ccm_tui.services import Services
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle

SIZES = [(80, 24), (120, 40)]


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def check_table(table: DataTable, key_label: str, keys: set[str]) -> None:  # type: ignore[type-arg]
    """Every visible row's key in full in its column; the table fits; a cut cell ends in "…"."""
    assert table.virtual_size.width <= table.size.width, "the table scrolls sideways"
    labels = [str(c.label) for c in table.columns.values()]
    key_index = labels.index(key_label)
    key_column = list(table.columns.values())[key_index]
    visible = range(min(table.row_count, table.size.height - 1))
    shown = {_plain(table.get_row_at(r)[key_index]).split(" ")[0] for r in visible}
    assert shown <= keys
    assert key_column.get_render_width(table) - 2 * table.cell_padding >= max(cell_len(k) for k in shown)
    for r in visible:
        for c, column in enumerate(table.columns.values()):
            value = _plain(table.get_row_at(r)[c])
            lines = table._render_cell(r, c, Style(), column.get_render_width(table))
            drawn = "".join(segment.text for segment in lines[0]).strip()
            if c == key_index:
                assert drawn.startswith(value.split(" ")[0]), (drawn, value)
            assert drawn == value.strip() or drawn.endswith("…"), (labels[c], drawn, value)


def check_book(table: CustomerTable, keys: set[str]) -> None:
    """check_table for the book, which draws its own lines: each cell read off the line drawn."""
    assert table.virtual_size.width <= table.size.width, "the table scrolls sideways"
    labels = [label for label, _ in table.column_widths]
    key_index = labels.index("Account")
    visible = range(min(table.row_count, table.size.height - 1))
    assert visible, "rows are shown"
    for r in visible:
        line, x = table.render_line(r + 1).text, 0
        for c, ((label, width), value) in enumerate(zip(table.column_widths, table.get_row_at(r), strict=True)):
            drawn, x = line[x + 1 : x + 1 + width].strip(), x + width + 2
            if c == key_index:
                assert drawn == value and value in keys, (drawn, value)
            assert drawn == value.strip() or drawn.endswith("…"), (label, drawn, value)


@pytest.mark.parametrize("size", SIZES)
async def test_no_key_column_is_shortened(demo_app: CcmApp, demo_services: Services, size: tuple[int, int]) -> None:
    book = demo_services.book
    accounts = {row.account_number for row in book.book_page(BookQuery()).rows}
    ids = [row.customer_id for row in book.book_page(BookQuery()).rows]
    details = [book.customer_detail(i) for i in ids]
    # the customer with the longest e-mail, so the contacts tab must give way somewhere
    detail = max(details, key=lambda d: max((cell_len(c.email) for c in d.contacts), default=0))
    orders = {line.order.number for line in detail.orders}
    waiting, _ = demo_services.calendar.waiting(CalendarFilter())
    async with demo_app.run_test(size=size) as pilot:
        await settle(pilot, demo_app)
        check_book(demo_app.screen.query_one(CustomerTable), accounts)

        await demo_app.push_screen(CustomerDetailScreen(detail.customer.id))
        await settle(pilot, demo_app)
        tabs = demo_app.screen.query_one(TabbedContent)
        contacts = demo_app.screen.query_one("#contacts-table", DataTable)
        check_table(contacts, "Phone", {c.phone.split(" ")[0] for c in detail.contacts})
        tabs.active = "orders"
        await settle(pilot, demo_app)
        check_table(demo_app.screen.query_one("#orders-table", DataTable), "Order", orders)
        tabs.active = "activations"
        await settle(pilot, demo_app)
        check_table(demo_app.screen.query_one("#activations-table", DataTable), "Order", orders)

        await demo_app.push_screen(WaitingStepsScreen(CalendarFilter()))
        await settle(pilot, demo_app)
        check_table(demo_app.screen.query_one(DataTable), "Order", {w.order_number for w in waiting})
