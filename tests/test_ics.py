"""`ccm export ics` round trip: parse the export with icalendar and check
UID stability, SEQUENCE after a reschedule, TZID and local times across a
DST change, STATUS and the description's contacts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from ccm_tui.__main__ import main
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.data_files import load_fee_schedule
from ccm_tui.domain.action_inputs import WindowInput
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import Region, StepStatus
from ccm_tui.domain.status import Action
from ccm_tui.services import open_book
from ccm_tui.store.activations import Actor
from ccm_tui.store.event_changes import change_event, quote
from tests.store.calendar_book import Book, event, local

NOW = datetime(2026, 10, 15, 14, 0, tzinfo=UTC)
ENV = {"CCM_NOW": "2026-10-15T10:00", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}
NY, LONDON = "America/New_York", "Europe/London"


@pytest.fixture
def book_file(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "book.sqlite"
    services, _ = open_book(BookLocation.file(path), Settings(time_zone=NY), FixedClock(NOW))
    book = Book(services.engine)
    steps = {
        "ny_edt": event(book, local(NY, "2026-10-30T10:00"), name="Before fall-back")[1],
        "ny_est": event(book, local(NY, "2026-11-02T10:00"), StepStatus.REQUESTED, name="After fall-back")[1],
        "london_bst": event(
            book, local(LONDON, "2026-10-23T09:00"), name="London BST", region=Region.EMEA, zone=LONDON, country="GB"
        )[1],
        "london_gmt": event(
            book,
            local(LONDON, "2026-10-26T09:00"),
            StepStatus.CANCELLED,
            name="London GMT",
            region=Region.EMEA,
            zone=LONDON,
            country="GB",
        )[1],
    }
    services.engine.dispose()
    return path, steps


def export(path: Path, out: Path, *extra: str) -> Calendar:
    code = main(["--db", str(path), "export", "ics", "-o", str(out), "--from", "2026-10-20", "--to", "2026-11-10", *extra], ENV)
    assert code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    return Calendar.from_ical(out.read_bytes())


def events_by_summary(cal: Calendar) -> dict[str, object]:
    return {str(e["SUMMARY"]).split(": ", 1)[1].split(",")[0]: e for e in cal.walk("VEVENT")}


def test_round_trip_keeps_site_zones_and_local_times_across_dst(book_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, _ = book_file
    cal = export(path, tmp_path / "a.ics")
    events = events_by_summary(cal)
    assert set(events) == {"Before fall-back", "After fall-back", "London BST", "London GMT"}
    expected = {
        "Before fall-back": (NY, datetime(2026, 10, 30, 14, 0, tzinfo=UTC)),  # 10:00 EDT
        "After fall-back": (NY, datetime(2026, 11, 2, 15, 0, tzinfo=UTC)),  # 10:00 EST
        "London BST": (LONDON, datetime(2026, 10, 23, 8, 0, tzinfo=UTC)),  # 09:00 BST
        "London GMT": (LONDON, datetime(2026, 10, 26, 9, 0, tzinfo=UTC)),  # 09:00 GMT
    }
    for name, (zone, instant) in expected.items():
        vevent = events[name]
        start = vevent["DTSTART"]  # type: ignore[index]
        assert start.params["TZID"] == zone
        assert start.dt.astimezone(UTC) == instant
        assert start.dt.astimezone(ZoneInfo(zone)).hour in (9, 10)  # the site's wall clock, both sides of the change
        assert vevent["DTEND"].dt - start.dt == timedelta(hours=3)  # type: ignore[index]
    zones = {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}
    assert {NY, LONDON} <= set(zones)
    new_york = zones[NY]
    assert new_york.walk("DAYLIGHT") and new_york.walk("STANDARD")  # the change inside the range is described
    statuses = {name: str(e["STATUS"]) for name, e in events.items()}  # type: ignore[index]
    assert statuses == {
        "Before fall-back": "CONFIRMED",
        "After fall-back": "TENTATIVE",
        "London BST": "CONFIRMED",
        "London GMT": "CANCELLED",
    }
    description = str(events["Before fall-back"]["DESCRIPTION"])  # type: ignore[index]
    assert "Before fall-back designated (designated contact)" in description
    assert "Before fall-back technical (site technical contact)" in description
    assert "LOCATION" in events["London GMT"]  # type: ignore[operator]


def test_uid_is_stable_and_a_reschedule_raises_sequence(book_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, steps = book_file
    first = events_by_summary(export(path, tmp_path / "1.ics"))
    again = events_by_summary(export(path, tmp_path / "2.ics"))
    assert {n: str(e["UID"]) for n, e in first.items()} == {n: str(e["UID"]) for n, e in again.items()}  # type: ignore[index]
    assert int(first["Before fall-back"]["SEQUENCE"]) == 0  # type: ignore[index]

    services, _ = open_book(BookLocation.file(path), Settings(time_zone=NY), FixedClock(NOW))
    actor = Actor("Alex Morgan", NOW, BusinessHours())
    schedule = load_fee_schedule()
    step = steps["ny_edt"]
    guard, versions = quote(services.engine, step, Action.RESCHEDULE, schedule, actor)
    window = WindowInput(local(NY, "2026-11-03T13:00"), local(NY, "2026-11-03T16:00"), "")
    change_event(services.engine, step, versions, Action.RESCHEDULE, schedule, guard, actor, window=window, reason="moved")
    services.engine.dispose()

    moved = events_by_summary(export(path, tmp_path / "3.ics"))
    before, after = first["Before fall-back"], moved["Before fall-back"]
    assert str(after["UID"]) == str(before["UID"])  # type: ignore[index]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1  # type: ignore[index]
    assert after["DTSTART"].dt.astimezone(UTC) == datetime(2026, 11, 3, 18, 0, tzinfo=UTC)  # type: ignore[index]
    assert str(after["STATUS"]) == "TENTATIVE"  # type: ignore[index]  # a new window is requested again


def test_range_is_checked(book_file, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path, _ = book_file
    code = main(["--db", str(path), "export", "ics", "--from", "2026-11-10", "--to", "2026-11-01"], ENV)
    assert code == 2
    assert capsys.readouterr().err.strip() == "ccm: --to 2026-11-01 is before --from 2026-11-10"


def test_stdout_by_default_and_only_the_range(book_file, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path, _ = book_file
    assert main(["--db", str(path), "export", "ics", "--from", "2026-10-29", "--to", "2026-10-30"], ENV) == 0
    cal = Calendar.from_ical(capsys.readouterr().out)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["INTERNET activation event: Before fall-back, Before fall-back HQ"]
    assert date(2026, 10, 30) == cal.walk("VEVENT")[0]["DTSTART"].dt.date()


def test_says_how_many_events_it_wrote(book_file, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path, _ = book_file
    out = tmp_path / "c.ics"
    assert main(["--db", str(path), "export", "ics", "-o", str(out), "--from", "2026-10-20", "--to", "2026-11-10"], ENV) == 0
    assert capsys.readouterr() == ("Wrote 4 events to " + str(out) + "\n", "")
    # the calendar alone on standard output: the count goes to stderr
    assert main(["--db", str(path), "export", "ics", "--from", "2026-10-29", "--to", "2026-10-30"], ENV) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("BEGIN:VCALENDAR") and captured.err == "Wrote 1 event to standard output\n"


def test_the_export_tells_its_tally_as_it_writes(book_file) -> None:  # type: ignore[no-untyped-def]
    from ccm_tui.services.ics import export_ics

    path, _ = book_file
    services, _ = open_book(BookLocation.file(path), Settings(time_zone=NY), FixedClock(NOW))
    first, last = date(2026, 10, 20), date(2026, 11, 10)
    told: list[int] = []
    text = "".join(export_ics(services, first, last, told.append))
    assert text.count("BEGIN:VEVENT") == sum(told) == 4
    services.engine.dispose()
