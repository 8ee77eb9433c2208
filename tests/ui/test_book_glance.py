"""The first glance: customers on screen before the book is open, then the real page in their place.

While the ORM is imported and the book opened (held here by a latch), the book
shows its first customers by name with what is not read yet marked "…", never
as "none"; the real first page then replaces them, the cursor staying on the
customer it was on, and a filter typed meanwhile gets its own rows.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from ccm_tui import services as services_module
from ccm_tui.app import CcmApp
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.services import open_book
from ccm_tui.store.seed import seed_book
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import burst, settle, wait_until

CUSTOMERS = 90


@pytest.fixture(scope="module")
def book_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("glance") / "book.sqlite"
    services, _ = open_book(
        BookLocation.file(path), Settings(ccm_name="Alex Morgan"), FixedClock(datetime(2026, 11, 20, 14, tzinfo=UTC))
    )
    seed_book(services.engine, CUSTOMERS, 60, date(2026, 11, 20), hours=services.business_hours)
    services.engine.dispose()
    return path


@pytest.fixture
def latch(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The book's opening waits for it (the app's worker imports `open_book` when it runs)."""
    opened = threading.Event()

    def held_open(*args: Any) -> Any:
        if not opened.wait(60):
            raise AssertionError("the test never let the book open")
        return open_book(*args)

    monkeypatch.setattr(services_module, "open_book", held_open)
    return opened


def status(app: CcmApp) -> str:
    return str(app.screen.query_one("#book-status", Static).render())


async def test_the_first_customers_show_before_the_book_is_open(
    book_file: Path, latch: threading.Event, settings: Settings, clock: FixedClock
) -> None:
    app = CcmApp(settings, clock, BookLocation.file(book_file))
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.screen.query_one(CustomerTable)
        await wait_until(pilot, lambda: table.loaded > 0, "the first glance")
        assert app.services is None
        assert table.loaded == 60 and all(row.pending for row in table.rows_loaded)
        assert status(app) == f"{CUSTOMERS} customers · sorted by name (ascending)"
        first = table.get_row_at(0)
        package = table.rows_loaded[0].hours_package
        assert first[-3:] == ["…", f"…/{package:.0f}", "…"]  # next event, hours used, flags: not read yet
        await pilot.press("j", "j", "j")
        on = table.current()
        assert on is not None and table.cursor_row == 3
        for _ in range(50):  # near the glance's end: the next page waits for the book
            await pilot.press("j")
        latch.set()
        await wait_until(pilot, lambda: app.services is not None, "the book to open")
        await settle(pilot, app)
        assert not any(row.pending for row in table.rows_loaded)
        assert table.loaded == CUSTOMERS  # the rest came once the book was open
        assert table.cursor_row == 53 and table.current() is not None
        real = app.services.book.book_page(app.screen.book_query)
        assert [row.customer_id for row in table.rows_loaded[:60]] == [row.customer_id for row in real.rows]
        assert table.get_row_at(0)[-2] != "…"


async def test_the_cursor_stays_on_its_customer_when_the_real_page_comes(
    book_file: Path, latch: threading.Event, settings: Settings, clock: FixedClock
) -> None:
    app = CcmApp(settings, clock, BookLocation.file(book_file))
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.screen.query_one(CustomerTable)
        await wait_until(pilot, lambda: table.loaded > 0, "the first glance")
        await pilot.press("j", "j")
        chosen = table.current()
        assert chosen is not None
        latch.set()
        await wait_until(pilot, lambda: app.services is not None, "the book to open")
        await settle(pilot, app)
        now = table.current()
        assert now is not None and not now.pending and now.customer_id == chosen.customer_id


async def test_a_filter_typed_during_the_glance_gets_its_own_rows(
    book_file: Path, latch: threading.Event, settings: Settings, clock: FixedClock
) -> None:
    app = CcmApp(settings, clock, BookLocation.file(book_file))
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.screen.query_one(CustomerTable)
        await wait_until(pilot, lambda: table.loaded > 0, "the first glance")
        word = table.rows_loaded[-1].name.split()[0]
        await burst(pilot, ["slash", *word.lower()])
        latch.set()
        await wait_until(pilot, lambda: app.services is not None, "the book to open")
        await settle(pilot, app)
        assert table.loaded > 0 and not any(row.pending for row in table.rows_loaded)
        assert f"filter '{word.lower()}'" in status(app)
