"""The backup before an upgrade: never a file under a backup's
name until the copy is whole and checked; a partial one is removed at the next start.

The kill is real: a spawned process copies half the pages, then `os._exit`s
with no cleanup, as SIGKILL would leave it.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ccm_tui.errors import StoreError
from ccm_tui.store import migrate
from ccm_tui.store.engine import make_engine, sqlite_url, write_session
from ccm_tui.store.migrate import current_revision, partial_backup_path, upgrade
from tests.store.test_migrate import (
    HEAD,
    THROWAWAY,
    _add_customer_with_contact,
    _scripts_with_throwaway,
)

KILLED = 9


class _DiesHalfway(sqlite3.Connection):
    def backup(self, target, **_options):  # type: ignore[no-untyped-def, override]
        def progress(_status: int, remaining: int, total: int) -> None:
            if remaining <= total // 2:
                os._exit(KILLED)  # no finally, no atexit: what a kill leaves

        super().backup(target, pages=1, progress=progress)


def _upgrade_and_die(db_path: str, backups_dir: str, scripts: str, now: datetime) -> None:
    real_connect = sqlite3.connect
    migrate.sqlite3.connect = lambda *args, **kwargs: real_connect(*args, factory=_DiesHalfway, **kwargs)  # type: ignore[assignment]
    engine = make_engine(sqlite_url(Path(db_path)))
    upgrade(engine, Path(db_path), Path(backups_dir), now, script_location=Path(scripts))


def _fill(engine: Engine, rows: int = 400) -> None:
    """Enough pages that the copy has a middle to die in."""
    _add_customer_with_contact(engine)
    with write_session(engine) as session:
        connection = session.connection()
        for n in range(rows):
            connection.exec_driver_sql("INSERT INTO book_meta (key, value) VALUES (?, ?)", (f"filler-{n}", "x" * 200))


def test_a_kill_mid_backup_leaves_only_a_partial_that_the_next_start_removes(
    engine: Engine, db_path: Path, backups_dir: Path, tmp_path: Path, now: datetime
) -> None:
    _fill(engine)
    engine.dispose()
    scripts = _scripts_with_throwaway(tmp_path)

    process = multiprocessing.get_context("spawn").Process(
        target=_upgrade_and_die, args=(str(db_path), str(backups_dir), str(scripts), now)
    )
    process.start()
    process.join(timeout=120)

    assert process.exitcode == KILLED  # from inside the copy's progress callback: it died mid-copy
    partial = partial_backup_path(db_path, backups_dir)
    left = sorted(p.name for p in backups_dir.iterdir())
    assert left[0] == partial.name and all(name.startswith(partial.name) for name in left), left  # and its journal
    assert current_revision(engine) == HEAD, "the book itself was not touched"

    result = upgrade(engine, db_path, backups_dir, now, script_location=scripts)

    assert result.to_revision == THROWAWAY and result.backup is not None
    assert sorted(p.name for p in backups_dir.iterdir()) == [result.backup.name]
    with sqlite3.connect(result.backup) as backup:
        assert backup.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert backup.execute("SELECT count(*) FROM book_meta WHERE key LIKE 'filler-%'").fetchone() == (400,)
    backup.close()


def test_a_partial_is_removed_even_when_no_upgrade_is_due(engine: Engine, db_path: Path, backups_dir: Path, now: datetime) -> None:
    backups_dir.mkdir(mode=0o700)
    partial = partial_backup_path(db_path, backups_dir)
    partial.write_bytes(b"half a copy")
    Path(f"{partial}-journal").write_bytes(b"its journal")
    other_book = backups_dir / ".other-0123456789ab.sqlite.part"
    other_book.write_bytes(b"another book's, maybe still being written")

    upgrade(engine, db_path, backups_dir, now)

    assert sorted(p.name for p in backups_dir.iterdir()) == [other_book.name]


def test_a_copy_that_fails_its_check_is_never_named_a_backup(
    engine: Engine, db_path: Path, backups_dir: Path, tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_customer_with_contact(engine)

    class FailsCheck(sqlite3.Connection):
        def execute(self, sql, *args):  # type: ignore[no-untyped-def, override]
            if sql.startswith("PRAGMA integrity_check"):
                return super().execute("SELECT 'row 3 missing from index' UNION ALL SELECT 'ok' LIMIT 1")
            return super().execute(sql, *args)

    real_connect = sqlite3.connect
    monkeypatch.setattr(migrate.sqlite3, "connect", lambda *a, **k: real_connect(*a, factory=FailsCheck, **k))

    with pytest.raises(StoreError, match=r"is damaged .*fails the integrity check: row 3 missing from index"):
        upgrade(engine, db_path, backups_dir, now, script_location=_scripts_with_throwaway(tmp_path))

    assert list(backups_dir.iterdir()) == []
    assert current_revision(engine) == HEAD
