"""The services on a PostgreSQL book: opened (and migrated) from a URL, written, read back as on SQLite.

Skipped, with one reason, when no PostgreSQL server answers (tests/postgres_books.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.book import BookQuery, BookSort
from ccm_tui.domain.model import Region
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.services import open_book
from ccm_tui.store.migrate import head_revision
from tests import postgres_books

NAMES = (("beta Works", "EU-2"), ("Alpha Freight", "EU-1"), ("Ålesund Ferries", "EU-3"), ("alpha 10", "EU-4"), ("Alpha 9", "EU-5"))


def _written_and_read(book: BookLocation, settings: Settings, clock: FixedClock) -> tuple[list[str], ...]:
    services, migration = open_book(book, settings, clock)
    try:
        assert migration is not None and (migration.from_revision, migration.to_revision) == (None, head_revision())
        assert migration.notice is None  # a new book: nothing was upgraded
        for name, account in NAMES:
            services.book.add_customer(CustomerInput(name, account, Region.EMEA, "Dana", Decimal(4), ""))
        return (
            [row.name for row in services.book.book_page(BookQuery(sort=BookSort.NAME)).rows],
            [row.name for row in services.book.book_page(BookQuery(sort=BookSort.NAME, descending=True)).rows],
            [row.name for row in services.book.book_page(BookQuery(text="ALPHA")).rows],
            [hit.name for hit in services.book.find_customers("alp")],
        )
    finally:
        services.engine.dispose()


def test_a_server_book_opens_from_its_url_and_reads_as_a_file_does(settings: Settings, clock: FixedClock, tmp_path: Path) -> None:
    if reason := postgres_books.probe():
        pytest.skip(reason)
    on_file = _written_and_read(BookLocation.file(tmp_path / "book.sqlite"), settings, clock)
    with postgres_books.scratch_database("ccm_services") as name:
        book = BookLocation.parse(postgres_books.book_url(name).replace("postgresql+psycopg://", "postgresql://"))
        assert _written_and_read(book, settings, clock) == on_file
        again, migration = open_book(book, settings, clock)
        again.engine.dispose()
        assert migration is not None and not migration.changed
