"""Any text in any field gives a value or a message at that field, never an exception.

One property per validator, for every door: the book's forms, the review,
activation and checklist forms, and the CSV import's rows. The text comes
from everywhere a CCM's keyboard or a spreadsheet can reach: any Unicode
(control characters included), digits that are not ASCII (`²`, `٣`), huge
numbers, dates from year 1 to 9999, times with offsets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccm_tui.domain.action_inputs import (
    validate_ip_letter,
    validate_traffic,
    validate_window,
)
from ccm_tui.domain.checklist_input import validate_adhoc_item, validate_block_note
from ccm_tui.domain.fields import (
    decimal_number,
    iso_date,
    multi_line,
    single_line,
    whole_number,
)
from ccm_tui.domain.import_reading import parse_row, read_header
from ccm_tui.domain.import_report import RowRejected
from ccm_tui.domain.import_rows import ActivationImport
from ccm_tui.domain.import_site_times import place_at_site
from ccm_tui.domain.imports import COLUMNS, ImportKind
from ccm_tui.domain.model import ServiceKind
from ccm_tui.domain.review_inputs import (
    parse_moment,
    validate_action,
    validate_agenda_item,
    validate_attendees,
    validate_incident,
    validate_minutes,
    validate_review_setup,
)
from ccm_tui.domain.site_location import canonical_zone, subdivision_code
from ccm_tui.domain.site_time import parse_local_time, site_instant
from ccm_tui.domain.validation import (
    InvalidInput,
    validate_contact,
    validate_customer,
    validate_site,
    validate_time_entry,
)

T = TypeVar("T")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
TODAY = NOW.date()
# the zones furthest from UTC either way, a half-hour DST, and ordinary ones
ZONES = ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe", "America/St_Johns", "America/New_York", "UTC"]

SPECIMENS = [
    "",
    " ",
    "²",
    "³",
    "٣",
    "١٢",
    "١٩٠٠-٠١-٠١",
    "１２",
    "𝟚𝟘𝟚𝟞-01-01",
    "0",
    "-0",
    "+3",
    "1e999999999",
    "9" * 5000,
    "NaN",
    "Infinity",
    "sNaN",
    "1_000",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "1900-01-01",
    "2200-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "0001-01-01 00:00",
    "9999-12-31 23:59",
    "2200-12-31T23:59",
    "9999-12-31T23:59+14:00",
    "0001-01-01T00:00-12:00",
    "2026-11-23T09:00+14:00",
    "2026-11-23T09:00-23:59",
    "2026-11-23T09:00Z",
    "2026-03-08T02:30",
    "2026-11-01T01:30",
    "2026-11-20 15:31",
    "2030-01-01T00:00",
    "23:59",
    "24:00",
    "00:00",
    "0930",
    "9:30",
    "09:30+05:00",
    "09:30Z",
    "T09:30",
    "09:30:59.999999",
    "\x00",
    "\x1b[31m",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u2028",
    "\x85",
    "\ufeff",
    "\u202e",
    "'=1+1",
    "+",
    ";",
    ",",
    "AU-NSW",
    "US-CA",
    "nsw",
    "GB",
    "UK",
    "ZZ",
    "Europe/Paris",
    "europe/paris\x00",
    "Mars/Olympus",
    "x" * 70,
    "yes",
    "no",
    "customer",
    "provider",
    "before_activation",
    "designated",
    "monthly",
    "1",
    "2",
    "4",
    "7",
]
nasty_text = st.one_of(
    st.text(),  # any Unicode but lone surrogates, control characters included
    st.sampled_from(SPECIMENS),
    st.integers().map(str),
    st.dates().map(date.isoformat),  # year 1 to 9999
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat(sep=" " if d.day % 2 else "T")),
    st.times().map(time.isoformat),
    st.text(alphabet="0123456789-:T +Z.²٣\x00\n", max_size=25),
    st.sampled_from(SPECIMENS).flatmap(lambda s: st.text(max_size=3).map(lambda t: s + t)),
)


def form(*fields: str) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({name: nasty_text for name in fields})


def value_or_message(call: Callable[..., T], fields: Sequence[str], *args: Any) -> T | None:
    """The validator's value, or None after checking its InvalidInput names fields of the form with a message."""
    try:
        return call(*args)
    except InvalidInput as error:
        assert error.errors, "InvalidInput without a field"
        assert set(error.errors) <= set(fields), error.errors
        assert all(isinstance(m, str) and m.strip() for m in error.errors.values()), error.errors
        return None


