"""Business days, holidays and the late-change cut-off in a site's calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm_tui.domain.calendar import (
    BusinessHours,
    SiteCalendar,
    add_business_days,
    is_late_change,
    late_change_cutoff,
)

NEW_YORK = SiteCalendar("America/New_York", "US")
LONDON = SiteCalendar("Europe/London", "GB")
SYDNEY = SiteCalendar("Australia/Sydney", "AU")
TOKYO = SiteCalendar("Asia/Tokyo", "JP")
SINGAPORE = SiteCalendar("Asia/Singapore", "SG")
# Every day a business day: lets a cut-off land on a DST-change Sunday.
NEW_YORK_7_DAYS = SiteCalendar("America/New_York", "US", BusinessHours(weekdays=frozenset(range(7))))


def at(zone: str, text: str) -> datetime:
    """A wall-clock time in `zone` (fold=0), as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("cal", "day", "expected"),
    [
        (NEW_YORK, date(2026, 11, 26), False),
        (NEW_YORK, date(2026, 11, 27), True),
        (NEW_YORK, date(2026, 9, 7), False),
        (NEW_YORK, date(2026, 7, 3), False),
        (NEW_YORK, date(2026, 6, 13), False),
        (NEW_YORK, date(2026, 6, 14), False),
        (NEW_YORK, date(2026, 6, 15), True),
        (TOKYO, date(2026, 5, 6), False),
        (TOKYO, date(2026, 5, 7), True),
        (SYDNEY, date(2026, 1, 26), False),
        (SINGAPORE, date(2026, 8, 10), False),
        (SiteCalendar("UTC", "ZZ"), date(2026, 12, 25), True),
        (SiteCalendar("UTC", "us"), date(2026, 12, 25), False),
    ],
    ids=[
        "us-thanksgiving",
        "us-day-after-thanksgiving-works",
        "us-labor-day-monday",
        "us-independence-day-observed-friday",
        "saturday",
        "sunday",
        "plain-monday",
        "jp-substitute-holiday",
        "jp-after-golden-week",
        "au-australia-day",
        "sg-national-day-observed",
        "unknown-country-has-no-holidays",
        "lower-case-country-code",
    ],
)
def test_is_business_day(cal: SiteCalendar, day: date, expected: bool) -> None:
    assert cal.is_business_day(day) is expected


@pytest.mark.parametrize(
    ("cal", "day", "expected"),
    [
        (NEW_YORK, date(2026, 11, 26), "Thanksgiving Day"),
        (NEW_YORK, date(2026, 11, 25), None),
        (TOKYO, date(2026, 5, 4), "Greenery Day"),
        (SiteCalendar("UTC", ""), date(2026, 1, 1), None),
    ],
    ids=["thanksgiving", "ordinary-day", "jp-greenery-day", "no-country"],
)
def test_holiday_name(cal: SiteCalendar, day: date, expected: str | None) -> None:
    assert cal.holiday_name(day) == expected


@pytest.mark.parametrize(
    ("cal", "day", "n", "expected"),
    [
        (NEW_YORK, date(2026, 9, 4), 1, date(2026, 9, 8)),
        (NEW_YORK, date(2026, 9, 8), -1, date(2026, 9, 4)),
        (NEW_YORK, date(2026, 9, 7), 0, date(2026, 9, 7)),
        (NEW_YORK, date(2026, 6, 13), 1, date(2026, 6, 15)),
        (NEW_YORK, date(2026, 6, 13), -1, date(2026, 6, 12)),
        (NEW_YORK, date(2026, 11, 25), 1, date(2026, 11, 27)),
        (NEW_YORK, date(2026, 12, 21), 5, date(2026, 12, 29)),
        (NEW_YORK, date(2026, 12, 29), -5, date(2026, 12, 21)),
        (TOKYO, date(2026, 5, 1), 1, date(2026, 5, 7)),
        (NEW_YORK_7_DAYS, date(2026, 6, 13), 1, date(2026, 6, 14)),
    ],
    ids=[
        "friday-plus-1-skips-labor-day",
        "tuesday-minus-1-skips-labor-day",
        "zero-keeps-a-holiday",
        "saturday-plus-1-is-monday",
        "saturday-minus-1-is-friday",
        "over-thanksgiving",
        "five-over-christmas",
        "minus-five-over-christmas",
        "over-golden-week",
        "seven-day-week",
    ],
)
def test_add_business_days(cal: SiteCalendar, day: date, n: int, expected: date) -> None:
    assert add_business_days(day, n, cal) == expected


