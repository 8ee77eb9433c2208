"""`ccm events`: the calendar as one line per event (or JSON lines), its range options and its errors.
One small book for the module; the clock pinned to Friday 2026-11-20 15:30 in New York."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.model import Region, StepStatus
from ccm_tui.domain.schedule import StatusFilter
from ccm_tui.services import open_book
from tests.store.calendar_book import Book, event, local

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
ENV = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}
NY, SYDNEY = "America/New_York", "Australia/Sydney"


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("events") / "book.sqlite"
    services, _ = open_book(BookLocation.file(path), Settings(time_zone=NY), FixedClock(NOW))
    book = Book(services.engine)
    event(book, local(NY, "2026-11-23T10:00"), StepStatus.REQUESTED, name="Monday Late")  # inside its late window
    event(book, local(SYDNEY, "2026-11-21T10:00"), name="Sydney Saturday", region=Region.ASIA_PACIFIC, zone=SYDNEY, country="AU")
    event(book, local(NY, "2026-11-24T10:00"), name="Past\u00a0CCD, Inc.\x1b[31m", ccd=datetime(2026, 11, 2).date())
    event(book, local(NY, "2026-11-25T10:00"), StepStatus.CANCELLED, name="Cancelled Co")
    event(book, local(NY, "2026-12-28T10:00"), name="Late December")  # past the default 30 days
    services.engine.dispose()
    return path


def run(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(path), "events", *args], ENV)
    out, err = capsys.readouterr()
    return code, out, err


def test_one_line_per_event_soonest_first(book_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(book_path, capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split("  ")[-2].split(" (")[0] for line in lines] == ["Sydney Saturday", "Monday Late", "Past CCD, Inc."]
    sydney, monday, past = lines
    # the site's time and zone, then the CCM's when it differs (here the day before), markers, status, what, who, where
    assert sydney.startswith("2026-11-21 10:00 AEDT  yours 11-20 18:00 EST")
    assert "  AL  " in sydney and "  validated  " in sydney and "INTERNET activation" in sydney
    assert sydney.endswith("Sydney Saturday HQ, Sydney Saturday HQ AU")
    assert monday.startswith("2026-11-23 10:00 EST" + " " * 26) and "  L   " in monday and " requested " in monday
    assert "  !   " in past and "\x1b" not in out and "\u00a0" not in out  # typed text cannot drive the terminal
    assert len({line.index(" validated ") if " validated " in line else line.index(" requested ") for line in lines}) == 1


def test_range_words_and_statuses(book_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(book_path, capsys, "--from", "2026-12-01", "--to", "2026-12-31")
    assert [line.split("  ")[-2] for line in out.splitlines()] == ["Late December (A-9)"]
    _, out, _ = run(book_path, capsys, "--from", "mon", "--to", "+5d", "--status", "all")
    assert "Cancelled Co" in out and "Sydney Saturday" not in out and "Monday Late" in out
    _, out, _ = run(book_path, capsys, "--status", "requested")
    assert out.count("\n") == 1 and "Monday Late" in out
    assert main(["--db", str(book_path), "events", "--from", "2027-01-01"], ENV) == 0
    assert capsys.readouterr() == ("", "")  # nothing in the range: no lines, no noise


def test_json_lines(book_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(book_path, capsys, "--json", "--to", "2026-11-22")
    assert code == 0
    (sydney,) = [json.loads(line) for line in out.splitlines()]
    assert sydney["start"] == "2026-11-20T23:00:00Z" and sydney["end"] == "2026-11-21T02:00:00Z"
    assert (sydney["site_start"], sydney["site_zone"]) == ("2026-11-21T10:00:00+11:00", SYDNEY)
    assert (sydney["your_start"], sydney["your_zone"]) == ("2026-11-20T18:00:00-05:00", NY)
    assert (sydney["step"], sydney["status"], sydney["service"], sydney["country"]) == (
        "activation",
        "validated",
        "INTERNET",
        "AU",
    )
    assert sydney["flags"] == {
        "after_hours": False,
        "weekend": True,
        "holiday": False,
        "late_change": True,  # Saturday 07:30 in Sydney: past Friday 10:00, its cut-off
        "ccd": None,
        "not_ready_risk": False,
    }
    assert sydney["marks"] == "AL" and sydney["customer"] == "Sydney Saturday"
    _, out, _ = run(book_path, capsys, "--json", "--from", "2026-11-24", "--to", "2026-11-24")
    assert json.loads(out)["customer"] == "Past\u00a0CCD, Inc.\x1b[31m"  # data as it is: JSON escapes the escape
    assert "\x1b" not in out and json.loads(out)["flags"]["ccd"] == "past"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01"], "ccm: --from '2026-13-01' is not a date"),
        (["--from", "someday"], "ccm: --from 'someday' is not a date"),
        (["--from", "2026-12-10", "--to", "2026-12-01"], "ccm: --to 2026-12-01 is before --from 2026-12-10"),
        (["--to", "2029-01-01"], "ccm: the range is 774 days; list at most 732 at a time"),
    ],
    ids=["bad-date", "bad-word", "backwards", "too-long"],
)
def test_errors_are_one_line(book_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(book_path, capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(message)


def test_status_choices_are_the_calendars() -> None:
    from ccm_tui.cli.events import _STATUSES as choices  # kept literal: the parser imports no domain

    assert choices == tuple(s.value for s in StatusFilter)