def value_or_value_error(call: Callable[..., T], *args: Any) -> T | None:
    try:
        return call(*args)
    except ValueError as error:
        assert str(error).strip()
        return None


def clean_line(text: str) -> None:
    assert single_line(text, "x", len(text)) == text


def clean_text(text: str) -> None:
    assert multi_line(text, "x", len(text)) == text


# -- the book's forms ----------------------------------------------------------------------

CUSTOMER = ("name", "account_number", "region", "ccm", "hours_per_month", "notes")
CONTACT = ("name", "roles", "phone", "email", "last_reviewed")
SITE = ("name", "address", "city", "country", "subdivision", "timezone")
TIME_ENTRY = ("day", "hours", "category", "note")


@FUZZ
@given(values=form(*CUSTOMER))
def test_customer_form(values: dict[str, str]) -> None:
    found = value_or_message(validate_customer, CUSTOMER, values)
    if found is not None:
        clean_line(found.name), clean_line(found.ccm), clean_text(found.notes)


@FUZZ
@given(values=form(*CONTACT))
def test_contact_form(values: dict[str, str]) -> None:
    found = value_or_message(validate_contact, CONTACT, values)
    if found is not None:
        clean_line(found.name), clean_line(found.phone), clean_line(found.email)


@FUZZ
@given(values=form(*SITE))
def test_site_form(values: dict[str, str]) -> None:
    found = value_or_message(validate_site, SITE, values)
    if found is not None:
        clean_line(found.name), clean_line(found.city), clean_text(found.address)
        assert set(found.warnings) <= set(SITE)


@FUZZ
@given(values=form(*TIME_ENTRY))
def test_time_entry_form(values: dict[str, str]) -> None:
    found = value_or_message(validate_time_entry, TIME_ENTRY, values, TODAY)
    if found is not None:
        assert found.day <= TODAY
        clean_line(found.note)


# -- the activation forms -------------------------------------------------------------------


@FUZZ
@given(values=form("day", "start", "end", "reason"), zone=st.sampled_from(ZONES), reason_required=st.booleans())
def test_window_form(values: dict[str, str], zone: str, reason_required: bool) -> None:
    found = value_or_message(
        lambda: validate_window(values, zone, NOW, reason_required=reason_required), ("day", "start", "end", "reason")
    )
    if found is not None:
        assert NOW < found.start < found.end and found.start.tzinfo is UTC


@FUZZ
@given(values=form("sent_on", "contact_id"))
def test_ip_letter_form(values: dict[str, str]) -> None:
    found = value_or_message(validate_ip_letter, ("sent_on", "contact_id"), values, TODAY, {1, 3, 7})
    if found is not None:
        assert found.contact_id in {1, 3, 7} and found.sent_on <= TODAY


@FUZZ
@given(values=form("day", "time"), zone=st.sampled_from(ZONES), started=st.booleans())
def test_traffic_form(values: dict[str, str], zone: str, started: bool) -> None:
    not_before = datetime(2026, 11, 1, tzinfo=UTC) if started else None
    found = value_or_message(validate_traffic, ("day", "time"), values, zone, NOW, not_before)
    if found is not None:
        assert found.passed_at <= NOW


# -- the review forms ------------------------------------------------------------------------


@FUZZ
@given(values=form("kind", "held_on", "cadence"))
def test_review_setup_form(values: dict[str, str]) -> None:
    value_or_message(validate_review_setup, ("kind", "held_on", "cadence"), values, TODAY)


@FUZZ
@given(values=form("section", "text", "details"))
def test_agenda_item_form(values: dict[str, str]) -> None:
    found = value_or_message(validate_agenda_item, ("section", "text", "details"), values)
    if found is not None:
        clean_line(found.section), clean_line(found.text)
        for line in found.details:
            clean_line(line.replace("\t", " "))


@FUZZ
@given(text=nasty_text)
def test_minutes_form(text: str) -> None:
    found = value_or_message(validate_minutes, ("minutes",), text)
    if found is not None:
        clean_text(found)


@FUZZ
@given(values=form("attendees"))
def test_attendees_form(values: dict[str, str]) -> None:
    value_or_message(validate_attendees, ("attendees",), values)


@FUZZ
@given(values=form("text", "owner", "due"))
def test_action_form(values: dict[str, str]) -> None:
    found = value_or_message(validate_action, ("text", "owner", "due"), values, TODAY)
    if found is not None:
        clean_line(found.text), clean_line(found.owner)


