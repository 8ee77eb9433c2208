"""Due dates, overdue items, readiness and the not-ready risk's cost.

Due dates count business days back in the site's calendar (its zone, its
weekends, its country's holidays); "overdue" compares with the site's own
date today. The clock is always an argument.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm_tui.data_files import load_fee_schedule
from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.checklist import (
    ItemState,
    Phase,
    item_due_date,
    links_to_ip_letter,
    toggled,
    visible_phases,
)
from ccm_tui.domain.checklist_input import validate_adhoc_item, validate_block_note
from ccm_tui.domain.model import Money, Region, ServiceKind, StepKind
from ccm_tui.domain.readiness import (
    Readiness,
    is_overdue,
    not_ready_cost,
    overdue_before,
    risk_reason,
)
from ccm_tui.domain.validation import InvalidInput

NEW_YORK = SiteCalendar("America/New_York", "US")
TOKYO = SiteCalendar("Asia/Tokyo", "JP")
LONDON = SiteCalendar("Europe/London", "GB")
SANTIAGO = SiteCalendar("America/Santiago", "CL")
SYDNEY = SiteCalendar("Australia/Sydney", "AU")


def at(cal: SiteCalendar, text: str) -> datetime:
    """A site's wall-clock time as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(cal.zone))


# -- due dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cal", "event", "days", "due"),
    [
        (NEW_YORK, "2026-11-23T09:00", 0, date(2026, 11, 23)),
        (NEW_YORK, "2026-11-23T09:00", 1, date(2026, 11, 20)),  # Monday: back over the weekend
        (NEW_YORK, "2026-11-23T09:00", 3, date(2026, 11, 18)),
        (NEW_YORK, "2026-11-23T09:00", 5, date(2026, 11, 16)),
        (NEW_YORK, "2026-11-27T09:00", 1, date(2026, 11, 25)),  # Thanksgiving Thursday is skipped
        (NEW_YORK, "2026-11-27T09:00", 2, date(2026, 11, 24)),
        (NEW_YORK, "2026-11-28T09:00", 0, date(2026, 11, 28)),  # a Saturday event: due on the day
        (NEW_YORK, "2026-11-28T09:00", 1, date(2026, 11, 27)),
        (TOKYO, "2026-11-24T10:00", 1, date(2026, 11, 20)),  # Labour Thanksgiving Day, Monday the 23rd
        (TOKYO, "2026-05-07T10:00", 1, date(2026, 5, 1)),  # Golden Week
        (LONDON, "2026-12-29T10:00", 2, date(2026, 12, 23)),  # Christmas and Boxing Day (observed)
        (NEW_YORK, "2026-11-02T09:00", 1, date(2026, 10, 30)),  # clocks went back on Sunday the 1st
        (NEW_YORK, "2026-11-24T00:30", 1, date(2026, 11, 23)),  # just after local midnight
        (NEW_YORK, "2026-11-23T23:30", 1, date(2026, 11, 20)),  # late evening: still Monday locally
        (SANTIAGO, "2026-09-07T09:00", 1, date(2026, 9, 4)),  # Sunday's midnight does not exist there
    ],
    ids=[
        "on-the-day",
        "over-weekend",
        "three-days",
        "five-days",
        "over-thanksgiving",
        "over-thanksgiving-2",
        "saturday-event-same-day",
        "saturday-event-one-day",
        "tokyo-holiday-monday",
        "tokyo-golden-week",
        "london-christmas",
        "new-york-dst-week",
        "after-local-midnight",
        "late-evening",
        "santiago-dst-jump",
    ],
)
def test_item_due_date(cal: SiteCalendar, event: str, days: int, due: date) -> None:
    assert item_due_date(at(cal, event), days, cal) == due


def test_due_date_is_the_sites_date_not_utc() -> None:
    # 19:00 in Honolulu is already tomorrow in UTC: the site's date decides.
    honolulu = SiteCalendar("Pacific/Honolulu", "US")
    start = at(honolulu, "2026-11-23T19:00")
    assert start.astimezone(UTC).date() == date(2026, 11, 24)
    assert item_due_date(start, 0, honolulu) == date(2026, 11, 23)


