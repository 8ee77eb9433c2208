"""Form validation: typed inputs, every bad field reported at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.domain.model import ContactRole, Region, TaskCategory
from ccm_tui.domain.site_location import zone_suggestions
from ccm_tui.domain.validation import (
    ContactInput,
    CustomerInput,
    InvalidInput,
    SiteInput,
    TimeEntryInput,
    validate_contact,
    validate_customer,
    validate_site,
    validate_time_entry,
)

TODAY = date(2026, 6, 15)

CUSTOMER = {
    "name": " Acme Logistics ",
    "account_number": "ACME-0042",
    "region": "north america",
    "ccm": "Dana",
    "hours_per_month": "12.5",
    "notes": "",
}
CONTACT = {
    "name": "Ada Lovelace",
    "roles": "designated, Site technical contact, BILLING",
    "phone": "+1 (212) 555-0100",
    "email": "ada@acme.example.com",
    "last_reviewed": "2026-05-01",
}
SITE = {
    "name": "Tokyo office",
    "address": "1-1 Marunouchi",
    "city": "Tokyo",
    "country": "jp",
    "timezone": "asia/tokyo",
}
TIME_ENTRY = {"day": "2026-06-15", "hours": "1.25", "category": "Incidents and problems", "note": "P1 review"}


def errors_of(call, *args) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        call(*args)
    return caught.value.errors


def test_valid_customer() -> None:
    assert validate_customer(CUSTOMER) == CustomerInput(
        name="Acme Logistics",
        account_number="ACME-0042",
        region=Region.NORTH_AMERICA,
        ccm="Dana",
        hours_per_month=Decimal("12.5"),
        notes="",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "  ", "customer name is required"),
        ("account_number", "", "account number is required"),
        ("account_number", "ACME 42", "may hold only letters, digits and '-'"),
        ("account_number", "ACME#42", "may hold only letters, digits and '-'"),
        ("account_number", "A" * 33, "up to 32 characters"),
        ("region", "", "region is required"),
        ("region", "Antarctica", "unknown region 'Antarctica'"),
        ("hours_per_month", "lots", "hours per month 'lots' is not a number"),
        ("hours_per_month", "-1", "between 0 and 744"),
        ("hours_per_month", "745", "between 0 and 744"),
        ("hours_per_month", "Infinity", "is not a number"),
    ],
    ids=[
        "no-name",
        "no-account",
        "account-with-space",
        "account-with-symbol",
        "account-too-long",
        "no-region",
        "unknown-region",
        "hours-not-number",
        "hours-negative",
        "hours-beyond-month",
        "hours-infinite",
    ],
)
def test_customer_field_errors(field: str, value: str, message: str) -> None:
    errors = errors_of(validate_customer, {**CUSTOMER, field: value})
    assert list(errors) == [field]
    assert message in errors[field]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("region", "APAC", Region.ASIA_PACIFIC),
        ("region", "emea", Region.EMEA),
        ("hours_per_month", "", Decimal(0)),
        ("hours_per_month", "744", Decimal(744)),
        ("account_number", "A" * 32, "A" * 32),
    ],
    ids=["region-code", "region-lower-case", "no-package", "max-hours", "account-32-chars"],
)
def test_customer_accepts(field: str, value: str, expected: object) -> None:
    assert getattr(validate_customer({**CUSTOMER, field: value}), field) == expected


def test_customer_reports_every_bad_field_at_once() -> None:
    errors = errors_of(validate_customer, {"name": "", "account_number": "a b", "region": "Mars", "hours_per_month": "x"})
    assert set(errors) == {"name", "account_number", "region", "hours_per_month"}


def test_invalid_input_message_joins_the_errors() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_customer({})
    assert str(caught.value) == "customer name is required; account number is required; region is required"
    assert isinstance(caught.value, ValueError)


def test_valid_contact() -> None:
    assert validate_contact(CONTACT) == ContactInput(
        name="Ada Lovelace",
        roles=frozenset({ContactRole.DESIGNATED, ContactRole.SITE_TECHNICAL, ContactRole.BILLING}),
        phone="+1 (212) 555-0100",
        email="ada@acme.example.com",
        last_reviewed=date(2026, 5, 1),
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "contact name is required"),
        ("roles", "", "at least one role"),
        ("roles", " , ", "at least one role"),
        ("roles", "designated, boss", "unknown role 'boss'"),
        ("phone", "555-CALL-NOW", "only digits"),
        ("phone", "1+555 0100 000", "only digits"),
        ("phone", "555-010", "has 6 digits"),
        ("phone", "+1 212 555 0100 12345", "has 16 digits"),
        ("email", "ada.example.com", "not an address"),
        ("email", "ada@example", "not an address"),
        ("email", "ada@@example.com", "not an address"),
        ("email", "ada lovelace@example.com", "not an address"),
        ("email", "ada@example.com.", "not an address"),
        ("email", "@example.com", "not an address"),
        ("last_reviewed", "01/05/2026", "not a date; use YYYY-MM-DD"),
        ("last_reviewed", "2026-02-30", "not a date"),
    ],
    ids=[
        "no-name",
        "no-roles",
        "only-commas",
        "unknown-role",
        "letters-in-phone",
        "plus-inside-phone",
        "too-few-digits",
        "too-many-digits",
        "no-at",
        "no-dot-in-domain",
        "two-ats",
        "space",
        "trailing-dot",
        "no-local-part",
        "not-iso-date",
        "no-such-day",
    ],
)
def test_contact_field_errors(field: str, value: str, message: str) -> None:
    errors = errors_of(validate_contact, {**CONTACT, field: value})
    assert list(errors) == [field]
    assert message in errors[field]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("phone", "", ""),
        ("phone", "844-427-2875", "844-427-2875"),
        ("phone", "+44 20 7946.0000", "+44 20 7946.0000"),
        ("email", "", ""),
        ("last_reviewed", "", None),
        ("roles", "EXECUTIVE", frozenset({ContactRole.EXECUTIVE})),
        ("roles", "site_technical", frozenset({ContactRole.SITE_TECHNICAL})),
        ("roles", "authorised contact,authorised", frozenset({ContactRole.AUTHORISED})),
    ],
    ids=[
        "no-phone",
        "source-on-call-number",
        "international-with-dots",
        "no-email",
        "never-reviewed",
        "role-upper-case",
        "role-by-name",
        "role-twice",
    ],
)
def test_contact_accepts(field: str, value: str, expected: object) -> None:
    assert getattr(validate_contact({**CONTACT, field: value}), field) == expected


def test_contact_reports_every_bad_field_at_once() -> None:
    errors = errors_of(validate_contact, {"name": "", "roles": "", "phone": "x", "email": "y", "last_reviewed": "z"})
    assert set(errors) == {"name", "roles", "phone", "email", "last_reviewed"}


def test_valid_site_uses_canonical_spelling() -> None:
    assert validate_site(SITE) == SiteInput(
        name="Tokyo office", address="1-1 Marunouchi", city="Tokyo", country="JP", timezone="Asia/Tokyo"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "site name is required"),
        ("country", "", "country is required"),
        ("country", "USA", "not a two-letter ISO 3166 code"),
        ("country", "ZZ", "not a two-letter ISO 3166 code"),
        ("country", "1A", "not a two-letter ISO 3166 code"),
        ("timezone", "", "time zone is required"),
        ("timezone", "Europe/Pari", "unknown time zone 'Europe/Pari'; did you mean Europe/Paris?"),
        ("timezone", "Sydney", "unknown time zone 'Sydney'; did you mean Australia/Sydney?"),
        ("timezone", "new york", "unknown time zone 'new york'; did you mean America/New_York?"),
        ("timezone", "Nowhere/Land", "unknown time zone 'Nowhere/Land'; use an IANA name such as Europe/Paris"),
        ("timezone", "localtime", "unknown time zone 'localtime'"),
    ],
    ids=[
        "no-name",
        "no-country",
        "three-letters",
        "unassigned-code",
        "digit",
        "no-zone",
        "zone-typo",
        "bare-city",
        "city-with-space",
        "no-such-zone",
        "machine-zone",
    ],
)
def test_site_field_errors(field: str, value: str, message: str) -> None:
    errors = errors_of(validate_site, {**SITE, field: value})
    assert list(errors) == [field]
    assert message in errors[field]


def test_zone_typo_message_is_exact() -> None:
    errors = errors_of(validate_site, {**SITE, "timezone": "Europe/Pari"})
    assert errors["timezone"] == "unknown time zone 'Europe/Pari'; did you mean Europe/Paris?"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("timezone", "AMERICA/NEW_YORK", "America/New_York"),
        ("timezone", " australia/sydney ", "Australia/Sydney"),
        ("timezone", "UTC", "UTC"),
        ("country", "gb", "GB"),
        ("country", "UK", "GB"),
        ("country", "xk", "XK"),
        ("address", "", ""),
    ],
    ids=["upper-case-zone", "padded-zone", "utc", "lower-case-country", "uk-means-gb", "kosovo", "no-address"],
)
def test_site_accepts(field: str, value: str, expected: str) -> None:
    assert getattr(validate_site({**SITE, field: value}), field) == expected


def test_site_reports_every_bad_field_at_once() -> None:
    errors = errors_of(validate_site, {"name": "", "country": "???", "timezone": "Mars/Olympus"})
    assert set(errors) == {"name", "country", "timezone"}


def test_valid_time_entry() -> None:
    assert validate_time_entry(TIME_ENTRY, TODAY) == TimeEntryInput(
        day=TODAY, hours=Decimal("1.25"), category=TaskCategory.INCIDENTS, note="P1 review"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day", "", "day is required"),
        ("day", "someday", "not a date"),  # words the date fields read are in test_natural_dates
        ("day", "2026-06-16", "is in the future"),
        ("hours", "", "hours is required"),
        ("hours", "0", "more than 0 and at most 24"),
        ("hours", "-1", "more than 0 and at most 24"),
        ("hours", "24.01", "more than 0 and at most 24"),
        ("hours", "1.333", "more than two decimal places"),
        ("hours", "two", "is not a number"),
        ("category", "", "category is required"),
        ("category", "gossip", "unknown category 'gossip'; choose one of Relationship"),
    ],
    ids=[
        "no-day",
        "words-for-day",
        "tomorrow",
        "no-hours",
        "zero-hours",
        "negative-hours",
        "over-a-day",
        "three-decimals",
        "words-for-hours",
        "no-category",
        "unknown-category",
    ],
)
def test_time_entry_field_errors(field: str, value: str, message: str) -> None:
    errors = errors_of(validate_time_entry, {**TIME_ENTRY, field: value}, TODAY)
    assert list(errors) == [field]
    assert message in errors[field]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("hours", "24", Decimal(24)),
        ("hours", "0.01", Decimal("0.01")),
        ("hours", "1.50", Decimal("1.5")),
        ("category", "service_level", TaskCategory.SERVICE_LEVEL),
        ("category", "SERVICE LEVEL", TaskCategory.SERVICE_LEVEL),
        ("day", "2026-06-14", date(2026, 6, 14)),
        ("day", "Yesterday", date(2026, 6, 14)),
    ],
    ids=["whole-day", "smallest", "trailing-zero", "category-value", "category-label-any-case", "yesterday", "yesterday-in-words"],
)
def test_time_entry_accepts(field: str, value: str, expected: object) -> None:
    assert getattr(validate_time_entry({**TIME_ENTRY, field: value}, TODAY), field) == expected


def test_time_entry_reports_every_bad_field_at_once() -> None:
    errors = errors_of(validate_time_entry, {"day": "2027-01-01", "hours": "25", "category": "?"}, TODAY)
    assert set(errors) == {"day", "hours", "category"}


@pytest.mark.parametrize(
    ("prefix", "limit", "expected"),
    [
        ("europe/lo", 10, ["Europe/London"]),
        ("york", 10, ["America/New_York"]),
        ("AUSTRALIA/S", 10, ["Australia/South", "Australia/Sydney"]),
        ("nowhere", 10, []),
    ],
    ids=["prefix", "substring", "any-case-sorted", "none"],
)
def test_zone_suggestions(prefix: str, limit: int, expected: list[str]) -> None:
    assert zone_suggestions(prefix, limit) == expected


def test_zone_suggestions_put_prefix_matches_first_and_respect_limit() -> None:
    found = zone_suggestions("asia/k", 50)
    prefixed = [z for z in found if z.lower().startswith("asia/k")]
    assert found[: len(prefixed)] == sorted(prefixed)
    assert "Asia/Kolkata" in found
    assert len(zone_suggestions("a", 5)) == 5
    assert zone_suggestions("tokyo") == ["Asia/Tokyo"]
