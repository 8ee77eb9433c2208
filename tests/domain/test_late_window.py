"""late_start_ranges agrees with is_late_change for every start, DST nights and holidays included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar, is_late_change
from ccm_tui.domain.late_window import late_start_ranges, latest_late_start

PLACES = [
    SiteCalendar("America/New_York", "US"),
    SiteCalendar("Europe/London", "GB"),
    SiteCalendar("Australia/Sydney", "AU", BusinessHours(), "AU-NSW"),
    SiteCalendar("Asia/Kolkata", "IN"),
    SiteCalendar("Pacific/Auckland", "NZ"),
    SiteCalendar("America/Santiago", "CL"),  # DST changes at midnight
    SiteCalendar("Asia/Jerusalem", "IL"),  # a Sunday-to-Thursday week
]
# near DST changes, Christmas and an ordinary week
BASES = [datetime(2026, 3, 6, tzinfo=UTC), datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 4, 2, tzinfo=UTC),
         datetime(2026, 9, 3, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC), datetime(2026, 10, 30, tzinfo=UTC),
         datetime(2026, 12, 22, tzinfo=UTC)]  # fmt: skip


def inside(ranges: tuple[tuple[datetime, datetime], ...], start: datetime) -> bool:
    return any(low <= start < high for low, high in ranges)


@settings(max_examples=150, deadline=None)
@given(
    place=st.sampled_from(PLACES),
    base=st.sampled_from(BASES),
    now_minutes=st.integers(0, 60 * 24 * 10),
    starts=st.lists(st.integers(0, 60 * 60 * 24 * 9), min_size=20, max_size=40),
)
def test_a_start_is_in_a_range_exactly_when_a_change_now_is_late(
    place: SiteCalendar, base: datetime, now_minutes: int, starts: list[int]
) -> None:
    now = base + timedelta(minutes=now_minutes)
    ranges = late_start_ranges(now, place)
    for seconds in starts:
        start = now + timedelta(seconds=seconds)
        assert inside(ranges, start) == is_late_change(start, now, place), start


def test_the_ranges_run_from_now_to_the_end_of_the_next_business_day() -> None:
    new_york = PLACES[0]
    friday = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # 15:30 in New York
    ranges = late_start_ranges(friday, new_york)
    assert ranges[0][0] == friday
    # Saturday before 15:30 and Monday before 15:30 (cut-off Friday at that time): late; Sunday whole
    assert inside(ranges, datetime(2026, 11, 21, 20, 29, tzinfo=UTC))
    assert not inside(ranges, datetime(2026, 11, 21, 20, 31, tzinfo=UTC))
    assert inside(ranges, datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    assert not inside(ranges, datetime(2026, 11, 23, 21, 0, tzinfo=UTC))
    assert latest_late_start(ranges) == datetime(2026, 11, 23, 20, 30, tzinfo=UTC)
    assert latest_late_start(()) is None
