"""The feature services' doors that the screens and the CLI share: an import request, the
iCalendar export's time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.imports import ImportKind, ImportMode, ImportRequest
from ccm_tui.services import BookLocation, Services, open_book
from ccm_tui.services.ics import ics_chunks
from ccm_tui.store.calendar_export import site_zones
from tests.store.calendar_book import Book

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


@pytest.fixture
def empty_book(tmp_path: Path, settings: Settings, clock: FixedClock) -> Services:
    services, _ = open_book(BookLocation.file(tmp_path / "book.sqlite"), settings, clock)
    return services


def test_an_import_request_names_a_folder_or_one_file(empty_book: Services) -> None:
    folder = ImportRequest(None, FIXTURES / "book", ImportMode.ALL_OR_NOTHING)
    one_file = ImportRequest(ImportKind.CUSTOMERS, FIXTURES / "book" / "customers.csv", ImportMode.ALL_OR_NOTHING)
    assert (folder.label, one_file.label) == ("book/", "customers.csv")

    checked = empty_book.exchange.run_import(folder, ImportMode.DRY_RUN)
    assert [f.kind for f in checked.files] == list(ImportKind)
    assert checked.ok and not checked.written
    assert empty_book.book.book_page(BookQuery()).total == 0

    report = empty_book.exchange.run_import(one_file, one_file.mode)
    assert [f.kind for f in report.files] == [ImportKind.CUSTOMERS]
    assert report.written and report.total("created") == checked.files[0].created > 0
    assert empty_book.book.book_page(BookQuery()).total == report.total("created")


def test_the_export_carries_each_site_zone_once(empty_book: Services) -> None:
    book = Book(empty_book.engine)
    for name, zone in (("A", "Europe/London"), ("B", "America/New_York"), ("C", "Europe/London")):
        book.site(book.customer(name), "HQ", zone=zone, country="GB" if zone.startswith("Europe") else "US")
    zones = site_zones(empty_book.engine)
    assert zones == ["America/New_York", "Europe/London"]

    text = "".join(ics_chunks(zones, [], datetime(2026, 11, 20, tzinfo=UTC), Settings(), (date(2026, 11, 1), date(2026, 11, 30))))
    calendar = Calendar.from_ical(text)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == zones
    assert calendar.walk("VEVENT") == []