@pytest.mark.parametrize(
    ("cal", "start", "expected"),
    [
        (NEW_YORK, at("America/New_York", "2026-06-15 10:00"), at("America/New_York", "2026-06-12 10:00")),
        (NEW_YORK, at("America/New_York", "2026-09-08 09:00"), at("America/New_York", "2026-09-04 09:00")),
        (NEW_YORK, at("America/New_York", "2026-11-27 09:00"), at("America/New_York", "2026-11-25 09:00")),
        (NEW_YORK, at("America/New_York", "2026-06-13 09:00"), at("America/New_York", "2026-06-12 09:00")),
        (NEW_YORK, at("America/New_York", "2026-06-14 23:00"), at("America/New_York", "2026-06-12 23:00")),
        (NEW_YORK, at("America/New_York", "2026-03-09 10:00"), utc("2026-03-06 15:00")),
        (NEW_YORK, at("America/New_York", "2026-11-02 10:00"), utc("2026-10-30 14:00")),
        (NEW_YORK_7_DAYS, at("America/New_York", "2026-03-09 02:30"), utc("2026-03-08 07:30")),
        (NEW_YORK_7_DAYS, at("America/New_York", "2026-11-02 01:30"), utc("2026-11-01 05:30")),
        (LONDON, at("Europe/London", "2026-03-30 09:00"), utc("2026-03-27 09:00")),
        (LONDON, at("Europe/London", "2026-10-26 09:00"), utc("2026-10-23 08:00")),
        (LONDON, at("Europe/London", "2026-04-06 10:00"), at("Europe/London", "2026-04-02 10:00")),
        (LONDON, at("Europe/London", "2026-05-05 09:00"), at("Europe/London", "2026-05-01 09:00")),
        (SYDNEY, at("Australia/Sydney", "2026-04-07 09:00"), utc("2026-04-01 22:00")),
        (SYDNEY, at("Australia/Sydney", "2026-10-05 09:00"), utc("2026-10-01 23:00")),
        (TOKYO, at("Asia/Tokyo", "2026-05-07 10:00"), utc("2026-05-01 01:00")),
        (SINGAPORE, at("Asia/Singapore", "2026-08-11 09:00"), utc("2026-08-07 01:00")),
    ],
    ids=[
        "monday-to-friday",
        "tuesday-after-labor-day-to-friday",
        "friday-after-thanksgiving-to-wednesday",
        "saturday-to-friday",
        "sunday-night-to-friday",
        "ny-spring-forward-weekend",
        "ny-fall-back-weekend",
        "ny-skipped-0230-moves-to-0330",
        "ny-repeated-0130-is-first",
        "london-spring-forward-weekend",
        "london-fall-back-weekend",
        "london-easter-monday-start-skips-good-friday",
        "london-may-day",
        "sydney-dst-ends-over-easter",
        "sydney-dst-starts",
        "tokyo-golden-week",
        "singapore-national-day-observed",
    ],
)
def test_late_change_cutoff(cal: SiteCalendar, start: datetime, expected: datetime) -> None:
    cutoff = late_change_cutoff(start, cal)
    assert cutoff == expected
    assert cutoff.utcoffset() == timedelta(0)


def test_cutoff_keeps_local_wall_time_across_dst() -> None:
    cutoff = late_change_cutoff(at("America/New_York", "2026-03-09 10:00"), NEW_YORK)
    assert NEW_YORK.local(cutoff).time() == time(10, 0)


MONDAY_9_NY = at("America/New_York", "2026-06-15 09:00")
# Monday 09:00 in Tokyo is Sunday 00:00 UTC and Saturday 20:00 in New York.
MONDAY_9_TOKYO = at("Asia/Tokyo", "2026-06-15 09:00")


