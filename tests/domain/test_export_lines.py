"""The JSON export's lines and the CSV export's rows, made from text pieces and remembered values.

- `BookDocuments.line` writes what `json.JSONEncoder(ensure_ascii=False,
  separators=(",", ":"))` writes for the same document: every escape, float,
  null and boolean as the encoder has them (the export's bytes never changed).
- A readiness shared by many activations, an amount, a contact's roles and a
  step's cells are worked out once: what is remembered never leaks into a
  record it does not belong to.
- The CSV row functions write their cells in the import's column order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ccm_tui.domain.book_facts import BookDocuments, CustomerRecords, FactsContext
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.exports import WRITTEN, activation_row, header, order_row
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
from ccm_tui.domain.readiness import NO_CHECKLIST, Readiness

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
CTX = FactsContext(NOW, date(2026, 11, 1), BusinessHours())
AWKWARD = 'Café "Zürich" \\ back\nslash\ttab \u2028 \x07 😀 <>&'
ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def step(sid: int, kind: StepKind, start: datetime | None, hours: int, status: StepStatus) -> ActivationStep:
    return ActivationStep(sid, sid // 10, kind, start, None if start is None else start + timedelta(hours=hours), status)


def awkward_customer() -> CustomerRecords:
    site = Site(1, 1, AWKWARD, "1 Main St", "Zürich", "CH", "Europe/Zurich", subdivision="CH-ZH")
    other = Site(2, 1, "Head office", "", "Sydney", "AU", "Australia/Sydney", subdivision="")
    orders = (
        Order(1, 1, "SO-1", (ServiceKind.MRS, ServiceKind.VPN), Decimal("1250.5"), Decimal("-0.00"), "CHF", date(2026, 9, 1),
              OrderStatus.PROVISIONING),
        Order(2, 1, 'SO-"2"', (), Decimal(0), Decimal("99.999"), "AUD", date(2026, 12, 1), OrderStatus.CANCELLED),
        Order(3, 1, "SO-3", (ServiceKind.INTERNET,), Decimal(100), Decimal(0), "AUD", date(2026, 10, 1),
              OrderStatus.COMPLETED, date(2026, 10, 20)),
    )  # fmt: skip
    start = datetime(2026, 11, 21, 22, tzinfo=UTC)  # a Saturday night in Zürich, across midnight
    activations = (
        Activation(10, 1, 1, 1, ServiceKind.MRS, True, (
            step(10, StepKind.INSTALLATION, start - timedelta(days=3), 4, StepStatus.CONFIRMED),
            step(11, StepKind.ACTIVATION, start, 5, StepStatus.REQUESTED),
        ), date(2026, 11, 2), datetime(2026, 11, 19, 8, 15, 30, tzinfo=UTC)),
        Activation(20, 1, 3, 2, ServiceKind.INTERNET, False, (step(20, StepKind.ACTIVATION, None, 0, StepStatus.UNSCHEDULED),)),
        Activation(30, 1, 99, 2, ServiceKind.VPN, False, ()),  # its order is not the customer's: left out
        Activation(40, 1, 1, 2, ServiceKind.VPN, False, (step(40, StepKind.ACTIVATION, NOW, 1, StepStatus.COMPLETED),)),
    )  # fmt: skip
    contacts = (
        Contact(1, 1, AWKWARD, frozenset({ContactRole.BILLING, ContactRole.DESIGNATED}), "+41 44", "a@b.ch", date(2026, 1, 2)),
        Contact(2, 1, "Nobody", frozenset(), "", "", None),
    )
    customer = Customer(1, "EMEA-1", AWKWARD, Region.EMEA, "Jonas Weber", Decimal("24.5"), AWKWARD)
    return CustomerRecords(customer, contacts, (site, other), orders, activations, Decimal("0.33"))


@dataclass(frozen=True)
class Facts:
    """A readiness from elsewhere than the store: `percent` worked out by the document."""

    done: int
    required: int
    at_risk: bool
    risk_reason: str


READINESS = {
    10: Readiness(3, 7, True, 'a "quoted" task is overdue'),
    20: NO_CHECKLIST,
    40: Facts(1, 3, False, ""),
}


@pytest.mark.parametrize("readiness", [None, READINESS, {}], ids=["no-checklists", "checklists", "none-known"])
def test_a_line_is_what_the_encoder_writes(readiness: dict[int, object] | None) -> None:
    records = awkward_customer()
    line = BookDocuments(CTX).line(records, readiness)  # type: ignore[arg-type]
    document = json.loads(line.text)
    assert line.text == ENCODE(document)  # the encoder's own text, byte for byte
    assert "\n" not in line.text  # a customer per line
    assert line.activations == len(document["activations"]) == 3
    assert document["name"] == document["notes"] == document["contacts"][0]["name"] == AWKWARD
    assert document["hours"] == {"package": 24.5, "used_this_month": 0.33, "left": 24.17, "level": "ok"}
    assert [o["nrc"] for o in document["orders"]] == ["-0.00", "100.00", "0.00"]
    assert document["orders"][0]["accrued_charges"] != "0.00" and document["orders"][0]["past_ccd"] is True
    assert document["contacts"][1]["roles"] == [] and document["contacts"][0]["roles"] == ["designated", "billing"]
    unscheduled = document["activations"][1]["steps"][0]
    assert unscheduled["start"] is None and unscheduled["after_hours"] == [] and unscheduled["late_change_now"] is False
    if readiness is None:
        assert all("readiness" not in a for a in document["activations"])
    elif not readiness:
        assert all(a["readiness"] is None for a in document["activations"])
    else:
        assert [a["readiness"] for a in document["activations"]] == [
            {"done": 3, "required": 7, "percent": 42, "at_risk": True, "risk_reason": 'a "quoted" task is overdue'},
            {"done": 0, "required": 0, "percent": 100, "at_risk": False, "risk_reason": ""},
            {"done": 1, "required": 3, "percent": 33, "at_risk": False, "risk_reason": ""},
        ]


def test_what_is_remembered_stays_with_its_record() -> None:
    documents = BookDocuments(CTX)
    records = awkward_customer()
    first = documents.customer(records, READINESS)
    # the same records again, other readiness in turn: each activation gets its own
    swapped = {10: NO_CHECKLIST, 20: READINESS[10], 40: NO_CHECKLIST}
    again = documents.customer(records, swapped)
    assert [a["readiness"]["at_risk"] for a in again["activations"]] == [False, True, False]
    assert {k: v for k, v in again.items() if k != "activations"} == {k: v for k, v in first.items() if k != "activations"}
    assert documents.customer(records, READINESS) == first


def test_csv_rows_follow_the_import_columns() -> None:
    for kind in ImportKind:
        assert WRITTEN[kind] == tuple(header(kind))


def test_csv_cells_remembered_are_the_values_own() -> None:
    def order(number: str, mrc: Decimal) -> Order:
        return Order(1, 1, number, (ServiceKind.MRS,), mrc, Decimal("-0.00"), "USD", date(2026, 1, 1), OrderStatus.PROVISIONING)

    assert order_row("NA-1", order("A", Decimal(100)))[3:5] == ["100.00", "'-0.00"]  # -0.00 reads as a formula
    assert order_row("NA-1", order("B", Decimal("100.00")))[3:5] == ["100.00", "'-0.00"]
    assert order_row("NA-1", order("C", Decimal("0")))[3] == "0.00"
    start = datetime(2026, 11, 23, 14, tzinfo=UTC)
    york = Site(1, 1, "NY", "", "New York", "US", "America/New_York")
    london = Site(2, 1, "LDN", "", "London", "GB", "Europe/London")

    def activation(status: StepStatus) -> Activation:
        return Activation(1, 1, 1, 1, ServiceKind.VPN, False, (step(1, StepKind.ACTIVATION, start, 2, status),))

    assert activation_row("NA-1", "SO-1", york, activation(StepStatus.CONFIRMED))[8:11] == [
        "2026-11-23T09:00",
        "2026-11-23T11:00",
        "confirmed",
    ]
    assert activation_row("NA-1", "SO-1", york, activation(StepStatus.VALIDATED))[10] == "validated"
    assert activation_row("NA-1", "SO-1", london, activation(StepStatus.CONFIRMED))[8] == "2026-11-23T14:00"
