"""The countdown to the late-change cut-off, for events in the next two business days."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.countdown import countdown, in_countdown_range
from ccm_tui.text.event_text import compact_duration

NEW_YORK = SiteCalendar("America/New_York", "US")
NY = ZoneInfo("America/New_York")


def ny(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


@pytest.mark.parametrize(
    ("now", "start", "expected"),
    [
        ("2026-11-20T15:30", "2026-11-24T16:00", timedelta(days=3, minutes=30)),  # Tue, 2nd business day
        ("2026-11-20T15:30", "2026-11-25T09:00", None),  # Wed: third business day, too far
        ("2026-11-20T15:30", "2026-11-23T09:00", None),  # Monday 09:00: cut-off passed (LATE instead)
        ("2026-11-20T15:30", "2026-11-23T16:00", timedelta(minutes=30)),  # cut-off Friday 16:00
        ("2026-11-25T10:00", "2026-11-30T11:00", timedelta(days=2, hours=1)),  # over Thanksgiving
        ("2026-11-20T15:30", "2026-11-20T14:00", None),  # already started
    ],
    ids=["tuesday", "wednesday-too-far", "monday-late", "monday-afternoon", "thanksgiving", "started"],
)
def test_countdown(now: str, start: str, expected: timedelta | None) -> None:
    assert countdown(ny(start), ny(now), NEW_YORK) == expected


def test_range_counts_business_days_at_the_site() -> None:
    # Friday: Saturday, Sunday, Monday and Tuesday are within two business days; Wednesday is not.
    now = ny("2026-11-20T15:30")
    assert in_countdown_range(ny("2026-11-24T23:00"), now, NEW_YORK)
    assert not in_countdown_range(ny("2026-11-25T00:30"), now, NEW_YORK)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(days=2, hours=3, minutes=59), "2d 03h"),
        (timedelta(hours=17, minutes=5), "17h 05m"),
        (timedelta(minutes=42, seconds=59), "42m"),
        (timedelta(seconds=-5), "0m"),
    ],
)
def test_compact_duration(span: timedelta, text: str) -> None:
    assert compact_duration(span) == text