@pytest.mark.parametrize(
    ("cal", "start", "changed_at", "late"),
    [
        (NEW_YORK, MONDAY_9_NY, at("America/New_York", "2026-06-12 08:59"), False),
        # exactly at the cut-off is still a full business day ahead: free ("less than one business day")
        (NEW_YORK, MONDAY_9_NY, at("America/New_York", "2026-06-12 09:00"), False),
        (NEW_YORK, MONDAY_9_NY, at("America/New_York", "2026-06-12 09:00") + timedelta(seconds=1), True),
        (NEW_YORK, MONDAY_9_NY, at("America/New_York", "2026-06-12 15:30"), True),
        (NEW_YORK, MONDAY_9_NY, at("America/New_York", "2026-06-11 16:00"), False),
        (NEW_YORK, MONDAY_9_NY, at("America/New_York", "2026-06-15 11:00"), True),
        (NEW_YORK, MONDAY_9_NY, utc("2026-06-12 12:59"), False),
        (NEW_YORK, MONDAY_9_NY, utc("2026-06-12 13:00"), False),
        (NEW_YORK, MONDAY_9_NY, utc("2026-06-12 13:01"), True),
        (TOKYO, MONDAY_9_TOKYO, utc("2026-06-11 23:59"), False),
        (TOKYO, MONDAY_9_TOKYO, at("America/New_York", "2026-06-11 19:59"), False),
        (TOKYO, MONDAY_9_TOKYO, utc("2026-06-12 00:01"), True),
        (TOKYO, MONDAY_9_TOKYO, at("America/New_York", "2026-06-11 20:01"), True),
        (TOKYO, MONDAY_9_TOKYO, at("America/Los_Angeles", "2026-06-11 17:01"), True),
        (SINGAPORE, at("Asia/Singapore", "2026-08-11 09:00"), at("America/Chicago", "2026-08-06 20:00"), False),
        (SINGAPORE, at("Asia/Singapore", "2026-08-11 09:00"), at("America/Chicago", "2026-08-06 20:01"), True),
        (
            NEW_YORK,
            at("America/New_York", "2026-11-27 10:00"),
            at("America/New_York", "2026-11-26 12:00"),
            True,
        ),
    ],
    ids=[
        "friday-morning-before-monday-9-ok",
        "friday-at-9-exactly-is-free",
        "friday-one-second-after-9-is-late",
        "friday-afternoon-is-late",
        "thursday-is-fine",
        "after-start-is-late",
        "utc-one-minute-before",
        "utc-at-cutoff-is-free",
        "utc-one-minute-after",
        "tokyo-from-utc-ok",
        "tokyo-from-new-york-ok",
        "tokyo-from-utc-late",
        "tokyo-from-new-york-late",
        "tokyo-from-los-angeles-late",
        "singapore-from-chicago-at-cutoff-is-free",
        "singapore-from-chicago-late",
        "on-thanksgiving-for-friday-is-late",
    ],
)
def test_is_late_change(cal: SiteCalendar, start: datetime, changed_at: datetime, late: bool) -> None:
    assert is_late_change(start, changed_at, cal) is late


def test_local_shows_site_wall_clock() -> None:
    assert TOKYO.local(utc("2026-06-14 00:00")) == at("Asia/Tokyo", "2026-06-14 09:00")
    assert TOKYO.tz == ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    "call",
    [
        lambda: NEW_YORK.local(datetime(2026, 6, 15, 9, 0)),
        lambda: late_change_cutoff(datetime(2026, 6, 15, 9, 0), NEW_YORK),
        lambda: is_late_change(MONDAY_9_NY, datetime(2026, 6, 12, 9, 0), NEW_YORK),
    ],
    ids=["local", "cutoff", "changed-at"],
)
def test_naive_datetimes_are_refused(call) -> None:
    with pytest.raises(ValueError, match="time-zone-aware"):
        call()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": time(17, 0), "end": time(8, 0)},
        {"start": time(9, 0), "end": time(9, 0)},
        {"weekdays": frozenset()},
        {"weekdays": frozenset({7})},
    ],
    ids=["end-before-start", "empty-day", "no-weekdays", "weekday-out-of-range"],
)
def test_bad_business_hours_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError, match="business"):
        BusinessHours(**kwargs)