def test_negative_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="before the event"):
        item_due_date(at(NEW_YORK, "2026-11-23T09:00"), -1, NEW_YORK)


# -- overdue ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cal", "event", "days", "now", "overdue"),
    [
        (NEW_YORK, "2026-11-23T09:00", 1, "2026-11-20T15:30-05:00", False),  # due today, Friday
        (NEW_YORK, "2026-11-23T09:00", 1, "2026-11-21T00:00-05:00", True),  # Saturday has begun
        (NEW_YORK, "2026-11-23T09:00", 3, "2026-11-20T15:30-05:00", True),
        (NEW_YORK, "2026-11-23T09:00", 0, "2026-11-23T08:59-05:00", False),  # on the day
        (NEW_YORK, "2026-11-23T09:00", 0, "2026-11-24T00:00-05:00", True),  # the day is gone
        # Friday 15:30 in New York is Saturday 05:30 in Tokyo: Friday's items are late there.
        (TOKYO, "2026-11-24T10:00", 1, "2026-11-20T15:30-05:00", True),
        (TOKYO, "2026-11-24T10:00", 1, "2026-11-20T09:00-05:00", False),
        (SYDNEY, "2026-11-24T10:00", 2, "2026-11-20T12:59+00:00", False),  # 23:59 on Friday in Sydney
        (SYDNEY, "2026-11-24T10:00", 2, "2026-11-20T13:00+00:00", True),  # Saturday there
        (NEW_YORK, "2026-11-27T09:00", 1, "2026-11-25T23:59-05:00", False),  # Wednesday, before Thanksgiving
        (NEW_YORK, "2026-11-27T09:00", 1, "2026-11-26T00:00-05:00", True),
    ],
    ids=[
        "due-today",
        "weekend-begun",
        "three-days-late",
        "on-the-day",
        "day-gone",
        "tokyo-ahead",
        "tokyo-still-friday",
        "sydney-friday",
        "sydney-saturday",
        "thanksgiving-eve",
        "thanksgiving",
    ],
)
def test_is_overdue(cal: SiteCalendar, event: str, days: int, now: str, overdue: bool) -> None:
    assert is_overdue(at(cal, event), days, datetime.fromisoformat(now), cal) is overdue


@pytest.mark.parametrize(
    ("cal", "now", "days", "instant"),
    [
        (NEW_YORK, "2026-11-20T15:30-05:00", 0, "2026-11-20T00:00-05:00"),
        (NEW_YORK, "2026-11-20T15:30-05:00", 1, "2026-11-21T00:00-05:00"),  # Friday is the first business day
        (NEW_YORK, "2026-11-21T10:00-05:00", 1, "2026-11-24T00:00-05:00"),  # Saturday: Monday is
        (NEW_YORK, "2026-11-24T10:00-05:00", 3, "2026-11-28T00:00-05:00"),  # Tue, Wed, (Thanksgiving), Fri
        (NEW_YORK, "2026-10-30T10:00-04:00", 2, "2026-11-03T00:00-05:00"),  # across the DST change
        (SANTIAGO, "2026-09-04T10:00-04:00", 1, "2026-09-05T00:00-04:00"),
        (SANTIAGO, "2026-09-05T10:00-04:00", 0, "2026-09-05T00:00-04:00"),
        (SANTIAGO, "2026-09-06T10:00-03:00", 0, "2026-09-06T01:00-03:00"),  # the day starts at 01:00
    ],
    ids=["offset-0", "friday", "saturday", "thanksgiving-week", "dst-end", "santiago", "santiago-0", "santiago-jump"],
)
def test_overdue_before(cal: SiteCalendar, now: str, days: int, instant: str) -> None:
    assert overdue_before(datetime.fromisoformat(now), cal, days) == datetime.fromisoformat(instant).astimezone(UTC)


