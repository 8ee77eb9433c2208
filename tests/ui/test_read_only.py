"""A book this session may not write: opened `--read-only`, or a file ccm may not write.

The database refuses the write (SQLite opened `?mode=ro`): a write that
reaches it becomes `ReadOnlyBook`, one line; the app says "read-only" in
its header and shows no key it cannot use.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from ccm_tui.app import CcmApp
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.people import Access
from ccm_tui.errors import ReadOnlyBook
from ccm_tui.screens.activation_detail import ActivationDetailScreen
from ccm_tui.services import Services, open_book
from tests.book_edits import rename_first
from tests.pilot_helpers import settle
from tests.test_book_opening import read_only

EDIT_KEYS = {"n", "e", "t", "i"}  # new, edit, log time, import: the book screen's writes


def copy_of(master: Path, path: Path) -> Path:
    with closing(sqlite3.connect(master)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return path


def test_read_only_flag_opens_the_book_read_only(tmp_path: Path, demo_master: Path, settings: Settings, clock: FixedClock) -> None:
    path = copy_of(demo_master, tmp_path / "book.sqlite")
    services, _ = open_book(replace(BookLocation.file(path), read_only=True), settings, clock)
    assert services.access.read_only and services.access.label == "read-only"
    with pytest.raises(ReadOnlyBook, match=r"^read-only$"):
        rename_first(services)


def test_an_unwritable_file_opens_read_only(tmp_path: Path, demo_master: Path, settings: Settings, clock: FixedClock) -> None:
    path = copy_of(demo_master, tmp_path / "book.sqlite")
    with read_only(path):  # 0444, and chattr +i for root
        services, _ = open_book(BookLocation.file(path), settings, clock)
        assert services.access.label == "read-only: file"
        with pytest.raises(ReadOnlyBook, match=r"^read-only: file$"):
            rename_first(services)  # refused by SQLite itself: the file was opened ?mode=ro
        services.engine.dispose()


def test_a_read_only_import_is_one_line(
    tmp_path: Path, demo_master: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_of(demo_master, tmp_path / "book.sqlite")
    example = Path(__file__).resolve().parents[2] / "data" / "example-book"
    config = tmp_path / "config.toml"
    config.write_text('ccm_name = "Alex Morgan"\n', encoding="utf-8")
    env = {"CCM_CONFIG": str(config), "CCM_NOW": "2026-11-20T15:30", "TZ": "UTC"}
    code = main(["--db", str(path), "--read-only", "import", "all", str(example)], env)
    err = capsys.readouterr().err
    assert code != 0
    assert err.strip().splitlines() == ["ccm: read-only"], err


async def test_a_read_only_book_shows_no_edit_keys(
    tmp_path: Path, demo_master: Path, settings: Settings, clock: FixedClock
) -> None:
    path = copy_of(demo_master, tmp_path / "book.sqlite")
    book = replace(BookLocation.file(path), read_only=True)
    services, _ = open_book(book, settings, clock)
    app = CcmApp(settings, clock, book, services=services)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        shown = {key for key, active in app.screen.active_bindings.items() if active.binding.show}
        assert not set(app.screen.active_bindings) & EDIT_KEYS, shown
        assert {"slash", "s"} <= shown  # reading keys stay
        assert app.title == "Alex Morgan · lead · read-only"
        await pilot.press("n")  # hidden keys do nothing either
        await settle(pilot, app)
        assert type(app.screen).__name__ == "CustomerBookScreen"


async def test_a_writable_book_shows_who_you_are(demo_services: Services, settings: Settings, clock: FixedClock) -> None:
    book = BookLocation(url=str(demo_services.engine.url), label="Demo book", demo=True)
    app = CcmApp(settings, clock, book, services=demo_services)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert app.title == "Alex Morgan · lead"
        assert set(app.screen.active_bindings) >= EDIT_KEYS


async def test_on_call_keeps_the_no_show_and_the_note(demo_services: Services, settings: Settings, clock: FixedClock) -> None:
    # The grants are PostgreSQL's (tests/services/test_team_roles.py); here, what the screen offers.
    demo_services.access = Access(read_only=True, why="on-call")
    with closing(sqlite3.connect(demo_services.engine.url.database or "")) as connection:
        (activation_id,) = connection.execute("SELECT id FROM activation ORDER BY id LIMIT 1").fetchone()
    book = BookLocation(url=str(demo_services.engine.url), label="Demo book", demo=True)
    app = CcmApp(settings, clock, book, services=demo_services)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        app.push_screen(ActivationDetailScreen(activation_id))
        await settle(pilot, app)
        keys = set(app.screen.active_bindings)
        assert {"S", "n", "a", "escape"} <= keys  # no-show, note, the (filtered) menu
        assert not keys & {"s", "x", "R", "c", "v", "d", "N", "l", "T", "m"}
        assert app.title.endswith("· read-only: on-call")
