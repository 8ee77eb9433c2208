"""Opening the book safely: a folder, a read-only
file, a damaged file and a mistyped folder each get one line saying which,
and only the default location's folder is ever made, 0700.

CLI tests call `main(argv, env)` in-process, as tests/test_cli.py does.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.services import BookLocation, open_book
from ccm_tui.store.engine import BookUnavailable, make_engine, sqlite_url
from tests.test_cli import PINNED, data_home, one_error_line


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def new_book(path: Path, settings: Settings, clock: FixedClock) -> Path:
    services, _ = open_book(BookLocation.file(path), settings, clock)
    services.engine.dispose()
    return path


def oncall(db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--db", str(db), "oncall"], env=dict(PINNED))
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, one_error_line(captured.err)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` made read-only for this process; root ignores modes, so it gets the immutable flag."""
    path.chmod(0o444)
    immutable = hasattr(os, "geteuid") and os.geteuid() == 0
    try:
        if immutable:
            made = shutil.which("chattr") and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
            if not made:
                pytest.skip("as root a file is read-only only with chattr +i, which this file system refuses")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        path.chmod(0o644)


# -- item 12: a folder, a read-only file, a damaged file -----------------------------------------


def test_a_folder_is_named_as_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, line = oncall(tmp_path, capsys)
    assert code != 0
    assert line.startswith(f"ccm: {tmp_path} is a folder, not a book; give the book's file, such as {tmp_path / 'book.sqlite'}")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_book_opens_read_only_and_is_left_alone(
    tmp_path: Path, settings: Settings, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    book = new_book(tmp_path / "book.sqlite", settings, clock)
    before = book.read_bytes()
    with read_only(book):
        with pytest.raises(BookUnavailable, match="is read-only") as caught:
            make_engine(sqlite_url(book))  # a writable open is still refused...
        assert caught.value.reason == "read-only"
        code = main(["--db", str(book), "oncall"], env=dict(PINNED))  # ...the book opens read-only instead
        captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    assert book.read_bytes() == before


def _backups(ages: dict[str, int]) -> Path:
    """Backup files in the test's backups folder, each with its own modification time."""
    folder = data_home() / "backups"
    folder.mkdir(parents=True)
    for name, age in ages.items():
        (folder / name).write_bytes(b"a backup")
        os.utime(folder / name, (1_700_000_000 + age, 1_700_000_000 + age))
    return folder


def test_a_file_that_is_not_sqlite_says_damaged_and_where_the_newest_backup_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.sqlite"
    book.write_bytes(b"\x00garbage" * 512)
    folder = _backups(
        {
            "book-0004-20261101T090000.sqlite": 300,  # newest, though an older revision sorts first
            "book-0003-20261120T090000.sqlite": 200,
            "other-0005-20261121T090000.sqlite": 900,  # another book's
        }
    )
    code, line = oncall(book, capsys)
    assert code != 0
    assert f"ccm: {book} is damaged, or is not a ccm book (it is not a SQLite database)" in line
    assert f"backups are in {folder}: book-0004-20261101T090000.sqlite" in line
    assert book.read_bytes() == b"\x00garbage" * 512


def test_a_malformed_book_says_damaged(
    tmp_path: Path, settings: Settings, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    book = new_book(tmp_path / "book.sqlite", settings, clock)
    with book.open("r+b") as file:  # keep the header, wreck the schema page after it
        file.seek(100)
        file.write(b"\xff" * 3000)
    damaged = book.read_bytes()

    code, line = oncall(book, capsys)

    assert code != 0
    assert f"ccm: {book} is damaged (database disk image is malformed)" in line
    assert f"there is no backup of it in {data_home() / 'backups'}" in line
    assert book.read_bytes() == damaged


# -- item 13: a mistyped folder ------------------------------------------------------------------


def test_a_missing_folder_is_refused_and_nothing_is_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, line = oncall(tmp_path / "typo" / "x", capsys)
    assert code != 0
    assert line.startswith(f"ccm: folder {tmp_path / 'typo'} does not exist; ccm makes a new book (x) only in an existing folder")
    assert list(tmp_path.iterdir()) == []


def test_ccm_db_from_the_environment_is_refused_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["oncall"], env={**PINNED, "CCM_DB": str(tmp_path / "typo" / "x")}) != 0
    assert "does not exist" in one_error_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_the_default_location_is_made_private(capsys: pytest.CaptureFixture[str]) -> None:
    home = data_home()
    assert not home.parent.exists()
    old_umask = os.umask(0o022)
    try:
        assert main(["oncall"], env=dict(PINNED)) == 0
    finally:
        os.umask(old_umask)
    assert "Nothing after hours" in capsys.readouterr().out
    assert (home / "book.sqlite").is_file()
    assert mode(home) == 0o700 and mode(home.parent) == 0o700


def test_a_new_book_in_an_existing_folder_is_still_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "new.sqlite"), "oncall"], env=dict(PINNED)) == 0
    assert mode(tmp_path / "new.sqlite") == 0o600


# -- item 16: the backups folder made before the book's own --------------------------------------


def test_a_backup_before_the_data_folder_exists_makes_every_folder_private(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from ccm_tui.store.migrate import upgrade
    from tests.store.test_migrate import (
        _add_customer_with_contact,
        _scripts_with_throwaway,
    )

    book = tmp_path / "book.sqlite"
    engine = make_engine(sqlite_url(book))
    now = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
    try:
        upgrade(engine, book, tmp_path / "unused", now)
        _add_customer_with_contact(engine)
        backups = tmp_path / "data" / "ccm" / "backups"
        old_umask = os.umask(0o022)
        try:
            result = upgrade(engine, book, backups, now, script_location=_scripts_with_throwaway(tmp_path))
        finally:
            os.umask(old_umask)
    finally:
        engine.dispose()
    assert result.backup is not None and result.backup.parent == backups
    assert [mode(p) for p in (backups, backups.parent, backups.parent.parent)] == [0o700, 0o700, 0o700]
    assert mode(result.backup) == 0o600
    with sqlite3.connect(result.backup) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def test_seed_into_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", str(tmp_path), "--customers", "1", "--activations", "0", "--force"], env=dict(PINNED)) != 0
    assert one_error_line(capsys.readouterr().err) == f"ccm: {tmp_path} is a folder; give the new book's file name"
    assert tmp_path.is_dir()
