"""Saving while another ccm holds the book (a long import): a "Book busy" note, retries, then a clear refusal.

The other writer is a thread holding SQLite's write lock until the test lets
go (tests/book_lock.py); the store waits 100 ms per try instead of five
seconds, and the give-up test allows the save half a second in all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.checklist import ItemState
from ccm_tui.errors import BookBusy
from ccm_tui.screens import base
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import BookLocation, Services, open_book
from ccm_tui.store import engine as engine_module
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import CustomerRow
from tests.book_lock import HeldLock
from tests.pilot_helpers import settle
from tests.ui.test_checklist_screen import highlight, item_row, open_checklist

WAIT_AT_MOST_S = 30.0


@pytest.fixture
def impatient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Engines made after this wait 100 ms for a held lock, not five seconds."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return tmp_path / "book.sqlite"


@pytest.fixture
def services(impatient: None, book: Path, settings: Settings, clock: FixedClock) -> Services:
    opened, _ = open_book(BookLocation.file(book), settings, clock)
    return opened


@pytest.fixture
def app(services: Services, settings: Settings, clock: FixedClock, book: Path) -> CcmApp:
    return CcmApp(settings, clock, BookLocation.file(book), services=services)


def customers(services: Services) -> int:
    with read_session(services.engine) as session:
        return session.scalar(select(func.count()).select_from(CustomerRow)) or 0


async def wait_for(pilot: Pilot, holds: Callable[[], bool], what: str) -> None:  # type: ignore[type-arg]
    """Poll until `holds()`: the save worker runs on its own while the lock is held, so settle() would wait for it."""
    give_up = time.monotonic() + WAIT_AT_MOST_S
    while not holds():
        if time.monotonic() > give_up:
            raise AssertionError(f"still waiting for {what}")
        await pilot.pause(0.02)


async def fill_new_customer(pilot: Pilot, app: CcmApp) -> FormDialog:  # type: ignore[type-arg]
    await settle(pilot, app)
    await pilot.press("n")
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, FormDialog)
    dialog.query_one("#field-name", Input).value = "Busy Day Ltd"
    dialog.query_one("#field-account_number", Input).value = "NA-77001"
    dialog.query_one("#field-region").value = "NA"  # type: ignore[attr-defined]
    dialog.query_one("#field-hours_per_month", Input).value = "8"
    return dialog


def banner(dialog: FormDialog) -> str:  # type: ignore[type-arg]
    return str(dialog.query_one("#form-banner", Static).render())


async def test_a_save_during_a_long_write_says_book_busy_then_goes_through(app: CcmApp, services: Services, book: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await fill_new_customer(pilot, app)
        with HeldLock(book) as lock:
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "Book busy" in banner(dialog), "the book-busy note")
            assert "another ccm is writing (an import?)" in banner(dialog)
            assert app.screen is dialog and customers(services) == 0
            lock.release()  # the import is done
            await wait_for(pilot, lambda: app.screen is not dialog, "the form to close")
        await settle(pilot, app)
        assert isinstance(app.screen, CustomerDetailScreen), "the new customer opens, as after any save"
        assert app.is_running
    with read_session(services.engine) as session:
        saved = session.scalars(select(CustomerRow)).one()
    assert (saved.name, saved.account_number) == ("Busy Day Ltd", "NA-77001")


async def test_a_save_gives_up_with_a_clear_message_and_keeps_the_input(
    app: CcmApp, services: Services, book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "BUSY_PATIENCE_S", 0.5)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await fill_new_customer(pilot, app)
        with HeldLock(book):
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "stayed busy" in banner(dialog), "the save to give up")
            await settle(pilot, app)
        assert banner(dialog) == (
            "the book stayed busy for 0.5 s (another ccm is writing, an import?); nothing was written: try again when it is done"
        )
        assert app.screen is dialog and app.is_running
        assert dialog.query_one("#field-name", Input).value == "Busy Day Ltd"
        assert dialog.query_one("#field-account_number", Input).value == "NA-77001"
        assert customers(services) == 0
        # The import has finished: the same input saves at the next ctrl+s.
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is not dialog
    assert customers(services) == 1


async def test_a_book_busy_no_screen_caught_is_a_notification_not_the_end(app: CcmApp) -> None:
    def stubborn_write() -> None:
        raise BookBusy()

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.run_worker(stubborn_write, thread=True)
        await settle(pilot, app)
        assert app.is_running and app.return_code is None
        messages = [n.message for n in app._notifications]
    assert "The book is busy: another ccm is writing (an import?); try again" in messages


async def test_closing_the_form_while_the_book_is_busy_writes_nothing(app: CcmApp, services: Services, book: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await fill_new_customer(pilot, app)
        with HeldLock(book) as lock:
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "Book busy" in banner(dialog), "the book-busy note")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is not dialog, "the form to close")
            # the save stops at its next try; only then does the import finish
            await wait_for(pilot, lambda: all(w.is_finished for w in app.workers), "the save to stop")
            lock.release()
        await settle(pilot, app)
        assert app.is_running
    assert customers(services) == 0


async def test_a_checklist_tick_during_a_long_write_says_book_busy_then_saves(
    impatient: None, demo_app: CcmApp, demo_services: Services
) -> None:
    demo_book = Path(str(demo_services.engine.url.database))
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        item_id = await highlight(pilot, demo_app, screen, lambda line: line.item.state is ItemState.OPEN)
        with HeldLock(demo_book) as lock:
            await pilot.press("space")
            await wait_for(pilot, lambda: base.BUSY_NOTE in [n.message for n in demo_app._notifications], "the note")
            assert item_row(demo_services, item_id).state == "open"
            lock.release()
            await wait_for(pilot, lambda: item_row(demo_services, item_id).state == "done", "the tick to be saved")
        await settle(pilot, demo_app)
        assert demo_app.is_running
