"""Reading the book again draws only what moved: over SSH a redrawn table is 13 KB for nothing."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery
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


async def test_back_on_the_book_its_rows_are_read_again_only_once_the_book_moved(
    demo_app: CcmApp, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: list[BookQuery] = []
    page = demo_services.book.book_page
    monkeypatch.setattr(demo_services.book, "book_page", lambda query: pages.append(query) or page(query))
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        table = demo_app.screen.query_one(CustomerTable)
        table.move_cursor(row=3)
        pages.clear()
        await pilot.press("2")
        await settle(pilot, demo_app)
        await pilot.press("1")  # back a moment later, nothing written: the rows shown are still the book's
        await settle(pilot, demo_app)
        assert pages == [] and table.cursor_row == 3
        customer = table.current()
        assert customer is not None
        rename(demo_services, customer.customer_id, customer.name + " Renamed")
        await pilot.press("2")
        await settle(pilot, demo_app)
        await pilot.press("1")  # the change log moved: read again, the cursor on its customer
        await settle(pilot, demo_app)
        shown = table.current()
        assert len(pages) == 1 and shown is not None and shown.name == customer.name + " Renamed"