# -- a site's own calendar: its subdivision's holidays and its country's weekend ------

SYDNEY_NSW = SiteCalendar("Australia/Sydney", "AU", BusinessHours(), "AU-NSW")
SYDNEY_COUNTRY_ONLY = SiteCalendar("Australia/Sydney", "AU")
TEL_AVIV = SiteCalendar("Asia/Jerusalem", "IL")
DUBAI = SiteCalendar("Asia/Dubai", "AE")


@pytest.mark.parametrize(
    ("cal", "day", "business"),
    [
        (SYDNEY_NSW, date(2026, 10, 5), False),  # NSW Labour Day
        (SYDNEY_COUNTRY_ONLY, date(2026, 10, 5), True),  # not a national holiday
        (SYDNEY_NSW, date(2026, 12, 28), False),  # Boxing Day substitute (26th is a Saturday)
        (SiteCalendar("Australia/Perth", "AU", BusinessHours(), "AU-WA"), date(2026, 10, 5), True),
        (TEL_AVIV, date(2026, 6, 14), True),  # Sunday is a working day in Israel
        (TEL_AVIV, date(2026, 6, 12), False),  # Friday is not
        (TEL_AVIV, date(2026, 6, 13), False),  # nor Saturday
        (DUBAI, date(2026, 6, 12), True),  # the UAE moved its weekend to Saturday-Sunday in 2022
        (NEW_YORK, date(2026, 6, 14), False),
    ],
    ids=[
        "nsw-labour-day",
        "labour-day-without-subdivision",
        "nsw-boxing-day-substitute",
        "wa-works-on-nsw-labour-day",
        "israel-sunday-works",
        "israel-friday-off",
        "israel-saturday-off",
        "uae-friday-works",
        "new-york-sunday-off",
    ],
)
def test_business_day_in_the_sites_own_calendar(cal: SiteCalendar, day: date, business: bool) -> None:
    assert cal.is_business_day(day) is business


def test_sydney_cutoff_skips_nsw_labour_day() -> None:
    # An event on Tuesday 6 October 2026: Monday 5 is NSW Labour Day, so the cut-off is Friday 2.
    start = at("Australia/Sydney", "2026-10-06 10:00")
    assert SYDNEY_NSW.local(late_change_cutoff(start, SYDNEY_NSW)).date() == date(2026, 10, 2)
    assert SYDNEY_COUNTRY_ONLY.local(late_change_cutoff(start, SYDNEY_COUNTRY_ONLY)).date() == date(2026, 10, 5)


def test_israeli_sunday_is_not_a_weekend_flag() -> None:
    assert not TEL_AVIV.is_weekend(date(2026, 6, 14))
    assert TEL_AVIV.is_weekend(date(2026, 6, 12))
    # An event on Sunday 14 June: the previous working day is Thursday 11.
    start = at("Asia/Jerusalem", "2026-06-14 10:00")
    assert TEL_AVIV.local(late_change_cutoff(start, TEL_AVIV)).date() == date(2026, 6, 11)


@cache
def package_calendar(country: str) -> holidays.HolidayBase:
    """The holidays package's own calendar, apart from the one the site calendars share."""
    return holidays.country_holidays(country)


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(date(2019, 1, 1), date(2031, 12, 31)),
    n=st.integers(-8, 8).filter(bool),
    country=st.sampled_from(["US", "GB", "DE", "NZ", "IN", "AE"]),
)
def test_remembered_business_days_are_the_packages_answers(day: date, n: int, country: str) -> None:
    # The site calendar remembers what it was told; asked again (from memory) it must still be the package's answer.
    cal = SiteCalendar(zone="UTC", country=country)
    fresh = package_calendar(country)
    for _ in range(2):
        assert add_business_days(day, n, cal) == fresh.get_nth_working_day(day, n)
        assert cal.is_business_day(day) == fresh.is_working_day(day)
