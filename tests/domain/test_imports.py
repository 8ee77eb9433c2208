"""Import rows: headers in any case and order, every cell checked, problems by column."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ccm_tui.domain.import_reading import is_blank, parse_row, read_header
from ccm_tui.domain.import_report import FileReport, ImportReport, Problem, RowRejected
from ccm_tui.domain.import_rows import (
    ActivationImport,
    ContactImport,
    KeyTracker,
    OrderInput,
    SiteImport,
)
from ccm_tui.domain.import_site_times import place_at_site
from ccm_tui.domain.imports import COLUMNS, ImportKind, ImportMode, normalise_header
from ccm_tui.domain.model import (
    ContactRole,
    OrderStatus,
    Region,
    ServiceKind,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.validation import CustomerInput, InvalidInput

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # what the import's clock says


def header(kind: ImportKind, *names: str):  # type: ignore[no-untyped-def]
    return read_header(kind, list(names) or [c.name for c in COLUMNS[kind]], 1)


def row(kind: ImportKind, **values: str):  # type: ignore[no-untyped-def]
    """Parse one row given by column name (missing columns blank)."""
    names = [c.name for c in COLUMNS[kind]]
    return parse_row(header(kind), 2, [values.get(n, "") for n in names])


def problems(kind: ImportKind, **values: str) -> dict[str, str]:
    with pytest.raises(RowRejected) as caught:
        row(kind, **values)
    return {p.column: p.message for p in caught.value.problems}


# -- headers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("account_number", "account_number"),
        (" Account Number ", "account_number"),
        ("ACCOUNT-NUMBER", "account_number"),
        ("account__number", "account_number"),
        ("Hours per month", "hours_per_month"),
        ("\tE-mail ", "e_mail"),
    ],
)
def test_header_names_in_any_case_and_spacing(raw: str, normal: str) -> None:
    assert normalise_header(raw) == normal


def test_header_in_any_order_with_aliases_and_unknown_columns_ignored() -> None:
    found = read_header(ImportKind.SITES, ["TimeZone", "Name", "Fax", "account", " COUNTRY "], 3)
    assert dict(found.positions) == {"timezone": 0, "site_name": 1, "account_number": 3, "country": 4}
    assert found.ignored == ("Fax",)
    assert found.line == 3 and found.width == 5


def test_header_missing_required_columns_and_duplicates_are_reported_together() -> None:
    with pytest.raises(RowRejected) as caught:
        read_header(ImportKind.CUSTOMERS, ["account_number", "Account Number", "ccm"], 1)
    by_column = {p.column: p.message for p in caught.value.problems}
    assert "appears twice" in by_column["account_number"]
    assert "no name column" in by_column["name"]
    assert "no region column" in by_column["region"]


def test_blank_rows_are_blank() -> None:
    assert is_blank([]) and is_blank(["", "  ", ""]) and not is_blank(["", "x"])


# -- customers, contacts, sites (the forms' validators, per column) -----------------


def test_customer_row_uses_the_form_rules() -> None:
    parsed = row(ImportKind.CUSTOMERS, account_number="NA-1", name="Acme", region="north america", hours_per_month="12.5")
    assert parsed == CustomerInput("Acme", "NA-1", Region.NORTH_AMERICA, "", Decimal("12.5"), "")


@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"account_number": "NA-1", "region": "NA"}, "name", "required"),
        ({"account_number": "NA-1", "name": "A", "region": "Europe"}, "region", "unknown region"),
        ({"account_number": "NA 1", "name": "A", "region": "NA"}, "account_number", "letters, digits"),
        (
            {"account_number": "NA-1", "name": "A", "region": "NA", "hours_per_month": "x"},
            "hours_per_month",
            "not a number",
        ),
        ({"account_number": "NA-1", "name": "A" * 201, "region": "NA"}, "name", "at most 200"),
    ],
    ids=["missing-name", "unknown-region", "bad-account", "bad-hours", "too-long"],
)
def test_customer_problems_by_column(values: dict[str, str], column: str, fragment: str) -> None:
    assert fragment in problems(ImportKind.CUSTOMERS, **values)[column]


def test_contact_roles_joined_with_plus_or_comma() -> None:
    parsed = row(ImportKind.CONTACTS, account_number="NA-1", name="Dana", roles="designated+Billing, technical")
    assert isinstance(parsed, ContactImport)
    assert parsed.contact.roles == {ContactRole.DESIGNATED, ContactRole.BILLING, ContactRole.SITE_TECHNICAL}


@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"name": "Dana", "roles": "designated"}, "account_number", "required"),
        ({"account_number": "A", "name": "Dana", "roles": "wizard"}, "roles", "unknown role"),
        ({"account_number": "A", "name": "Dana", "roles": "billing", "email": "dana@@x"}, "email", "not an address"),
        (
            {"account_number": "A", "name": "Dana", "roles": "billing", "last_reviewed": "2026-02-30"},
            "last_reviewed",
            "not a date",
        ),
    ],
    ids=["missing-account", "unknown-role", "bad-email", "bad-date"],
)
def test_contact_problems_by_column(values: dict[str, str], column: str, fragment: str) -> None:
    assert fragment in problems(ImportKind.CONTACTS, **values)[column]


def test_site_row_names_its_column_site_name() -> None:
    parsed = row(ImportKind.SITES, account_number="A", site_name="HQ", country="uk", timezone="europe/london")
    assert isinstance(parsed, SiteImport)
    assert (parsed.site.name, parsed.site.country, parsed.site.timezone) == ("HQ", "GB", "Europe/London")
    found = problems(ImportKind.SITES, account_number="A", country="US", timezone="America/Los_Angles")
    assert "required" in found["site_name"]
    assert "did you mean America/Los_Angeles" in found["timezone"]


# -- orders ------------------------------------------------------------------------


def test_order_row() -> None:
    parsed = row(
        ImportKind.ORDERS,
        order_number="SO-1",
        account_number="A",
        services="mrs+Internet",
        mrc="1250",
        nrc="300,5",
        currency="eur",
        ccd="2026-12-15",
    )
    assert parsed == OrderInput(
        "SO-1",
        "A",
        (ServiceKind.MRS, ServiceKind.INTERNET),
        Decimal(1250),
        Decimal("300.5"),
        "EUR",
        date(2026, 12, 15),
        OrderStatus.PROVISIONING,
        None,
    )


GOOD_ORDER = {
    "order_number": "SO-1",
    "account_number": "A",
    "services": "VPN",
    "mrc": "10",
    "currency": "USD",
    "ccd": "2026-12-01",
}


@pytest.mark.parametrize(
    ("changes", "column", "fragment"),
    [
        ({"services": "VPN+FAX"}, "services", "unknown service"),
        ({"services": "VPN+vpn"}, "services", "twice"),
        ({"mrc": "1,234.50"}, "mrc", "not an amount"),
        ({"mrc": "$10"}, "mrc", "not an amount"),
        ({"nrc": "10.999"}, "nrc", "not an amount"),
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"ccd": "01/12/2026"}, "ccd", "not a date"),
        ({"status": "done"}, "status", "unknown order status"),
        ({"status": "completed"}, "completed_on", "needs the date"),
        ({"completed_on": "2026-12-01"}, "completed_on", "only for completed"),
        ({"order_number": "SO 1"}, "order_number", "letters, digits"),
    ],
)
def test_order_problems_by_column(changes: dict[str, str], column: str, fragment: str) -> None:
    assert fragment in problems(ImportKind.ORDERS, **{**GOOD_ORDER, **changes})[column]


# -- activations -------------------------------------------------------------------

GOOD_ACTIVATION = {"order_number": "SO-1", "account_number": "A", "site_name": "HQ", "service": "MRS"}


def test_activation_row_managed_service_gets_both_steps() -> None:
    parsed = row(
        ImportKind.ACTIVATIONS,
        **GOOD_ACTIVATION,
        field_dispatch="Yes",
        activation_start="2026-11-30 19:00",
        activation_end="2026-11-30T22:00",
        activation_status="activated",
    )
    assert isinstance(parsed, ActivationImport)
    assert parsed.field_dispatch is True
    assert [(s.kind, s.status) for s in parsed.steps] == [
        (StepKind.INSTALLATION, StepStatus.UNSCHEDULED),
        (StepKind.ACTIVATION, StepStatus.COMPLETED),
    ]


def test_activation_window_without_status_is_requested() -> None:
    parsed = row(
        ImportKind.ACTIVATIONS,
        **{**GOOD_ACTIVATION, "service": "VPN"},
        activation_start="2026-12-01T09:00",
        activation_end="2026-12-01T10:00",
    )
    assert isinstance(parsed, ActivationImport)
    assert [(s.kind, s.status) for s in parsed.steps] == [(StepKind.ACTIVATION, StepStatus.REQUESTED)]


@pytest.mark.parametrize(
    ("changes", "column", "fragment"),
    [
        (
            {"service": "VPN", "installation_start": "2026-12-01T09:00", "installation_end": "2026-12-01T10:00"},
            "installation_start",
            "no equipment installation",
        ),
        ({"activation_start": "2026-12-01T09:00"}, "activation_end", "needs both"),
        ({"activation_start": "2026-12-01", "activation_end": "2026-12-01T10:00"}, "activation_start", "date and time"),
        ({"activation_status": "confirmed"}, "activation_start", "needs its window"),
        (
            {
                "activation_start": "2026-12-01T09:00",
                "activation_end": "2026-12-01T10:00",
                "activation_status": "unscheduled",
            },
            "activation_status",
            "has no window",
        ),
        ({"field_dispatch": "maybe"}, "field_dispatch", "neither yes nor no"),
        ({"service": "VPN", "ip_letter_sent_on": "2026-11-01"}, "ip_letter_sent_on", "only MRS and MSS"),
        ({"activation_status": "bogus"}, "activation_status", "unknown activation status"),
        ({"site_name": ""}, "site_name", "required"),
    ],
)
def test_activation_problems_by_column(changes: dict[str, str], column: str, fragment: str) -> None:
    assert fragment in problems(ImportKind.ACTIVATIONS, **{**GOOD_ACTIVATION, **changes})[column]


def test_place_at_site_uses_the_sites_zone_and_refuses_a_skipped_hour() -> None:
    parsed = row(
        ImportKind.ACTIVATIONS,
        **{**GOOD_ACTIVATION, "service": "VPN"},
        activation_start="2027-03-14T02:30",
        activation_end="2027-03-14T04:00",
    )
    assert isinstance(parsed, ActivationImport)
    with pytest.raises(InvalidInput) as caught:
        place_at_site(parsed, "America/Los_Angeles", NOW)
    assert "does not exist" in caught.value.errors["activation_start"]
    # the same wall time is fine where the clocks do not jump that night
    placed = place_at_site(parsed, "Europe/Paris", NOW)
    assert placed.steps[0].start is not None and placed.steps[0].start.isoformat() == "2027-03-14T01:30:00+00:00"


def test_end_before_start_is_found_once_placed() -> None:
    parsed = row(
        ImportKind.ACTIVATIONS,
        **{**GOOD_ACTIVATION, "service": "VPN"},
        activation_start="2026-12-01T12:00",
        activation_end="2026-12-01T11:00",
    )
    assert isinstance(parsed, ActivationImport)
    with pytest.raises(InvalidInput) as caught:
        place_at_site(parsed, "America/New_York", NOW)
    assert "not after the start" in caught.value.errors["activation_end"]


# -- whole rows ----------------------------------------------------------------------


def test_formula_quote_is_taken_off_and_line_breaks_normalised() -> None:
    parsed = row(ImportKind.CUSTOMERS, account_number="NA-1", name="'=Acme", region="NA", notes="one\r\ntwo")
    assert isinstance(parsed, CustomerInput)
    assert parsed.name == "=Acme" and parsed.notes == "one\ntwo"


def test_extra_cells_beyond_the_header_are_a_problem() -> None:
    found = read_header(ImportKind.CUSTOMERS, ["account_number", "name", "region"], 1)
    with pytest.raises(RowRejected) as caught:
        parse_row(found, 4, ["NA-1", "Acme", "NA", "stray"])
    assert caught.value.problems == (Problem(4, "", "stray", caught.value.problems[0].message),)
    # blank extra cells (a trailing separator) are fine
    assert parse_row(found, 4, ["NA-1", "Acme", "NA", ""]).account_number == "NA-1"  # type: ignore[union-attr]


def test_key_tracker_finds_duplicates_in_any_case() -> None:
    tracker = KeyTracker(ImportKind.SITES)
    first = row(ImportKind.SITES, account_number="NA-1", site_name="Head  Office", country="US", timezone="America/Chicago")
    again = row(ImportKind.SITES, account_number="na-1", site_name="head office", country="US", timezone="America/Chicago")
    assert tracker.duplicate(2, first) is None
    duplicate = tracker.duplicate(5, again)
    assert duplicate is not None and duplicate.column == "site_name" and "line 2" in duplicate.message


@pytest.mark.parametrize(
    ("mode", "written", "rejected", "text"),
    [
        (ImportMode.DRY_RUN, False, 0, "Dry run: nothing written; no problems."),
        (ImportMode.DRY_RUN, False, 2, "Dry run: nothing written; 2 rows with problems."),
        (ImportMode.ALL_OR_NOTHING, False, 1, "Nothing written: 1 row with problems (all or nothing)."),
        (ImportMode.ALL_OR_NOTHING, True, 0, "Imported: 3 records written."),
        (ImportMode.SKIP_INVALID, True, 2, "Imported the good rows (3 records written); 2 rows with problems skipped."),
    ],
)
def test_outcome_sentences(mode: ImportMode, written: bool, rejected: int, text: str) -> None:
    problems_found = tuple(Problem(i, "", "", "x") for i in range(rejected))
    file = FileReport(ImportKind.CUSTOMERS, "c.csv", rows=5, created=2, updated=1, rejected=rejected, problems=problems_found)
    assert ImportReport(mode, (file,), written).outcome() == text


@pytest.mark.parametrize(
    ("written", "text"),
    [
        (False, "would create 2, update 1; 1 unchanged, 1 rejected"),
        (True, "2 created, 1 updated, 1 unchanged, 1 rejected"),
    ],
)
def test_counts_claim_a_write_only_once_written(written: bool, text: str) -> None:
    file = FileReport(ImportKind.CUSTOMERS, "c.csv", rows=5, created=2, updated=1, unchanged=1, rejected=1)
    assert file.counts(written=written) == text
