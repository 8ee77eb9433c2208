"""The book as CSV rows: the same columns the import reads, written so it reads them back.

Every value is written the way `domain.import_parsers` reads it, so exporting,
importing into an empty book and exporting again gives identical files:
amounts with two decimals, hours as plain decimals, dates ISO, windows in
the site's wall-clock time (`domain.site_time`), several roles or services
joined with `+`, an unscheduled step without a window as blank cells.
Cells a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from ccm_tui.domain.imports import COLUMNS, ImportKind
from ccm_tui.domain.model import (
    Activation,
    Contact,
    ContactRole,
    Customer,
    Order,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.site_time import site_time_text
from ccm_tui.domain.spreadsheet import neutralise

_NAMES = {kind: tuple(column.name for column in columns) for kind, columns in COLUMNS.items()}
# The first characters `neutralise` may act on (a formula's, or a quote before one): other cells,
# most of a million, skip the call.
_MAYBE_FORMULA = frozenset("'=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_STEP_CELLS = tuple((kind, f"{kind.value}_start", f"{kind.value}_end", f"{kind.value}_status") for kind in StepKind)


def header(kind: ImportKind) -> list[str]:
    return list(_NAMES[kind])


def _cells(kind: ImportKind, values: Mapping[str, str]) -> list[str]:
    cells = [values[name] for name in _NAMES[kind]]
    return [neutralise(cell) if cell[:1] in _MAYBE_FORMULA else cell for cell in cells]


def plain(number: Decimal) -> str:
    """12, 12.5, 0.33: no exponent, no trailing zeros."""
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "0") else text


def amount(money: Decimal) -> str:
    return f"{money.quantize(Decimal('0.01')):f}"


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def _local(instant: datetime | None, zone: str) -> str:
    return _site_time(instant, zone) if instant is not None else ""


@lru_cache(maxsize=8192)
def _site_time(instant: datetime, zone: str) -> str:
    """Remembered (bounded): a book's steps share their starts and ends, and the text is the same each time."""
    return site_time_text(instant, zone)


def customer_row(customer: Customer) -> list[str]:
    return _cells(
        ImportKind.CUSTOMERS,
        {
            "account_number": customer.account_number,
            "name": customer.name,
            "region": customer.region.value,
            "ccm": customer.ccm,
            "hours_per_month": plain(customer.hours_per_month),
            "notes": customer.notes,
        },
    )


def contact_row(account_number: str, contact: Contact) -> list[str]:
    return _cells(
        ImportKind.CONTACTS,
        {
            "account_number": account_number,
            "name": contact.name,
            "roles": "+".join(role.value for role in ContactRole if role in contact.roles),
            "phone": contact.phone,
            "email": contact.email,
            "last_reviewed": _day(contact.last_reviewed),
        },
    )


def site_row(account_number: str, site: Site) -> list[str]:
    return _cells(
        ImportKind.SITES,
        {
            "account_number": account_number,
            "site_name": site.name,
            "address": site.address,
            "city": site.city,
            "country": site.country,
            "subdivision": site.subdivision,
            "timezone": site.timezone,
        },
    )


def order_row(account_number: str, order: Order) -> list[str]:
    return _cells(
        ImportKind.ORDERS,
        {
            "order_number": order.number,
            "account_number": account_number,
            "services": "+".join(service.value for service in order.services),
            "mrc": amount(order.mrc),
            "nrc": amount(order.nrc),
            "currency": order.currency,
            "ccd": order.ccd.isoformat(),
            "status": order.status.value,
            "completed_on": _day(order.completed_on),
        },
    )


def activation_row(account_number: str, order_number: str, site: Site, activation: Activation) -> list[str]:
    values = {
        "order_number": order_number,
        "account_number": account_number,
        "site_name": site.name,
        "service": activation.service.value,
        "field_dispatch": "yes" if activation.field_dispatch else "no",
        "ip_letter_sent_on": _day(activation.ip_letter_sent_on),
        "traffic_passed_at": _local(activation.traffic_passed_at, site.timezone),
    }
    steps = {step.kind: step for step in activation.steps}
    managed = activation.service.managed
    for kind, start, end, status in _STEP_CELLS:
        # A service without equipment has no installation step to write (the import refuses one).
        step = steps.get(kind) if kind is StepKind.ACTIVATION or managed else None
        blank = step is None or (step.status is StepStatus.UNSCHEDULED and step.start is None and step.end is None)
        values[start] = "" if step is None else _local(step.start, site.timezone)
        values[end] = "" if step is None else _local(step.end, site.timezone)
        values[status] = "" if blank or step is None else step.status.value
    return _cells(ImportKind.ACTIVATIONS, values)


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote, and where."""

    target: str
    counts: Mapping[str, int]  # records written, by kind (customers, contacts, ...)
    readiness_included: bool | None = None  # JSON only: were checklists there to tell?

    def text(self) -> str:
        parts = ", ".join(f"{count:,} {kind}" for kind, count in self.counts.items())
        return f"Wrote {parts} to {self.target}"
