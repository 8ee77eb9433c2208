"""`ccm oncall`: the on-call view as plain text that fits 80 columns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.model import Region, StepStatus
from ccm_tui.services import open_book
from tests.store.calendar_book import Book, event, local

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
ENV = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}
LONG = "Consolidated Intercontinental Refrigerated Logistics and Warehousing Holdings Incorporated"


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    path = tmp_path / "book.sqlite"
    services, _ = open_book(BookLocation.file(path), Settings(time_zone="America/New_York"), FixedClock(NOW))
    book = Book(services.engine)
    event(book, local("America/New_York", "2026-11-20T19:00"), name=LONG)  # tonight
    event(
        book,
        local("Australia/Sydney", "2026-11-21T10:00"),
        name="Sydney Saturday",
        region=Region.ASIA_PACIFIC,
        zone="Australia/Sydney",
        country="AU",
    )
    event(book, local("America/New_York", "2026-11-23T10:00"), name="Business hours")  # not on call
    event(book, local("America/New_York", "2026-11-22T10:00"), StepStatus.CANCELLED, name="Cancelled")
    event(book, local("America/New_York", "2026-11-26T10:00"), name="Thanksgiving")  # public holiday, 4 days out
    services.engine.dispose()
    return path


def test_fits_80_columns_with_numbers_and_phones(book_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(book_path), "oncall"], ENV) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "On-call scheduling manager 844-427-2875" in out and "Repair center 877-453-8353" in out
    assert "2 events outside business hours:" in out
    assert "Sydney Saturday" in out and "weekend" in out
    assert LONG[:40] in out and "…" in out  # cut to fit, marked
    assert "designated: Sydney Saturday designated +1 212 555 0100" in out
    assert "Business hours" not in out and "Cancelled" not in out and "Thanksgiving" not in out


def test_hours_reach_further(book_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(book_path), "oncall", "--hours", "168"], ENV) == 0
    out = capsys.readouterr().out
    assert "Thanksgiving" in out and "public holiday" in out


def test_nothing_and_bad_hours(book_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(book_path), "oncall", "--hours", "1"], ENV) == 0
    assert "Nothing after hours" in capsys.readouterr().out
    assert main(["--db", str(book_path), "oncall", "--hours", "0"], ENV) == 2
    assert capsys.readouterr().err.strip() == "ccm: --hours must be between 1 and 336 (two weeks), not 0"


@pytest.mark.parametrize("flags", [[], ["--plain"]], ids=["default", "plain"])
def test_times_use_ascii_spaces_so_grep_finds_them(book_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str]) -> None:
    # babel writes "7:00\u202fPM"; the command line's reader greps for "7:00 PM"
    assert main(["--db", str(book_path), "oncall", *flags], ENV) == 0
    out = capsys.readouterr().out
    assert "7:00 PM EST" in out
    assert "\u202f" not in out and "\u00a0" not in out


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("7:00\u202fPM", "7:00 PM"),
        ("1\u00a0234,56\u00a0€", "1 234,56 €"),
        ("12\u2007h", "12 h"),
        ("no change", "no change"),
    ],
)
def test_ascii_spaces(text: str, plain: str) -> None:
    from ccm_tui.text.plain import ascii_spaces

    assert ascii_spaces(text) == plain
