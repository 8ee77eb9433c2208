"""What the review forms accept, and the messages when they refuse."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ccm_tui.domain.incidents import IncidentKind
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.review_inputs import (
    parse_moment,
    validate_action,
    validate_agenda_item,
    validate_attendees,
    validate_incident,
    validate_minutes,
    validate_review_setup,
)
from ccm_tui.domain.reviews import ReviewCadence
from ccm_tui.domain.validation import InvalidInput

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # 15:30 in New York
ZONE = "America/New_York"


def test_review_setup() -> None:
    setup = validate_review_setup({"kind": "quarterly", "held_on": "2026-11-24", "cadence": "quarterly"}, TODAY)
    assert (setup.kind, setup.held_on, setup.cadence) == (ReviewKind.QUARTERLY, date(2026, 11, 24), ReviewCadence.QUARTERLY)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"kind": "", "held_on": "2026-11-24"}, "kind", "review type is required"),
        ({"kind": "weekly", "held_on": "2026-11-24"}, "kind", "unknown review type"),
        ({"kind": "monthly", "held_on": "24/11/2026"}, "held_on", "use YYYY-MM-DD"),
        ({"kind": "monthly", "held_on": "2028-01-01"}, "held_on", "more than a year"),
        ({"kind": "monthly", "held_on": "2026-11-24", "cadence": "weekly"}, "cadence", "monthly or quarterly"),
    ],
    ids=["no-kind", "bad-kind", "bad-date", "far-date", "bad-cadence"],
)
def test_review_setup_refuses(values: dict, field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_review_setup(values, TODAY)
    assert message in caught.value.errors[field]


def test_agenda_item_keeps_detail_lines_and_tidies_spaces() -> None:
    item = validate_agenda_item(
        {"section": " Other  business ", "text": "New   SD-WAN option", "details": "first\n\n  second  \n"}
    )
    assert (item.section, item.text, item.details) == ("Other business", "New SD-WAN option", ("first", "  second"))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"section": "", "text": "x"}, "section"),
        ({"section": "S", "text": " "}, "text"),
        ({"section": "S" * 65, "text": "x"}, "section"),
        ({"section": "S", "text": "x", "details": "y" * 4001}, "details"),
    ],
    ids=["no-section", "no-text", "long-section", "long-details"],
)
def test_agenda_item_refuses(values: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_agenda_item(values)
    assert field in caught.value.errors


def test_minutes_and_attendees() -> None:
    assert validate_minutes("  agreed  ") == "agreed"
    with pytest.raises(InvalidInput, match="at most 4000"):
        validate_minutes("x" * 4001)
    assert validate_attendees({"attendees": "Ann; Bo"}) == ("Ann", "Bo")
    with pytest.raises(InvalidInput):
        validate_attendees({"attendees": "; ".join(f"attendee number {n}" for n in range(120))})


@pytest.mark.parametrize(
    ("due", "expected", "message"),
    [
        ("", None, ""),
        ("2026-12-01", date(2026, 12, 1), ""),
        ("2026-11-20", date(2026, 11, 20), ""),
        ("2026-11-19", None, "before the review"),
        ("2028-01-01", None, "more than a year"),
        ("soon", None, "use YYYY-MM-DD"),
    ],
    ids=["no-date", "later", "same-day", "before-review", "far", "not-a-date"],
)
def test_action_due_dates(due: str, expected: date | None, message: str) -> None:
    values = {"text": "Send the report", "owner": "Ann", "due": due}
    if message:
        with pytest.raises(InvalidInput) as caught:
            validate_action(values, TODAY)
        assert message in caught.value.errors["due"]
    else:
        assert validate_action(values, TODAY).due == expected


def test_action_needs_text() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_action({"text": "", "owner": "Ann"}, TODAY)
    assert "action is required" in caught.value.errors["text"]


def test_incident_times_are_read_in_the_ccms_zone() -> None:
    data = validate_incident(
        {
            "kind": "escalation",
            "severity": "2",
            "summary": "Repeat  outage",
            "opened_at": "2026-11-20 09:00",
            "closed_at": "2026-11-20 11:30",
        },
        NOW,
        ZONE,
    )
    assert data.kind is IncidentKind.ESCALATION and data.severity == 2 and data.summary == "Repeat outage"
    assert data.opened_at == datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    assert data.closed_at == datetime(2026, 11, 20, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"severity": "5"}, "severity", "1 (critical) to 4 (low)"),
        ({"opened_at": "2026-11-21 09:00"}, "opened_at", "in the future"),
        ({"opened_at": "yesterday"}, "opened_at", "YYYY-MM-DD HH:MM"),
        ({"closed_at": "2026-11-19 09:00"}, "closed_at", "at or after opened"),
        ({"summary": ""}, "summary", "summary is required"),
        ({"kind": "outage"}, "kind", "incident or escalation"),
    ],
    ids=["severity", "future", "not-a-time", "closed-before-opened", "no-summary", "bad-kind"],
)
def test_incident_refuses(values: dict, field: str, message: str) -> None:
    raw = {"kind": "incident", "severity": "3", "summary": "x", "opened_at": "2026-11-20 09:00"} | values
    with pytest.raises(InvalidInput) as caught:
        validate_incident(raw, NOW, ZONE)
    assert message in caught.value.errors[field]


def test_parse_moment_across_the_dst_change() -> None:
    # New York leaves summer time on 1 November 2026.
    assert parse_moment("2026-10-31 12:00", ZONE) == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert parse_moment("2026-11-02 12:00", ZONE) == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
    assert parse_moment("2026-11-02", ZONE) == datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
