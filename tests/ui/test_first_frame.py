"""Before the book is open: the first frame comes without the ORM, and keys that need the book wait.

The app opens the book in a worker after the first frame. Until it is open
the book's own keys and the command palette are dimmed and do nothing; a
filter typed meanwhile is the query of the first page.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.book import BookQuery
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.services import Services
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle

BOOK_KEYS = {"n", "e", "t", "i", "x"}


def never_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    """The book stays closed, as while another ccm's import holds it."""
    monkeypatch.setattr(CcmApp, "_open_book", lambda self: None)


def enabled_keys(app: CcmApp) -> dict[str, bool]:
    return {key: active.enabled for key, active in app.screen.active_bindings.items()}


def test_the_first_frame_imports_no_orm(tmp_path: Path) -> None:
    # In a fresh interpreter: this one has imported the ORM for other tests.
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from ccm_tui.app import CcmApp
        from ccm_tui.book_location import BookLocation
        from datetime import UTC, datetime
        from ccm_tui.clock import FixedClock
        from ccm_tui.config import Settings

        CcmApp._open_book = lambda self: None

        async def main():
            app = CcmApp(Settings(), FixedClock(datetime(2026, 11, 20, tzinfo=UTC)), BookLocation.file(Path({str(tmp_path)!r}) / "book.sqlite"))
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                print(type(app.screen).__name__, sorted(m for m in ("sqlmodel", "sqlalchemy") if m in sys.modules))

        asyncio.run(main())
        """
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "CustomerBookScreen []"


async def test_book_keys_and_the_palette_wait_for_the_book(
    monkeypatch: pytest.MonkeyPatch, demo_services: Services, settings: Settings, clock: FixedClock
) -> None:
    word = demo_services.book.book_page(BookQuery(limit=1)).rows[0].name.split()[0].lower()
    never_opening(monkeypatch)
    app = CcmApp(settings, clock, BookLocation(url=str(demo_services.engine.url), label="Demo book", demo=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert "Opening the book" in str(app.screen.query_one("#book-status", Static).render())
        keys = enabled_keys(app)
        assert {key for key in BOOK_KEYS if keys.get(key)} == set()
        assert keys["slash"] and keys["s"]  # the filter and the sort need no book
        for key in ("n", "i", "ctrl+p"):
            await pilot.press(key)
        await settle(pilot, app)
        assert len(app.screen_stack) == 1 and not app._notifications
        await pilot.press("slash", *word, "enter")  # typed before the book opens
        await settle(pilot, app)

        app.services = demo_services
        await settle(pilot, app)
        assert all(enabled_keys(app)[key] for key in BOOK_KEYS)
        screen = app.screen
        assert isinstance(screen, CustomerBookScreen)
        assert screen.query_one("#book-filter", Input).value == word
        assert screen.shown_query is not None and screen.shown_query.text == word
        expected = demo_services.book.book_page(screen.shown_query).total
        assert screen.query_one(CustomerTable).loaded == expected > 0
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        assert len(app.screen_stack) == 2


async def test_what_is_loaded_once_the_book_opens_is_kept_out_of_full_collections(demo_app: CcmApp) -> None:
    # A full collection walked the ORM, Textual and the first screen again each time: 70-80 ms stalls on n/p.
    assert gc.get_freeze_count() == 0  # (conftest unfreezes after each test)
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert demo_app.services is not None and gc.get_freeze_count() > 10_000