CALENDARS = [NEW_YORK, TOKYO, LONDON, SANTIAGO, SYDNEY]
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(
    cal=st.sampled_from(CALENDARS),
    now_minutes=st.integers(0, 365 * 24 * 60),
    ahead_minutes=st.integers(-5 * 24 * 60, 40 * 24 * 60),
    days=st.integers(0, 12),
)
def test_overdue_before_agrees_with_the_due_date(cal: SiteCalendar, now_minutes: int, ahead_minutes: int, days: int) -> None:
    """The one instant per offset that SQL compares with says what the due date says."""
    now = EPOCH + timedelta(minutes=now_minutes)
    event = now + timedelta(minutes=ahead_minutes)
    assert is_overdue(event, days, now, cal) == (event < overdue_before(now, cal, days))


@settings(max_examples=150, deadline=None)
@given(
    cal=st.sampled_from(CALENDARS),
    now_minutes=st.integers(0, 365 * 24 * 60),
    ahead_minutes=st.integers(0, 30 * 24 * 60),
    days=st.integers(0, 10),
)
def test_an_item_due_earlier_is_overdue_sooner(cal: SiteCalendar, now_minutes: int, ahead_minutes: int, days: int) -> None:
    """Monotone in the offset: the largest outstanding offset decides whether any item is overdue."""
    now = EPOCH + timedelta(minutes=now_minutes)
    event = now + timedelta(minutes=ahead_minutes)
    if is_overdue(event, days, now, cal):
        assert is_overdue(event, days + 1, now, cal)


# -- readiness and the risk -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "required", "percent"),
    [(0, 0, 100), (0, 10, 0), (5, 10, 50), (9, 10, 90), (199, 200, 99), (3, 3, 100)],
    ids=["nothing-required", "none-done", "half", "ninety", "never-rounds-up", "all"],
)
def test_percent(done: int, required: int, percent: int) -> None:
    assert Readiness(done, required, at_risk=False).percent == percent


@pytest.mark.parametrize(
    ("step", "count", "text", "expected"),
    [
        (StepKind.ACTIVATION, 1, "Rack space", "1 customer task is overdue for the activation event: Rack space"),
        (
            StepKind.INSTALLATION,
            3,
            "Power",
            "3 customer tasks are overdue for the equipment installation: Power (and 2 more)",
        ),
    ],
    ids=["one", "three"],
)
def test_risk_reason(step: StepKind, count: int, text: str, expected: str) -> None:
    assert risk_reason(step, count, text) == expected


@pytest.mark.parametrize(
    ("region", "dispatch", "total", "reason"),
    [
        (Region.NORTH_AMERICA, False, Money(Decimal("250.00"), "USD"), ""),
        (Region.NORTH_AMERICA, True, Money(Decimal("500.00"), "USD"), ""),
        (Region.ASIA_PACIFIC, True, Money(Decimal("900.00"), "USD"), ""),
        (Region.EMEA, True, None, "no fee schedule for EMEA"),
        (Region.LATIN_AMERICA, False, None, "no fee schedule for Latin America"),
    ],
    ids=["na", "na-dispatch", "apac-dispatch", "emea", "latam"],
)
def test_not_ready_cost(region: Region, dispatch: bool, total: Money | None, reason: str) -> None:
    ccd = date(2026, 12, 1)
    cost = not_ready_cost(load_fee_schedule(), region, [(7, "Head office", NEW_YORK, dispatch)], ccd)
    assert (cost.total, cost.no_fee_reason, cost.ccd) == (total, reason, ccd)
    assert len(cost.fees) == (0 if total is None else 1)


# -- item states, phases, the IP letter -----------------------------------------------------


@pytest.mark.parametrize(
    ("state", "after"),
    [
        (ItemState.OPEN, ItemState.DONE),
        (ItemState.DONE, ItemState.OPEN),
        (ItemState.BLOCKED, ItemState.DONE),
        (ItemState.NOT_APPLICABLE, ItemState.DONE),
    ],
    ids=lambda s: s.value,
)
def test_toggled(state: ItemState, after: ItemState) -> None:
    assert toggled(state) is after