@FUZZ
@given(values=form("summary", "kind", "severity", "opened_at", "closed_at"), zone=st.sampled_from(ZONES))
def test_incident_form(values: dict[str, str], zone: str) -> None:
    fields = ("summary", "kind", "severity", "opened_at", "closed_at")
    found = value_or_message(validate_incident, fields, values, NOW, zone)
    if found is not None:
        assert found.opened_at <= NOW and 1 <= found.severity <= 4


@FUZZ
@given(text=nasty_text, zone=st.sampled_from(ZONES))
def test_parse_moment(text: str, zone: str) -> None:
    value_or_value_error(parse_moment, text, zone)


# -- the checklist forms ------------------------------------------------------------------------


@FUZZ
@given(values=form("text", "owner", "phase", "due_business_days", "blocking"), service=st.sampled_from(ServiceKind))
def test_adhoc_item_form(values: dict[str, str], service: ServiceKind) -> None:
    fields = ("text", "owner", "phase", "due_business_days", "blocking")
    found = value_or_message(validate_adhoc_item, fields, values, service)
    if found is not None:
        assert isinstance(found.due_business_days, int) and found.due_business_days >= 0
        clean_line(found.text)


@FUZZ
@given(values=form("note"))
def test_block_note_form(values: dict[str, str]) -> None:
    value_or_message(validate_block_note, ("note",), values)


# -- single fields, as the forms and the import both read them ---------------------------------


@FUZZ
@given(text=nasty_text)
def test_zone_field(text: str) -> None:
    value_or_value_error(canonical_zone, text)


@FUZZ
@given(country=st.sampled_from(["US", "AU", "DE", "GB", "JP", "SG"]), text=nasty_text)
def test_subdivision_field(country: str, text: str) -> None:
    value_or_value_error(subdivision_code, country, text)


@FUZZ
@given(text=nasty_text, zone=st.sampled_from(ZONES))
def test_site_local_time_field(text: str, zone: str) -> None:
    local = value_or_value_error(parse_local_time, text, "activation_start")
    if local is not None:
        value_or_value_error(site_instant, local, zone)


@FUZZ
@given(text=nasty_text)
def test_number_and_date_fields(text: str) -> None:
    value_or_value_error(decimal_number, text, "hours")
    value_or_value_error(whole_number, text, "days", 0, 30)
    value_or_value_error(iso_date, text, "ccd")
    value_or_value_error(single_line, text, "name", 200)
    value_or_value_error(multi_line, text, "notes", 4000)


# -- the CSV import: every column of every kind ---------------------------------------------------


def _row_strategy(kind: ImportKind) -> st.SearchStrategy[list[str]]:
    return st.lists(nasty_text, min_size=len(COLUMNS[kind]), max_size=len(COLUMNS[kind]) + 1)


def _check_row(kind: ImportKind, cells: list[str], zone: str) -> None:
    header = read_header(kind, [c.name for c in COLUMNS[kind]], 1)
    try:
        row = parse_row(header, 2, cells)
    except RowRejected as rejected:
        names = {c.name for c in COLUMNS[kind]} | {""}  # "" is a cell beyond the header
        assert rejected.problems and all(p.column in names and p.line == 2 for p in rejected.problems)
        assert all(p.message.strip() for p in rejected.problems)
        return
    if isinstance(row, ActivationImport):
        times = [c.name for c in COLUMNS[kind]]
        value_or_message(place_at_site, times, row, zone, NOW)


@FUZZ
@given(kind=st.sampled_from(list(ImportKind)), data=st.data(), zone=st.sampled_from(ZONES))
def test_import_rows(kind: ImportKind, data: st.DataObject, zone: str) -> None:
    _check_row(kind, data.draw(_row_strategy(kind)), zone)


GOOD_ACTIVATION: Mapping[str, str] = {
    "order_number": "SO-1",
    "account_number": "NA-1",
    "site_name": "HQ",
    "service": "MRS",
    "activation_start": "2026-11-10T09:00",
    "activation_end": "2026-11-10T11:00",
    "activation_status": "completed",
}


@FUZZ
@given(column=st.sampled_from([c.name for c in COLUMNS[ImportKind.ACTIVATIONS]]), text=nasty_text, zone=st.sampled_from(ZONES))
def test_import_activation_one_bad_cell(column: str, text: str, zone: str) -> None:
    """A good row with one cell changed reaches the placing rules more often than a row of noise."""
    cells = [text if c.name == column else GOOD_ACTIVATION.get(c.name, "") for c in COLUMNS[ImportKind.ACTIVATIONS]]
    _check_row(ImportKind.ACTIVATIONS, cells, zone)
