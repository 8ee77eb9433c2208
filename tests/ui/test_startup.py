"""The app's own start: it opens the book in a worker after the first frame."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Static

from ccm_tui.app import CcmApp
from ccm_tui.book_location import BookLocation
from ccm_tui.cli.common import Context
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.store.engine import make_engine
from ccm_tui.store.migrate import current_revision, head_revision
from tests.ui.test_customer_book import settle


async def test_a_new_book_file_is_created_migrated_and_shown_empty(tmp_path: Path, settings: Settings, clock: FixedClock) -> None:
    # The default location, as `ccm` opens it: the only book whose folder ccm makes.
    book = Context(settings, clock, None).book()
    path = book.path
    assert path is not None and not path.exists()
    app = CcmApp(settings, clock, book)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.services is not None
        assert str(app.screen.query_one("#book-status", Static).render()).startswith("0 customers · ")
    assert current_revision(make_engine(f"sqlite:///{path}")) == head_revision()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


async def test_a_foreign_database_is_refused_with_one_clear_line(tmp_path: Path, settings: Settings, clock: FixedClock) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    app = CcmApp(settings, clock, BookLocation.file(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
    assert app.return_code == 2
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"invoices"}, "a file that is not a ccm book must be left alone"


async def test_a_book_path_that_cannot_be_made_is_refused(tmp_path: Path, settings: Settings, clock: FixedClock) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the book's folder should be")
    app = CcmApp(settings, clock, BookLocation.file(blocker / "book.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
    assert app.return_code == 2
    assert blocker.read_text() == "a file where the book's folder should be"
