"""The fee schedule, and the fees for a customer not ready (late changes: test_fee_guard.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.fees import (
    FeeSchedule,
    FeeScheduleError,
    NoFeeSchedule,
    quote_not_ready,
)
from ccm_tui.domain.model import Money, Region

SHIPPED = {
    "regions": {
        "NA": {"currency": "USD", "with_dispatch": "500.00", "without_dispatch": "250.00"},
        "APAC": {"currency": "USD", "with_dispatch": "900.00", "without_dispatch": "250.00"},
    }
}
SCHEDULE = FeeSchedule.from_mapping(SHIPPED)

NEW_YORK = SiteCalendar("America/New_York", "US")
CHICAGO = SiteCalendar("America/Chicago", "US")
LOS_ANGELES = SiteCalendar("America/Los_Angeles", "US")
TOKYO = SiteCalendar("Asia/Tokyo", "JP")
SYDNEY = SiteCalendar("Australia/Sydney", "AU")

THREE_NA_SITES = [
    (1, "New York HQ", NEW_YORK, True),
    (2, "Chicago branch", CHICAGO, False),
    (3, "Los Angeles branch", LOS_ANGELES, False),
]


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


@pytest.mark.parametrize(
    ("region", "dispatch", "expected"),
    [
        (Region.NORTH_AMERICA, True, usd("500.00")),
        (Region.NORTH_AMERICA, False, usd("250.00")),
        (Region.ASIA_PACIFIC, True, usd("900.00")),
        (Region.ASIA_PACIFIC, False, usd("250.00")),
    ],
    ids=["na-dispatch", "na-no-dispatch", "apac-dispatch", "apac-no-dispatch"],
)
def test_fee(region: Region, dispatch: bool, expected: Money) -> None:
    assert SCHEDULE.fee(region, dispatch) == expected


@pytest.mark.parametrize(
    ("region", "message"),
    [(Region.EMEA, "no fee schedule for EMEA"), (Region.LATIN_AMERICA, "no fee schedule for Latin America")],
    ids=["emea", "latam"],
)
def test_region_without_schedule_says_so(region: Region, message: str) -> None:
    with pytest.raises(NoFeeSchedule) as caught:
        SCHEDULE.fee(region, True)
    assert str(caught.value) == message
    assert caught.value.region is region
    assert isinstance(caught.value, LookupError)


@pytest.mark.parametrize(
    ("data", "region", "expected"),
    [
        (
            {"regions": {"na": {"currency": "usd", "with_dispatch": 500, "without_dispatch": 250}}},
            Region.NORTH_AMERICA,
            ("USD", Decimal(500), Decimal(250)),
        ),
        (
            {"regions": {"Asia Pacific": {"currency": "USD", "with_dispatch": 900.5, "without_dispatch": "0"}}},
            Region.ASIA_PACIFIC,
            ("USD", Decimal("900.5"), Decimal(0)),
        ),
        (
            {"regions": {"EMEA": {"currency": "EUR", "with_dispatch": " 450.00 ", "without_dispatch": "225"}}},
            Region.EMEA,
            ("EUR", Decimal("450.00"), Decimal(225)),
        ),
    ],
    ids=["codes-any-case-and-integers", "region-by-name-and-float", "strings-with-spaces"],
)
def test_from_mapping_parses(data: dict, region: Region, expected: tuple) -> None:
    fees = FeeSchedule.from_mapping(data).regions[region]
    assert (fees.currency, fees.with_dispatch, fees.without_dispatch) == expected


def test_empty_schedule_is_allowed_but_quotes_nothing() -> None:
    assert FeeSchedule.from_mapping({}).regions == {}
    with pytest.raises(NoFeeSchedule):
        FeeSchedule.from_mapping({"regions": {}}).fee(Region.NORTH_AMERICA, False)


def _na(**changes: object) -> dict:
    table = {"currency": "USD", "with_dispatch": "500.00", "without_dispatch": "250.00", **changes}
    return {"regions": {"NA": {k: v for k, v in table.items() if v is not None}}}


@pytest.mark.parametrize(
    ("data", "where", "problem"),
    [
        ({"regions": {"XX": _na()["regions"]["NA"]}}, "regions.XX", "unknown region 'XX'"),
        (_na(with_dispatch=None), "regions.NA.with_dispatch", "is missing"),
        (_na(without_dispatch="-1"), "regions.NA.without_dispatch", "must not be negative"),
        (_na(with_dispatch=-5), "regions.NA.with_dispatch", "must not be negative"),
        (_na(with_dispatch="five hundred"), "regions.NA.with_dispatch", "is not an amount"),
        (_na(with_dispatch="NaN"), "regions.NA.with_dispatch", "is not an amount"),
        (_na(with_dispatch=True), "regions.NA.with_dispatch", "is not an amount"),
        (_na(with_dispatch=[500]), "regions.NA.with_dispatch", "is not an amount"),
        (_na(currency="US"), "regions.NA.currency", "is not a three-letter currency code"),
        (_na(currency="US$"), "regions.NA.currency", "is not a three-letter currency code"),
        (_na(currency=840), "regions.NA.currency", "is not a three-letter currency code"),
        (_na(currency=None), "regions.NA.currency", "is missing"),
        (_na(with_dispach="500"), "regions.NA.with_dispach", "unknown key"),
        ({"region": {"NA": {}}}, "region", "unknown key"),
        ({"regions": ["NA"]}, "regions", "must be a table"),
        ({"regions": {"NA": "500"}}, "regions.NA", "must be a table"),
        (
            {"regions": {"NA": _na()["regions"]["NA"], "north america": _na()["regions"]["NA"]}},
            "regions.north america",
            "North America appears more than once",
        ),
    ],
    ids=[
        "unknown-region",
        "missing-amount",
        "negative-string",
        "negative-number",
        "words",
        "not-a-number",
        "boolean",
        "list",
        "two-letter-currency",
        "symbol-currency",
        "numeric-currency",
        "missing-currency",
        "misspelt-key",
        "misspelt-top-level",
        "regions-not-a-table",
        "region-not-a-table",
        "duplicate-region",
    ],
)
def test_from_mapping_names_the_bad_key(data: dict, where: str, problem: str) -> None:
    with pytest.raises(FeeScheduleError) as caught:
        FeeSchedule.from_mapping(data)
    assert caught.value.where == where
    assert problem in caught.value.problem
    assert str(caught.value).startswith(f"{where}: ")


@pytest.mark.parametrize(
    ("region", "sites", "expected"),
    [
        (Region.NORTH_AMERICA, THREE_NA_SITES, ["500.00", "250.00", "250.00"]),
        (Region.ASIA_PACIFIC, [(10, "Tokyo", TOKYO, True), (11, "Sydney", SYDNEY, True)], ["900.00", "900.00"]),
        (Region.NORTH_AMERICA, [], []),
    ],
    ids=["three-na-sites", "two-apac-dispatched", "no-sites"],
)
def test_quote_not_ready_always_charges(region: Region, sites: list, expected: list[str]) -> None:
    fees = quote_not_ready(SCHEDULE, region, sites)
    assert [fee.amount for fee in fees] == [usd(a) for a in expected]


def test_quote_not_ready_without_schedule() -> None:
    with pytest.raises(NoFeeSchedule):
        quote_not_ready(SCHEDULE, Region.LATIN_AMERICA, [(1, "São Paulo", SiteCalendar("America/Sao_Paulo", "BR"), False)])
