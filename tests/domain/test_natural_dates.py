"""Dates as people say them: the words, the hard days, and which doors take them.

`parse_day` reads the words from a `today` it is given; `fields.typed_day`
is the one date rule of the forms (ISO, or words when the form has a today);
a CSV row is data and reads ISO only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm_tui.domain.action_inputs import validate_ip_letter, validate_traffic, validate_window
from ccm_tui.domain.fields import typed_day
from ccm_tui.domain.import_report import RowRejected
from ccm_tui.domain.imports import ImportKind
from ccm_tui.domain.natural_dates import WEEKDAYS, parse_day
from ccm_tui.domain.review_inputs import validate_action, validate_review_setup
from ccm_tui.domain.site_time import LocalTime, site_instant
from ccm_tui.domain.validation import InvalidInput, validate_contact, validate_time_entry
from tests.domain.test_imports import row
from tests.domain.test_properties import PROPERTY_SETTINGS

FRIDAY = date(2026, 11, 20)  # the suite's pinned today
MONDAY = date(2026, 11, 16)
SUNDAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("today", FRIDAY, FRIDAY),
        ("TODAY", FRIDAY, FRIDAY),
        ("  tomorrow  ", FRIDAY, date(2026, 11, 21)),
        ("Yesterday", FRIDAY, date(2026, 11, 19)),
        # a bare weekday is the next one after today: on a Friday, fri is a week on (khal, Taskwarrior)
        ("fri", FRIDAY, date(2026, 11, 27)),
        ("FRIDAY", FRIDAY, date(2026, 11, 27)),
        ("sat", FRIDAY, date(2026, 11, 21)),
        ("mon", FRIDAY, date(2026, 11, 23)),
        ("thu", FRIDAY, date(2026, 11, 26)),
        ("tues", FRIDAY, date(2026, 11, 24)),
        ("Thurs", FRIDAY, date(2026, 11, 26)),
        ("mon", MONDAY, date(2026, 11, 23)),
        ("wed", MONDAY, date(2026, 11, 18)),
        # next names the week (Monday to Sunday) after this one
        ("next wed", MONDAY, date(2026, 11, 25)),
        ("next mon", MONDAY, date(2026, 11, 23)),
        ("next mon", FRIDAY, date(2026, 11, 23)),
        ("NEXT   Fri", FRIDAY, date(2026, 11, 27)),
        ("next sun", FRIDAY, date(2026, 11, 29)),
        ("next mon", SUNDAY, date(2026, 11, 23)),
        ("next sun", SUNDAY, date(2026, 11, 29)),
        # last is the latest one before today
        ("last fri", FRIDAY, date(2026, 11, 13)),
        ("last thu", FRIDAY, date(2026, 11, 19)),
        ("last sat", FRIDAY, date(2026, 11, 14)),
        ("last sun", MONDAY, date(2026, 11, 15)),
        # offsets
        ("+3d", FRIDAY, date(2026, 11, 23)),
        ("-2d", FRIDAY, date(2026, 11, 18)),
        ("+0d", FRIDAY, FRIDAY),
        ("+2w", FRIDAY, date(2026, 12, 4)),
        ("+1m", FRIDAY, date(2026, 12, 20)),
        ("-1y", FRIDAY, date(2025, 11, 20)),
        ("+ 3 days", FRIDAY, date(2026, 11, 23)),
        ("-1 WEEK", FRIDAY, date(2026, 11, 13)),
        # month and year ends, leap days
        ("tomorrow", date(2026, 12, 31), date(2027, 1, 1)),
        ("yesterday", date(2026, 3, 1), date(2026, 2, 28)),
        ("+1d", date(2028, 2, 28), date(2028, 2, 29)),
        ("+1m", date(2026, 12, 31), date(2027, 1, 31)),
        ("+2m", date(2026, 12, 31), date(2027, 2, 28)),
        ("+1m", date(2026, 1, 31), date(2026, 2, 28)),
        ("+1m", date(2028, 1, 31), date(2028, 2, 29)),
        ("-1m", date(2026, 3, 31), date(2026, 2, 28)),
        ("+1y", date(2028, 2, 29), date(2029, 2, 28)),
        ("-4y", date(2028, 2, 29), date(2024, 2, 29)),
        ("mon", date(2026, 12, 31), date(2027, 1, 4)),
        ("last fri", date(2027, 1, 1), date(2026, 12, 25)),
    ],
)
def test_words_name_a_day(text: str, today: date, expected: date) -> None:
    assert parse_day(text, today) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("someday", "'someday' is not a date; use YYYY-MM-DD, today"),
        ("", "is not a date"),
        ("next", "is not a date"),
        ("next week", "is not a date"),
        ("fri fri", "is not a date"),
        ("tomorow", "is not a date"),
        ("+3", "is not a date"),
        ("3d", "is not a date"),
        ("+3x", "is not a date"),
        ("+-3d", "is not a date"),
        ("+1000000d", "too far from today"),
        ("+9999y", "too far from today"),
    ],
)
def test_nonsense_is_a_message(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_day(text, FRIDAY)
    assert fragment in str(caught.value)


days = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))


@PROPERTY_SETTINGS
@given(today=days, n=st.integers(min_value=0, max_value=9999))
def test_days_ahead_and_back_are_plain_arithmetic(today: date, n: int) -> None:
    assert parse_day(f"+{n}d", today) == today + timedelta(days=n)
    assert parse_day(f"-{n}d", today) == today - timedelta(days=n)
    assert parse_day(f"+{n % 1000}w", today) == today + timedelta(weeks=n % 1000)


@PROPERTY_SETTINGS
@given(today=days, name=st.sampled_from(sorted(WEEKDAYS)))
def test_a_weekday_is_within_the_week_after_and_last_within_the_week_before(today: date, name: str) -> None:
    ahead, back, following = parse_day(name, today), parse_day(f"last {name}", today), parse_day(f"next {name}", today)
    assert 1 <= (ahead - today).days <= 7 and ahead.weekday() == WEEKDAYS[name]
    assert 1 <= (today - back).days <= 7 and back.weekday() == WEEKDAYS[name]
    next_monday = today + timedelta(days=7 - today.weekday())
    assert next_monday <= following < next_monday + timedelta(days=7) and following.weekday() == WEEKDAYS[name]


# -- the one rule of a form's date field ------------------------------------------------


def test_typed_day_reads_words_only_with_a_today() -> None:
    assert typed_day("tomorrow", "day", FRIDAY) == date(2026, 11, 21)
    assert typed_day("2026-11-27", "day", FRIDAY) == date(2026, 11, 27)
    with pytest.raises(ValueError, match=r"day 'tomorrow' is not a date; use YYYY-MM-DD$"):
        typed_day("tomorrow", "day", None)
    with pytest.raises(ValueError, match=r"day '2026-13-01' is not a date; use YYYY-MM-DD$"):
        typed_day("2026-13-01", "day", FRIDAY)  # a digit first: the ISO message, not the words
    with pytest.raises(ValueError, match=r"^due date 'soon' is not a date; use YYYY-MM-DD, today"):
        typed_day("soon", "due date", FRIDAY)
    with pytest.raises(ValueError, match="out of range; use a date from 1900 to 2200"):
        typed_day("-9999w", "day", FRIDAY)  # 1835: past the book's years


def test_the_forms_take_words_from_the_today_they_are_given() -> None:
    contact = {"name": "Dana", "roles": "designated", "last_reviewed": "yesterday"}
    assert validate_contact(contact, FRIDAY).last_reviewed == date(2026, 11, 19)
    with pytest.raises(InvalidInput) as caught:
        validate_contact(contact)  # no today: a stored value or a CSV cell, ISO only
    assert "use YYYY-MM-DD" in caught.value.errors["last_reviewed"]
    time = {"day": "last fri", "hours": "1", "category": "relationship"}
    assert validate_time_entry(time, FRIDAY).day == date(2026, 11, 13)
    with pytest.raises(InvalidInput) as caught:
        validate_time_entry({**time, "day": "fri"}, FRIDAY)  # the next Friday: time is logged once spent
    assert "is in the future" in caught.value.errors["day"]
    assert validate_review_setup({"kind": "monthly", "held_on": "next mon"}, FRIDAY).held_on == date(2026, 11, 23)
    assert validate_action({"text": "Send the report", "due": "+1w"}, FRIDAY, FRIDAY).due == date(2026, 11, 27)
    with pytest.raises(InvalidInput):
        validate_action({"text": "Send the report", "due": "+1w"}, FRIDAY)


def test_a_csv_row_is_data_and_reads_iso_only() -> None:
    """A file read tomorrow would mean another day by "yesterday": the import refuses words."""
    with pytest.raises(RowRejected) as caught:
        row(ImportKind.CONTACTS, account_number="NA-1", name="Dana", roles="designated", last_reviewed="yesterday")
    assert "use YYYY-MM-DD" in str(caught.value)


NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # Friday 15:30 in New York, Saturday 09:30 in Auckland


@pytest.mark.parametrize(
    ("zone", "site_tomorrow"),
    [("America/New_York", date(2026, 11, 21)), ("Pacific/Auckland", date(2026, 11, 22))],
)
def test_a_site_date_counts_from_the_site_today(zone: str, site_tomorrow: date) -> None:
    window = validate_window({"day": "tomorrow", "start": "09:00", "end": "12:00"}, zone, NOW)
    assert window.start == site_instant(LocalTime(datetime.combine(site_tomorrow, datetime.min.time().replace(hour=9))), zone)
    site_today = site_tomorrow - timedelta(days=1)
    assert validate_ip_letter({"sent_on": "today", "contact_id": "7"}, site_today, {7}).sent_on == site_today
    traffic = validate_traffic({"day": "yesterday", "time": "10:00"}, zone, NOW, None)
    assert traffic.passed_at.astimezone(UTC) < NOW
    with pytest.raises(InvalidInput) as caught:
        validate_traffic({"day": "tomorrow", "time": "10:00"}, zone, NOW, None)
    assert "in the future" in caught.value.errors["time"]
