"""A site's own week in the after-hours flags, and its subdivision in the JSON facts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ccm_tui.domain.after_hours import HoursFlag, after_hours_flags
from ccm_tui.domain.book_facts import CustomerRecords, FactsContext, customer_document
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Customer,
    Order,
    OrderStatus,
    Region,
    ServiceKind,
    Site,
    StepKind,
    StepStatus,
)

TEL_AVIV = SiteCalendar("Asia/Jerusalem", "IL")
NEW_YORK = SiteCalendar("America/New_York", "US")
W, A = HoursFlag.WEEKEND, HoursFlag.AFTER_HOURS


def at(zone: str, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("cal", "start", "hours", "expected"),
    [
        (TEL_AVIV, "2026-06-14 10:00", 2, set()),  # Sunday: a working day in Israel
        (TEL_AVIV, "2026-06-11 10:00", 2, set()),  # Thursday
        (TEL_AVIV, "2026-06-12 10:00", 2, {W}),  # Friday
        (TEL_AVIV, "2026-06-13 10:00", 2, {W}),  # Saturday
        (TEL_AVIV, "2026-06-13 22:00", 4, {A, W}),  # Saturday night into Sunday
        (NEW_YORK, "2026-06-14 10:00", 2, {W}),  # Sunday in New York
        (NEW_YORK, "2026-06-12 10:00", 2, set()),  # Friday in New York
    ],
    ids=["il-sunday", "il-thursday", "il-friday", "il-saturday", "il-saturday-night", "us-sunday", "us-friday"],
)
def test_the_weekend_is_the_sites_countrys(cal: SiteCalendar, start: str, hours: int, expected: set[HoursFlag]) -> None:
    begin = at(cal.zone, start)
    assert after_hours_flags(begin, begin + timedelta(hours=hours), cal) == expected


# -- JSON facts ------------------------------------------------------------------------------

SYDNEY = "Australia/Sydney"
EVENT = at(SYDNEY, "2026-10-06 10:00")  # Tuesday; Monday 5 is NSW Labour Day
CUTOFF = at(SYDNEY, "2026-10-02 10:00")  # Friday


def records(subdivision: str) -> CustomerRecords:
    site = Site(7, 1, "Sydney office", "1 George Street", "Sydney", "AU", SYDNEY, subdivision=subdivision)
    order = Order(
        3,
        1,
        "SO-9",
        (ServiceKind.INTERNET,),
        Decimal(100),
        Decimal(0),
        "AUD",
        date(2026, 12, 31),
        OrderStatus.INSTALLATION_COMPLETE,
    )
    step = ActivationStep(5, 4, StepKind.ACTIVATION, EVENT, EVENT + timedelta(hours=2), StepStatus.CONFIRMED)
    activation = Activation(4, 1, 3, 7, ServiceKind.INTERNET, False, (step,))
    customer = Customer(1, "AP-1", "Harbour Networks", Region.ASIA_PACIFIC, "Alex Morgan", Decimal(8))
    return CustomerRecords(customer, (), (site,), (order,), (activation,), Decimal(0))


def document(subdivision: str, now: datetime) -> dict:  # type: ignore[type-arg]
    return customer_document(records(subdivision), FactsContext(now, date(2026, 10, 1), BusinessHours()))


def test_json_sites_carry_their_subdivision() -> None:
    assert document("AU-NSW", CUTOFF)["sites"][0]["subdivision"] == "AU-NSW"
    assert document("", CUTOFF)["sites"][0]["subdivision"] == ""


@pytest.mark.parametrize(
    ("subdivision", "cutoff_local"),
    [("AU-NSW", "2026-10-02T10:00:00+10:00"), ("", "2026-10-05T10:00:00+11:00")],
    ids=["nsw", "country-only"],
)
def test_json_cutoff_is_in_the_sites_subdivision(subdivision: str, cutoff_local: str) -> None:
    step = document(subdivision, CUTOFF)["activations"][0]["steps"][0]
    assert step["late_change_cutoff_local"] == cutoff_local


MONDAY_CUTOFF = at(SYDNEY, "2026-10-05 10:00")  # without the subdivision


@pytest.mark.parametrize(
    ("subdivision", "now", "late"),
    [
        ("AU-NSW", CUTOFF - timedelta(seconds=1), False),
        ("AU-NSW", CUTOFF, False),
        ("AU-NSW", CUTOFF + timedelta(seconds=1), True),
        ("", MONDAY_CUTOFF, False),
        ("", MONDAY_CUTOFF + timedelta(seconds=1), True),
    ],
    ids=["nsw-before", "nsw-exactly-at", "nsw-after", "country-exactly-at", "country-after"],
)
def test_json_late_change_now_agrees_with_is_late_change(subdivision: str, now: datetime, late: bool) -> None:
    # a change exactly at the cut-off is free (domain.calendar.is_late_change)
    step = document(subdivision, now.astimezone(UTC))["activations"][0]["steps"][0]
    assert step["late_change_now"] is late
