"""One validator per field, whatever the door.

A bad value gets the same rule, and the same words, from a form and from a
CSV row; the values that used to slip through the import, or end the app
from a form, are messages at their field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ccm_tui.domain.action_inputs import (
    validate_ip_letter,
    validate_traffic,
    validate_window,
)
from ccm_tui.domain.checklist_input import validate_adhoc_item
from ccm_tui.domain.import_reading import parse_row, read_header, row_warnings
from ccm_tui.domain.import_report import RowRejected
from ccm_tui.domain.import_rows import ActivationImport
from ccm_tui.domain.import_site_times import place_at_site
from ccm_tui.domain.imports import COLUMNS, ImportKind
from ccm_tui.domain.model import ServiceKind
from ccm_tui.domain.review_inputs import (
    validate_action,
    validate_incident,
    validate_review_setup,
)
from ccm_tui.domain.validation import (
    InvalidInput,
    validate_contact,
    validate_customer,
    validate_site,
    validate_time_entry,
)

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # 15:30 in New York
ZONE = "America/New_York"


def import_problems(kind: ImportKind, **values: str) -> dict[str, str]:
    names = [c.name for c in COLUMNS[kind]]
    with pytest.raises(RowRejected) as caught:
        parse_row(read_header(kind, names, 1), 2, [values.get(n, "") for n in names])
    return {p.column: p.message for p in caught.value.problems}


def form_errors(call, *args) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        call(*args)
    return caught.value.errors


def placed_problems(**values: str) -> dict[str, str]:
    names = [c.name for c in COLUMNS[ImportKind.ACTIVATIONS]]
    row = parse_row(read_header(ImportKind.ACTIVATIONS, names, 1), 2, [values.get(n, "") for n in names])
    assert isinstance(row, ActivationImport)
    with pytest.raises(InvalidInput) as caught:
        place_at_site(row, ZONE, NOW)
    return caught.value.errors


CUSTOMER = {"account_number": "NA-1", "name": "Acme", "region": "NA"}
CONTACT = {"account_number": "NA-1", "name": "Dana", "roles": "designated"}
SITE = {"account_number": "NA-1", "site_name": "HQ", "country": "US", "timezone": ZONE}
ACTIVATION = {"order_number": "SO-1", "account_number": "NA-1", "site_name": "HQ", "service": "MRS"}


# -- the same value, the same message, from the form and from the file --------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Acme\x00"),
        ("name", "Acme\x1b[31m"),
        ("name", "two\nlines"),
        ("name", "A" * 201),
        ("ccm", "Alex\x1b]0;pwned\x07"),
        ("notes", "call\x00me"),
        ("hours_per_month", "٣"),
        ("hours_per_month", "1e2"),
    ],
    ids=["nul", "esc", "newline", "too-long", "osc-in-ccm", "nul-in-notes", "arabic-digit", "exponent"],
)
def test_customer_field_same_rule_from_form_and_file(field: str, value: str) -> None:
    from_form = form_errors(validate_customer, {**CUSTOMER, field: value})
    from_file = import_problems(ImportKind.CUSTOMERS, **{**CUSTOMER, field: value})
    assert from_form[field] == from_file[field]


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Dana\x1b"), ("phone", "+1 212 555 0100\x00"), ("email", "dana@x.example\x1b"), ("last_reviewed", "0001-01-01")],
)
def test_contact_field_same_rule_from_form_and_file(field: str, value: str) -> None:
    from_form = form_errors(validate_contact, {**CONTACT, field: value})
    from_file = import_problems(ImportKind.CONTACTS, **{**CONTACT, field: value})
    assert from_form[field] == from_file[field]


@pytest.mark.parametrize(
    ("field", "column", "value"),
    [("name", "site_name", "HQ\x00"), ("city", "city", "New\nYork"), ("address", "address", "Main St\x1b[2J")],
)
def test_site_field_same_rule_from_form_and_file(field: str, column: str, value: str) -> None:
    from_form = form_errors(validate_site, {"name": "HQ", "country": "US", "timezone": ZONE, field: value})
    from_file = import_problems(ImportKind.SITES, **{**SITE, column: value})
    assert from_form[field] == from_file[column]


def test_an_address_and_notes_keep_their_line_breaks_from_either_door() -> None:
    site = validate_site({"name": "HQ", "address": "1200 Alaskan Way\r\nPier 3", "country": "US", "timezone": ZONE})
    assert site.address == "1200 Alaskan Way\nPier 3"
    customer = validate_customer({**CUSTOMER, "notes": "one\n\ttwo"})
    assert customer.notes == "one\n\ttwo"


def test_future_traffic_is_the_same_rule_from_the_form_and_the_file() -> None:
    from_form = form_errors(validate_traffic, {"day": "2026-11-20", "time": "15:31"}, ZONE, NOW, None)
    from_file = placed_problems(**ACTIVATION, traffic_passed_at="2026-11-20T15:31")
    assert from_form["time"] == "that is in the future; record traffic once it has passed"
    assert from_file["traffic_passed_at"] == f"traffic_passed_at: {from_form['time']}"
    # a minute earlier has passed, from either door
    assert validate_traffic({"day": "2026-11-20", "time": "15:30"}, ZONE, NOW, None).passed_at == NOW


def test_traffic_before_the_call_is_the_same_rule_from_the_form_and_the_file() -> None:
    start = datetime(2026, 11, 10, 14, 0, tzinfo=UTC)
    from_form = form_errors(validate_traffic, {"day": "2026-11-10", "time": "08:59"}, ZONE, NOW, start)
    from_file = placed_problems(
        **ACTIVATION,
        activation_start="2026-11-10T09:00",
        activation_end="2026-11-10T11:00",
        activation_status="completed",
        traffic_passed_at="2026-11-10T08:59",
    )
    assert from_file["traffic_passed_at"] == f"traffic_passed_at: {from_form['time']}"


def test_a_window_over_24_hours_is_the_same_rule_from_the_form_and_the_file() -> None:
    from_form = form_errors(validate_window, {"day": "2026-10-31", "start": "02:00", "end": "02:00"}, ZONE, NOW)
    from_file = placed_problems(
        **ACTIVATION, activation_start="2026-12-01T09:00", activation_end="2026-12-02T09:01", activation_status="confirmed"
    )
    assert from_file["activation_end"] == f"activation_end: {from_form['end']}"


def test_an_ip_letter_sent_tomorrow_is_the_same_rule_from_the_form_and_the_file() -> None:
    from_form = form_errors(validate_ip_letter, {"sent_on": "2026-11-21", "contact_id": "7"}, date(2026, 11, 20), {7})
    from_file = placed_problems(**ACTIVATION, ip_letter_sent_on="2026-11-21")
    assert from_file["ip_letter_sent_on"] == f"ip_letter_sent_on: {from_form['sent_on']}"


# -- item 7: what the import used to accept ------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("activation_start", "0001-01-01T00:00", "0001-01-01 is out of range; use a date from 1900 to 2200"),
        ("activation_end", "9999-12-31T23:59", "9999-12-31 is out of range"),
        ("installation_start", "1899-12-31T23:59", "out of range"),
        ("traffic_passed_at", "0001-01-01T00:00", "out of range"),
        ("traffic_passed_at", "9999-12-31T23:59+14:00", "out of range"),
        ("ip_letter_sent_on", "0001-01-01", "out of range"),
        ("activation_start", "٢٠٢٦-١١-٢٣T09:00", "not a date and time"),
        ("activation_start", "20261123T0900", "not a date and time"),
        ("site_name", "HQ\x00", "control character (NUL"),
        ("account_number", "NA-1\x1b", "may hold only letters"),
    ],
)
def test_activation_values_the_import_used_to_accept(column: str, value: str, fragment: str) -> None:
    found = import_problems(ImportKind.ACTIVATIONS, **{**ACTIVATION, column: value})
    assert fragment in found[column], found
    assert set(found) == {column}  # the bad time alone: not also "needs its window"


@pytest.mark.parametrize(
    ("column", "value"),
    [("ccd", "0001-01-01"), ("ccd", "9999-12-31"), ("completed_on", "0001-01-01"), ("mrc", "٣"), ("nrc", "١٢")],
)
def test_order_values_the_import_used_to_accept(column: str, value: str) -> None:
    good = {"order_number": "SO-1", "account_number": "NA-1", "services": "VPN", "mrc": "1", "currency": "USD"}
    values = {**good, "ccd": "2026-12-01", "status": "completed", "completed_on": "2026-11-01", column: value}
    assert column in import_problems(ImportKind.ORDERS, **values)


def test_a_zone_of_another_country_is_a_warning_at_its_line_and_column() -> None:
    names = [c.name for c in COLUMNS[ImportKind.SITES]]
    values = {**SITE, "country": "GB", "timezone": "America/New_York"}
    row = parse_row(read_header(ImportKind.SITES, names, 1), 7, [values.get(n, "") for n in names])
    [warning] = row_warnings(7, row)
    assert (warning.line, warning.column, warning.value) == (7, "timezone", "America/New_York")
    assert "America/New_York is a time zone of US, not GB" in warning.message


def test_the_site_file_reads_a_subdivision() -> None:
    names = [c.name for c in COLUMNS[ImportKind.SITES]]
    header = read_header(ImportKind.SITES, names, 1)
    values = {**SITE, "country": "AU", "timezone": "Australia/Sydney", "subdivision": "nsw"}
    row = parse_row(header, 2, [values.get(n, "") for n in names])
    assert row.site.subdivision == "AU-NSW"  # type: ignore[union-attr]
    bad = import_problems(ImportKind.SITES, **{**values, "subdivision": "US-CA"})
    assert "not in AU" in bad["subdivision"]


# -- item 8: what ended the app from a form ----------------------------------------------------------


@pytest.mark.parametrize("days", ["²", "³", "٣", "١٢", "𝟚", "99999999999999999999999", "-1", "1.5"])
def test_adhoc_item_days_in_other_digits_are_a_message(days: str) -> None:
    values = {"text": "Rack space", "owner": "customer", "phase": "before_activation", "due_business_days": days}
    errors = form_errors(validate_adhoc_item, values, ServiceKind.MRS)
    assert set(errors) == {"due_business_days"} and "whole number" in errors["due_business_days"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"day": "9999-12-31", "start": "23:00", "end": "01:00"}, "day"),  # the end would be 10000-01-01
        ({"day": "0001-01-01", "start": "00:00", "end": "01:00"}, "day"),
        ({"day": "2026-12-01", "start": "09:00+05:00", "end": "10:00"}, "start"),  # no offset: the site's clock
        ({"day": "2026-12-01", "start": "٠٩:٠٠", "end": "10:00"}, "start"),
    ],
)
def test_window_extremes_are_a_message(values: dict[str, str], field: str) -> None:
    errors = form_errors(validate_window, values, "Pacific/Kiritimati", NOW)
    assert field in errors


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_traffic_extremes_are_a_message(day: str) -> None:
    errors = form_errors(validate_traffic, {"day": day, "time": "23:59"}, "Pacific/Kiritimati", NOW, None)
    assert "out of range" in errors["day"]


@pytest.mark.parametrize("moment", ["0001-01-01 00:00", "9999-12-31 23:59", "0001-01-01", "9999-12-31T23:59-12:00"])
def test_incident_extremes_are_a_message(moment: str) -> None:
    errors = form_errors(
        validate_incident, {"summary": "Outage", "opened_at": moment, "closed_at": moment}, NOW, "Pacific/Kiritimati"
    )
    assert "out of range" in errors["opened_at"] and "out of range" in errors["closed_at"]


@pytest.mark.parametrize(
    ("call", "args", "field"),
    [
        (validate_review_setup, ({"kind": "monthly", "held_on": "9999-12-31"}, date(2026, 11, 20)), "held_on"),
        (validate_action, ({"text": "Send the letter", "due": "9999-12-31"}, date(2026, 11, 20)), "due"),
        (validate_action, ({"text": "Send\x1b[2J the letter"}, date(2026, 11, 20)), "text"),
        (validate_time_entry, ({"day": "0001-01-01", "hours": "1", "category": "relationship"}, date(2026, 11, 20)), "day"),
        (validate_time_entry, ({"day": "2026-11-20", "hours": "٣", "category": "relationship"}, date(2026, 11, 20)), "hours"),
    ],
    ids=["review-9999", "action-due-9999", "action-esc", "time-year-1", "time-arabic-digit"],
)
def test_other_forms_extremes_are_a_message(call, args, field: str) -> None:  # type: ignore[no-untyped-def]
    assert field in form_errors(call, *args)
