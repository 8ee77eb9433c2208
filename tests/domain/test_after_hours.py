"""After-hours, weekend and holiday flags for activation windows."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ccm_tui.domain.after_hours import HoursFlag, after_hours_flags
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar

NEW_YORK = SiteCalendar("America/New_York", "US")
SYDNEY = SiteCalendar("Australia/Sydney", "AU")
TOKYO = SiteCalendar("Asia/Tokyo", "JP")
# A Sunday-to-Thursday week, 09:00-18:00 (as in some Gulf countries).
DUBAI = SiteCalendar("Asia/Dubai", "AE", BusinessHours(time(9, 0), time(18, 0), frozenset({6, 0, 1, 2, 3})))

A, W, H = HoursFlag.AFTER_HOURS, HoursFlag.WEEKEND, HoursFlag.HOLIDAY


def ny(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("America/New_York"))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("cal", "start", "end", "expected"),
    [
        (NEW_YORK, ny("2026-06-10 09:00"), ny("2026-06-10 11:00"), set()),
        (NEW_YORK, ny("2026-06-10 08:00"), ny("2026-06-10 17:00"), set()),
        (NEW_YORK, ny("2026-06-10 07:00"), ny("2026-06-10 09:00"), {A}),
        (NEW_YORK, ny("2026-06-10 16:00"), ny("2026-06-10 17:01"), {A}),
        (NEW_YORK, ny("2026-06-10 22:00"), ny("2026-06-11 02:00"), {A}),
        (NEW_YORK, ny("2026-06-12 22:00"), ny("2026-06-13 02:00"), {A, W}),
        (NEW_YORK, ny("2026-06-14 22:00"), ny("2026-06-15 02:00"), {A, W}),
        (NEW_YORK, ny("2026-06-13 10:00"), ny("2026-06-13 12:00"), {W}),
        (NEW_YORK, ny("2026-06-13 18:00"), ny("2026-06-13 20:00"), {A, W}),
        (NEW_YORK, ny("2026-11-26 10:00"), ny("2026-11-26 12:00"), {H}),
        (NEW_YORK, ny("2026-11-25 23:00"), ny("2026-11-26 01:00"), {A, H}),
        (NEW_YORK, ny("2026-11-25 16:00"), ny("2026-11-26 00:00"), {A}),
        (NEW_YORK, ny("2026-09-07 09:00"), ny("2026-09-07 10:00"), {H}),
        (NEW_YORK, ny("2026-03-08 01:00"), utc("2026-03-08 08:00"), {A, W}),
        (NEW_YORK, utc("2026-06-10 13:00"), utc("2026-06-10 15:00"), set()),
        (SYDNEY, utc("2026-06-14 23:00"), utc("2026-06-15 01:00"), set()),
        (SYDNEY, utc("2026-06-15 07:30"), utc("2026-06-15 08:30"), {A}),
        (TOKYO, utc("2026-05-05 00:00"), utc("2026-05-05 02:00"), {H}),
        (DUBAI, utc("2026-06-12 06:00"), utc("2026-06-12 08:00"), {W}),
        (DUBAI, utc("2026-06-14 06:00"), utc("2026-06-14 08:00"), set()),
        (NEW_YORK, ny("2026-06-10 10:00"), ny("2026-06-10 10:00"), set()),
    ],
    ids=[
        "inside-hours",
        "exactly-business-hours",
        "starts-early",
        "ends-late",
        "crosses-midnight-weekday",
        "friday-night-into-saturday",
        "sunday-night-into-monday",
        "saturday-daytime",
        "saturday-evening",
        "thanksgiving-daytime",
        "into-thanksgiving-at-midnight",
        "ends-at-midnight-before-holiday",
        "labor-day-monday",
        "ny-spring-forward-night",
        "given-in-utc",
        "sydney-monday-morning-is-sunday-utc",
        "sydney-evening",
        "tokyo-golden-week",
        "dubai-friday-is-weekend",
        "dubai-sunday-is-working",
        "zero-length-inside",
    ],
)
def test_after_hours_flags(cal: SiteCalendar, start: datetime, end: datetime, expected: set) -> None:
    assert after_hours_flags(start, end, cal) == frozenset(expected)


def test_window_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match=r"ends .* before it starts"):
        after_hours_flags(ny("2026-06-10 11:00"), ny("2026-06-10 09:00"), NEW_YORK)


def test_flag_labels_read_as_words() -> None:
    assert [flag.label for flag in HoursFlag] == ["after hours", "weekend", "public holiday"]
