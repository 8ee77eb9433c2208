"""The first glance: the book's first page by name, read with the driver alone, before the ORM.

It must be the same customers in the same order as the real first page
(book_page's NAME sort), the same count, and nothing when the file cannot
say so plainly (no file, not a book, a schema to migrate first). It never
writes: the file is opened read-only.
"""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.model import Region
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.services import open_book
from ccm_tui.services.glance import first_glance
from ccm_tui.store.book_glance import first_page
from ccm_tui.store.seed import seed_book

CLOCK = FixedClock(datetime(2026, 11, 20, 14, tzinfo=UTC))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("glance") / "book.sqlite"
    services, _ = open_book(BookLocation.file(path), Settings(ccm_name="Alex Morgan"), CLOCK)
    seed_book(services.engine, 300, 200, date(2026, 11, 20), hours=services.business_hours)
    services.engine.dispose()
    return path


@pytest.mark.parametrize("limit", [1, 60, 500])
def test_the_glance_is_the_real_first_page_by_name(seeded: Path, limit: int) -> None:
    services, _ = open_book(BookLocation.file(seeded), Settings(ccm_name="Alex Morgan"), CLOCK)
    real = services.book.book_page(BookQuery(limit=limit))
    glance = first_page(seeded, limit)
    assert glance is not None
    assert glance.total == real.total == 300
    assert [(r.customer_id, r.name, r.account_number, r.region, r.ccm, r.hours_package) for r in glance.rows] == [
        (r.customer_id, r.name, r.account_number, r.region, r.ccm, r.hours_package) for r in real.rows
    ]
    assert all(row.pending for row in glance.rows) and not any(row.pending for row in real.rows)
    services.engine.dispose()


def test_names_that_tie_keep_the_real_order(tmp_path: Path) -> None:
    # Same name, different case and accents: the folded sort name ties, the id decides, as in book_page.
    path = tmp_path / "book.sqlite"
    services, _ = open_book(BookLocation.file(path), Settings(), CLOCK)
    for number, name in enumerate(["Émile SA", "emile sa", "Zed", "EMILE SA", "Abel"]):
        services.book.add_customer(CustomerInput(name, f"NA-9{number:05}", Region.NORTH_AMERICA, "Dana", Decimal(4), ""))
    real = services.book.book_page(BookQuery(limit=10))
    glance = first_page(path, 10)
    assert glance is not None
    assert [r.customer_id for r in glance.rows] == [r.customer_id for r in real.rows]
    services.engine.dispose()


def test_no_glance_without_a_current_book(tmp_path: Path, seeded: Path) -> None:
    assert first_page(tmp_path / "missing.sqlite", 60) is None
    not_a_book = tmp_path / "notes.sqlite"
    not_a_book.write_text("hello", encoding="utf-8")
    assert first_page(not_a_book, 60) is None
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    assert first_page(empty, 60) is None
    older = tmp_path / "older.sqlite"
    older.write_bytes(seeded.read_bytes())
    with sqlite3.connect(older) as db:
        db.execute("UPDATE alembic_version SET version_num = '0009'")  # a book an older ccm left: migrate first
    assert first_page(older, 60) is None
    assert first_page(tmp_path, 60) is None  # a folder


def test_the_glance_writes_nothing(tmp_path: Path, seeded: Path) -> None:
    copy = tmp_path / "book.sqlite"
    copy.write_bytes(seeded.read_bytes())
    copy.chmod(0o600)
    before = copy.read_bytes()
    assert first_page(copy, 60) is not None
    assert copy.read_bytes() == before
    # A WAL book's reader needs SQLite's shared-memory index beside it (the real open makes the same two):
    # nothing else, and no wider permissions than the book's
    beside = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if p != copy}
    assert set(beside) <= {"book.sqlite-wal", "book.sqlite-shm"}
    assert all(mode == 0o600 for mode in beside.values())
    wal = tmp_path / "book.sqlite-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # read, nothing written


def test_only_a_local_book_file_has_a_glance(seeded: Path) -> None:
    assert first_glance(BookLocation.file(seeded), 5) is not None
    assert first_glance(BookLocation.file(seeded, demo=True), 5) is None  # the demo is rebuilt when stale
    assert first_glance(BookLocation.parse("postgresql://ccm@127.0.0.1/book"), 5) is None


def test_the_glance_imports_no_orm() -> None:
    # In a fresh interpreter: this one has imported the ORM for other tests.
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from ccm_tui.services.glance import first_glance
        print(sorted(m for m in ("sqlmodel", "sqlalchemy", "alembic", "pydantic") if m in sys.modules))
        """
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
