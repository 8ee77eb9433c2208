"""Reading the book again draws only what moved: over SSH a redrawn table is 13 KB for nothing."""

from __future__ import annotations

from textual.widgets import Static

from ccm_tui.app import CcmApp
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.services import Services
from ccm_tui.widgets.customer_table import CustomerTable
from tests.book_edits import rename
from tests.pilot_helpers import settle, wait_until


async def test_a_reload_that_changed_nothing_draws_nothing_and_one_that_did_draws(
    demo_app: CcmApp, demo_services: Services
) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        book = demo_app.screen
        assert isinstance(book, CustomerBookScreen)
        table = book.query_one(CustomerTable)
        status = book.query_one("#book-status", Static)
        table.move_cursor(row=5)
        drawn: list[int] = []
        rows_changed, status_update = table.rows_changed, status.update
        table.rows_changed = lambda *a, **k: (drawn.append(1), rows_changed(*a, **k))[1]  # type: ignore[method-assign]
        status.update = lambda *a, **k: (drawn.append(2), status_update(*a, **k))[1]  # type: ignore[method-assign]
        reads = book.shown_query

        book.reload_book()
        await wait_until(pilot, lambda: book.shown_query is not reads, "the book read again")
        await settle(pilot, demo_app)
        assert drawn == [], "the same rows and words were not drawn again"
        assert table.cursor_row == 5

        customer = table.current()
        assert customer is not None
        rename(demo_services, customer.customer_id, customer.name + " Renamed")
        reads = book.shown_query
        book.reload_book()
        await wait_until(pilot, lambda: book.shown_query is not reads, "the book read again")
        await settle(pilot, demo_app)
        assert 1 in drawn, "a renamed customer is drawn"
        shown = table.current()
        assert shown is not None and shown.customer_id == customer.customer_id and shown.name.endswith(" Renamed")
