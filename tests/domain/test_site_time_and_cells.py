"""Wall-clock times at a site, formula neutralising, and export cells that import back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm_tui.domain.exports import (
    activation_row,
    amount,
    contact_row,
    customer_row,
    header,
    order_row,
    plain,
    site_row,
)
from ccm_tui.domain.import_reading import parse_row, read_header
from ccm_tui.domain.import_site_times import place_at_site
from ccm_tui.domain.imports import ImportKind
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Contact,
    ContactRole,
    Customer,
    Order,
    OrderStatus,
    Region,
    ServiceKind,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.site_time import (
    LocalTime,
    parse_local_time,
    site_instant,
    site_time_text,
)
from ccm_tui.domain.spreadsheet import neutralise, restore

ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "America/St_Johns", "UTC"]


# -- site time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone", "utc"),
    [
        ("2026-11-23T09:00", "America/New_York", "2026-11-23T14:00:00+00:00"),
        ("2026-07-01 09:00", "America/New_York", "2026-07-01T13:00:00+00:00"),
        ("2026-11-01T01:30", "America/New_York", "2026-11-01T05:30:00+00:00"),  # repeated hour: the first
        ("2026-11-01T01:30-05:00", "America/New_York", "2026-11-01T06:30:00+00:00"),  # the second, by offset
        ("2026-11-23T00:00", "Asia/Kolkata", "2026-11-22T18:30:00+00:00"),
        ("2026-11-23T09:00Z", "UTC", "2026-11-23T09:00:00+00:00"),
    ],
)
def test_local_times_at_a_site(text: str, zone: str, utc: str) -> None:
    assert site_instant(parse_local_time(text, "start"), zone).isoformat() == utc


@pytest.mark.parametrize(
    ("text", "zone", "fragment"),
    [
        ("2026-03-08T02:30", "America/New_York", "does not exist"),
        ("2026-03-29T01:30", "Europe/London", "does not exist"),
        ("2026-11-23T09:00+01:00", "America/New_York", r"is not at UTC\+01:00"),
    ],
)
def test_local_times_that_are_no_instant_at_the_site(text: str, zone: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        site_instant(parse_local_time(text, "start"), zone)


@pytest.mark.parametrize("text", ["2026-11-23", "tomorrow", "23/11/2026 09:00", "", "2026-11-23T25:00"])
def test_not_a_date_and_time(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DDTHH:MM"):
        parse_local_time(text, "start")


def test_export_text_gives_the_offset_only_for_a_repeated_hour() -> None:
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    second = first + timedelta(hours=1)
    assert site_time_text(first, "America/New_York") == "2026-11-01T01:30-04:00"
    assert site_time_text(second, "America/New_York") == "2026-11-01T01:30-05:00"
    assert site_time_text(datetime(2026, 11, 23, 14, 0, tzinfo=UTC), "America/New_York") == "2026-11-23T09:00"
    assert site_time_text(datetime(2026, 11, 23, 14, 0, 30, tzinfo=UTC), "America/New_York") == "2026-11-23T09:00:30"


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(ZONES),
)
def test_every_instant_survives_the_text_round_trip(instant: datetime, zone: str) -> None:
    instant = instant.replace(microsecond=0)
    text = site_time_text(instant, zone)
    assert site_instant(parse_local_time(text, "x"), zone) == instant


def test_local_time_text_round_trips() -> None:
    local = LocalTime(datetime(2026, 11, 1, 1, 30), timedelta(hours=-5))
    assert local.text == "2026-11-01T01:30-05:00"


# -- formulas --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1 212 555 0100", "'+1 212 555 0100"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("'=x", "''=x"),
        ("plain", "plain"),
        ("'quoted", "'quoted"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(cell: str, written: str) -> None:
    assert neutralise(cell) == written
    assert restore(written) == cell


@given(st.text(max_size=30))
def test_neutralising_always_round_trips(cell: str) -> None:
    assert restore(neutralise(cell)) == cell
    assert not neutralise(cell).startswith(("=", "+", "-", "@", "\t", "\r"))


# -- export cells read back by the import -----------------------------------------------


def reparse(kind: ImportKind, cells: list[str]):  # type: ignore[no-untyped-def]
    return parse_row(read_header(kind, header(kind), 1), 2, cells)


def test_plain_numbers() -> None:
    assert [plain(Decimal(x)) for x in ("12.00", "12.50", "0.33", "0", "-0.00")] == ["12", "12.5", "0.33", "0", "0"]
    assert amount(Decimal("1234.5")) == "1234.50"


def test_customer_contact_site_order_cells_import_back() -> None:
    customer = Customer(1, "NA-1", '=Acme, "Ltd"', Region.EMEA, "Alex", Decimal("7.25"), "line one\nline two")
    parsed = reparse(ImportKind.CUSTOMERS, customer_row(customer))
    assert (parsed.name, parsed.region, parsed.hours_per_month, parsed.notes) == (
        customer.name,
        Region.EMEA,
        Decimal("7.25"),
        customer.notes,
    )

    contact = Contact(
        1,
        1,
        "-Dana",
        frozenset({ContactRole.BILLING, ContactRole.DESIGNATED}),
        "+1 212 555 0100",
        "d@x.com",
        date(2026, 1, 2),
    )
    cells = contact_row("NA-1", contact)
    assert cells[2] == "designated+billing" and cells[3] == "'+1 212 555 0100"
    parsed = reparse(ImportKind.CONTACTS, cells)
    assert parsed.contact.name == "-Dana" and parsed.contact.roles == contact.roles and parsed.contact.phone == contact.phone

    site = Site(1, 1, "@HQ", "1 Main St", "Springfield", "US", "America/Chicago")
    assert reparse(ImportKind.SITES, site_row("NA-1", site)).site.name == "@HQ"

    order = Order(
        1,
        1,
        "SO-1",
        (ServiceKind.VPN, ServiceKind.MRS),
        Decimal("10.5"),
        Decimal(0),
        "GBP",
        date(2026, 12, 1),
        OrderStatus.COMPLETED,
        date(2026, 11, 30),
    )
    parsed = reparse(ImportKind.ORDERS, order_row("NA-1", order))
    assert (parsed.services, parsed.mrc, parsed.completed_on) == (order.services, Decimal("10.50"), order.completed_on)


def test_activation_cells_import_back_to_the_same_instants() -> None:
    site = Site(3, 1, "HQ", "", "", "US", "America/New_York")
    start = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, the second 01:30 of the night
    activation = Activation(
        1,
        1,
        2,
        3,
        ServiceKind.MSS,
        True,
        (
            ActivationStep(1, 1, StepKind.INSTALLATION, None, None, StepStatus.UNSCHEDULED),
            ActivationStep(2, 1, StepKind.ACTIVATION, start, start + timedelta(hours=2), StepStatus.CONFIRMED),
        ),
        ip_letter_sent_on=date(2026, 10, 30),
    )
    cells = activation_row("NA-1", "SO-1", site, activation)
    assert cells[header(ImportKind.ACTIVATIONS).index("installation_status")] == ""  # unscheduled: blank
    placed = place_at_site(reparse(ImportKind.ACTIVATIONS, cells), site.timezone, datetime(2026, 11, 20, 20, 30, tzinfo=UTC))
    assert [(s.kind, s.status, s.start) for s in placed.steps] == [
        (StepKind.INSTALLATION, StepStatus.UNSCHEDULED, None),
        (StepKind.ACTIVATION, StepStatus.CONFIRMED, start),
    ]
