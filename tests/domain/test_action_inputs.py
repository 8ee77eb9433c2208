"""The action forms' text: windows in site time (DST gaps, next-day ends), the IP letter, traffic."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ccm_tui.domain.action_inputs import (
    validate_ip_letter,
    validate_traffic,
    validate_window,
)
from ccm_tui.domain.validation import InvalidInput

NOW = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)


def window(day: str, start: str, end: str, zone: str = "America/New_York", reason: str = "", **kw: bool):  # type: ignore[no-untyped-def]
    return validate_window({"day": day, "start": start, "end": end, "reason": reason}, zone, NOW, **kw)


@pytest.mark.parametrize(
    ("day", "start", "end", "zone", "utc_start", "utc_end"),
    [
        ("2026-03-10", "09:00", "12:00", "America/New_York", "2026-03-10T13:00", "2026-03-10T16:00"),  # EDT
        ("2026-03-06", "22:00", "02:00", "America/New_York", "2026-03-07T03:00", "2026-03-07T07:00"),  # crosses midnight
        ("2026-03-08", "01:00", "04:00", "America/New_York", "2026-03-08T06:00", "2026-03-08T08:00"),  # over the jump: 2 h
        ("2026-03-10", "0900", "1200", "Asia/Tokyo", "2026-03-10T00:00", "2026-03-10T03:00"),
        ("2026-11-01", "01:30", "03:00", "America/New_York", "2026-11-01T05:30", "2026-11-01T08:00"),  # repeated hour: first
    ],
    ids=["edt", "next-day-end", "spring-forward-span", "no-colon", "fall-back-first"],
)
def test_window_in_site_time(day: str, start: str, end: str, zone: str, utc_start: str, utc_end: str) -> None:
    parsed = window(day, start, end, zone)
    assert parsed.start == datetime.fromisoformat(utc_start).replace(tzinfo=UTC)
    assert parsed.end == datetime.fromisoformat(utc_end).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        (("2026-03-08", "02:30", "04:00"), "start", "does not exist"),
        (("2026-03-05", "09:00", "12:00"), "start", "in the future"),
        (("next week", "09:00", "12:00"), "day", "not a date"),  # words that name a day: test_natural_dates
        (("2026-03-10", "9am", "12:00"), "start", "not a time"),
        (("2026-03-10", "09:00", ""), "end", "required"),
        (("2026-10-31", "02:00", "02:00"), "end", "at most 24 hours"),  # 25 h over the fall-back
    ],
    ids=["dst-gap", "past", "bad-day", "bad-time", "no-end", "24h-plus"],
)
def test_bad_windows_name_the_field(values: tuple[str, str, str], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        window(*values)
    assert words in caught.value.errors[field]


def test_reason_required_when_asked() -> None:
    with pytest.raises(InvalidInput) as caught:
        window("2026-03-10", "09:00", "12:00", reason_required=True)
    assert "reason" in caught.value.errors
    assert window("2026-03-10", "09:00", "12:00", reason=" moved by customer ", reason_required=True).reason == "moved by customer"


def test_ip_letter() -> None:
    today = date(2026, 3, 6)
    good = validate_ip_letter({"sent_on": "2026-03-05", "contact_id": "7"}, today, {7, 8})
    assert (good.sent_on, good.contact_id) == (date(2026, 3, 5), 7)
    with pytest.raises(InvalidInput) as caught:
        validate_ip_letter({"sent_on": "2026-03-07", "contact_id": "9"}, today, {7, 8})
    assert set(caught.value.errors) == {"sent_on", "contact_id"}


def test_traffic() -> None:
    passed = validate_traffic({"day": "2026-03-06", "time": "09:30"}, "America/New_York", NOW, None)
    assert passed.passed_at == datetime(2026, 3, 6, 14, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="future"):
        validate_traffic({"day": "2026-03-06", "time": "11:00"}, "America/New_York", NOW, None)
    with pytest.raises(InvalidInput, match="before the activation"):
        validate_traffic({"day": "2026-03-06", "time": "09:30"}, "America/New_York", NOW, NOW)