@pytest.mark.parametrize(
    ("service", "activated", "phases"),
    [
        (
            ServiceKind.MRS,
            False,
            [Phase.BEFORE_INSTALLATION, Phase.INSTALLATION_VISIT, Phase.BEFORE_ACTIVATION, Phase.DURING_CALL],
        ),
        (ServiceKind.MSS, True, list(Phase)),
        (ServiceKind.VPN, False, [Phase.BEFORE_ACTIVATION, Phase.DURING_CALL]),
        (ServiceKind.INTERNET, True, [Phase.BEFORE_ACTIVATION, Phase.DURING_CALL, Phase.AFTER_ACTIVATION]),
    ],
    ids=["managed-before", "managed-after", "unmanaged-before", "unmanaged-after"],
)
def test_visible_phases(service: ServiceKind, activated: bool, phases: list[Phase]) -> None:
    assert list(visible_phases(service, activated)) == phases


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("IP configuration letter sent to the site technical contact", True),
        ("Configuration from the IP letter is loaded on the device", True),
        ("Configuration from the letter loaded on the customer's device", False),
        ("Rack space", False),
    ],
)
def test_links_to_ip_letter(text: str, links: bool) -> None:
    assert links_to_ip_letter(text) is links


# -- the forms ---------------------------------------------------------------------------------


GOOD_ITEM = {
    "text": "Parking permit",
    "owner": "customer",
    "phase": "before_installation",
    "due_business_days": "2",
    "blocking": "yes",
}


def test_adhoc_item_good() -> None:
    item = validate_adhoc_item(GOOD_ITEM, ServiceKind.MRS)
    assert (item.text, item.phase, item.due_business_days, item.blocking) == ("Parking permit", Phase.BEFORE_INSTALLATION, 2, True)


@pytest.mark.parametrize(
    ("changes", "service", "field", "words"),
    [
        ({"text": "  "}, ServiceKind.MRS, "text", "required"),
        ({"text": "x" * 401}, ServiceKind.MRS, "text", "at most 400"),
        ({"owner": "vendor"}, ServiceKind.MRS, "owner", "not one of"),
        ({"owner": ""}, ServiceKind.MRS, "owner", "choose"),
        ({"phase": "lunch"}, ServiceKind.MRS, "phase", "not one of"),
        ({}, ServiceKind.VPN, "phase", "no equipment installation"),
        ({"due_business_days": "31"}, ServiceKind.MRS, "due_business_days", "0 (on the day) to 30"),
        ({"due_business_days": "-1"}, ServiceKind.MRS, "due_business_days", "whole number"),
        ({"due_business_days": "two"}, ServiceKind.MRS, "due_business_days", "whole number"),
        ({"blocking": "maybe"}, ServiceKind.MRS, "blocking", "yes if"),
    ],
    ids=[
        "blank",
        "long",
        "owner",
        "no-owner",
        "phase",
        "unmanaged-install",
        "days-high",
        "days-negative",
        "days-word",
        "blocking",
    ],
)
def test_adhoc_item_bad_field(changes: dict[str, str], service: ServiceKind, field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_adhoc_item(GOOD_ITEM | changes, service)
    assert list(caught.value.errors) == [field]
    assert words in caught.value.errors[field]


def test_adhoc_item_reports_every_field_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_adhoc_item({}, ServiceKind.MRS)
    assert set(caught.value.errors) == {"text", "owner", "phase"}


@pytest.mark.parametrize(("note", "ok"), [("Landlord approval", True), ("   ", False), ("x" * 1001, False)])
def test_block_note(note: str, ok: bool) -> None:
    if ok:
        assert validate_block_note({"note": f" {note} "}) == note
    else:
        with pytest.raises(InvalidInput) as caught:
            validate_block_note({"note": note})
        assert "note" in caught.value.errors
