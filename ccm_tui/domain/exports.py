"""The book as CSV rows: the same columns the import reads, written so it reads them back.

Every value is written the way `domain.import_parsers` reads it, so exporting,
importing into an empty book and exporting again gives identical files:
amounts with two decimals, hours as plain decimals, dates ISO, windows in
the site's wall-clock time (`domain.site_time`), several roles or services
joined with `+`, an unscheduled step without a window as blank cells.
Cells a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from ccm_tui.domain.imports import COLUMNS, ImportKind
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
from ccm_tui.domain.site_time import site_time_text
from ccm_tui.domain.spreadsheet import neutralise

_NAMES = {kind: tuple(column.name for column in columns) for kind, columns in COLUMNS.items()}
# The first characters `neutralise` may act on (a formula's, or a quote before one): other cells,
# most of a million, skip the call.
_MAYBE_FORMULA = frozenset("'=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# The columns each row function writes, in its order: `header` is the import's (a test holds them equal).
# Cells of dates, times, codes and yes/no never start as a formula: an activation row checks the others only.
WRITTEN = {
    ImportKind.CUSTOMERS: ("account_number", "name", "region", "ccm", "hours_per_month", "notes"),
    ImportKind.CONTACTS: ("account_number", "name", "roles", "phone", "email", "last_reviewed"),
    ImportKind.SITES: ("account_number", "site_name", "address", "city", "country", "subdivision", "timezone"),
    ImportKind.ORDERS: (
        "order_number", "account_number", "services", "mrc", "nrc", "currency", "ccd", "status", "completed_on",
    ),
    ImportKind.ACTIVATIONS: (
        "order_number", "account_number", "site_name", "service", "field_dispatch",
        "installation_start", "installation_end", "installation_status",
        "activation_start", "activation_end", "activation_status",
        "ip_letter_sent_on", "traffic_passed_at",
    ),
}  # fmt: skip
_MANAGED = frozenset(kind.value for kind in ServiceKind if kind.managed)


def header(kind: ImportKind) -> list[str]:
    return list(_NAMES[kind])


def _text(cell: str) -> str:
    return neutralise(cell) if cell[:1] in _MAYBE_FORMULA else cell


def _checked(cells: list[str]) -> list[str]:
    """The row as written, each cell a spreadsheet would run as a formula neutralised (a row seldom has one)."""
    for cell in cells:
        if cell[:1] in _MAYBE_FORMULA:  # a phone number's "+" mostly: `_text` of each, inline
            return [neutralise(cell) if cell[:1] in _MAYBE_FORMULA else cell for cell in cells]
    return cells


def plain(number: Decimal) -> str:
    """12, 12.5, 0.33: no exponent, no trailing zeros."""
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "0") else text


def amount(money: Decimal) -> str:
    return f"{money.quantize(Decimal('0.01')):f}"


@lru_cache(maxsize=4096)
def _amount(money: Decimal) -> str:
    """`amount`, remembered (bounded): a book has few distinct charges. Equal values write the same text."""
    return amount(money)


def _money(money: Decimal) -> str:
    return _amount(money) if money else amount(money)  # a zero may be negative: equal to 0, written "-0.00"


@lru_cache(maxsize=64)
def _plain(number: Decimal) -> str:
    return plain(number)  # equal values, the same text: 12 and 12.00 are both "12"


@lru_cache(maxsize=64)
def _roles(roles: frozenset[ContactRole]) -> str:
    return "+".join(role.value for role in ContactRole if role in roles)


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def _local(instant: datetime | None, zone: str) -> str:
    return _site_time(instant, zone) if instant is not None else ""


@lru_cache(maxsize=8192)
def _site_time(instant: datetime, zone: str) -> str:
    """Remembered (bounded): a book's steps share their starts and ends, and the text is the same each time."""
    return site_time_text(instant, zone)


# Each file's row is written by one `*_cells` function from its fields' values: the records' `*_row`
# and the CSV export's walk (store/exports.py, which reads no records) both call it.


def customer_cells(account_number: str, name: str, region: Region, ccm: str, hours_per_month: Decimal, notes: str) -> list[str]:
    return _checked([account_number, name, region._value_, ccm, _plain(hours_per_month), notes])


def customer_row(customer: Customer) -> list[str]:
    c = customer
    return customer_cells(c.account_number, c.name, c.region, c.ccm, c.hours_per_month, c.notes)


def contact_cells(
    account_number: str, name: str, roles: frozenset[ContactRole], phone: str, email: str, last_reviewed: date | None
) -> list[str]:
    return _checked([account_number, name, _roles(roles), phone, email, _day(last_reviewed)])


def contact_row(account_number: str, contact: Contact) -> list[str]:
    c = contact
    return contact_cells(account_number, c.name, c.roles, c.phone, c.email, c.last_reviewed)


def site_cells(
    account_number: str, name: str, address: str, city: str, country: str, subdivision: str, timezone: str
) -> list[str]:
    return _checked([account_number, name, address, city, country, subdivision, timezone])


def site_row(account_number: str, site: Site) -> list[str]:
    return site_cells(account_number, site.name, site.address, site.city, site.country, site.subdivision, site.timezone)


def order_cells(
    number: str,
    account_number: str,
    services: Sequence[ServiceKind],
    mrc: Decimal,
    nrc: Decimal,
    currency: str,
    ccd: date,
    status: OrderStatus,
    completed_on: date | None,
) -> list[str]:
    return _checked(
        [
            number,
            account_number,
            "+".join([service._value_ for service in services]),
            _money(mrc),
            _money(nrc),
            currency,
            ccd.isoformat(),
            status._value_,
            _day(completed_on),
        ]
    )


def order_row(account_number: str, order: Order) -> list[str]:
    o = order
    return order_cells(o.number, account_number, o.services, o.mrc, o.nrc, o.currency, o.ccd, o.status, o.completed_on)


StepCells = tuple[str, str, str]  # a step's start, end and status cells


def activation_cells(
    order_number: str,
    account_number: str,
    site_name: str,
    zone: str,
    service: ServiceKind,
    field_dispatch: bool,
    installation: StepCells,
    event: StepCells,
    ip_letter_sent_on: date | None,
    traffic_passed_at: datetime | None,
) -> list[str]:
    """The row; `installation` and `event` are their steps' `step_cells` (NO_STEP for none), in the site's `zone`."""
    code = service._value_
    if code not in _MANAGED:
        installation = NO_STEP  # a service without equipment has no installation step to write (the import refuses one)
    return [
        _text(order_number),
        _text(account_number),
        _text(site_name),
        code,
        "yes" if field_dispatch else "no",
        *installation,
        *event,
        _day(ip_letter_sent_on),
        _local(traffic_passed_at, zone),
    ]


def activation_row(account_number: str, order_number: str, site: Site, activation: Activation) -> list[str]:
    zone = site.timezone
    installation = event = None
    for step in activation.steps:  # the last of a kind, as a dict by kind would keep
        if step.kind is StepKind.INSTALLATION:
            installation = step
        elif step.kind is StepKind.ACTIVATION:
            event = step
    a = activation
    return activation_cells(
        order_number,
        account_number,
        site.name,
        zone,
        a.service,
        a.field_dispatch,
        _step_cells(installation, zone),
        _step_cells(event, zone),
        a.ip_letter_sent_on,
        a.traffic_passed_at,
    )


NO_STEP: StepCells = ("", "", "")
_STEP_CELLS: dict[tuple[str, datetime | None, datetime | None, str], StepCells] = {}
_STEP_CELLS_KEPT = 8192  # remembered at most: steps share windows, and memory stays flat


def step_cells(zone: str, start: datetime | None, end: datetime | None, status: StepStatus) -> StepCells:
    """Start and end on the site's wall clock, and the status; an unscheduled step without a window is blank cells."""
    blank = status is StepStatus.UNSCHEDULED and start is None and end is None
    return (_local(start, zone), _local(end, zone), "" if blank else status._value_)


def _step_cells(step: ActivationStep | None, zone: str) -> StepCells:
    """`step_cells` of the step (NO_STEP for none), remembered."""
    if step is None:
        return NO_STEP
    key = (zone, step.start, step.end, step.status._value_)
    cells = _STEP_CELLS.get(key)
    if cells is None:
        if len(_STEP_CELLS) >= _STEP_CELLS_KEPT:
            _STEP_CELLS.clear()
        cells = _STEP_CELLS[key] = step_cells(zone, step.start, step.end, step.status)
    return cells


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote, and where."""

    target: str
    counts: Mapping[str, int]  # records written, by kind (customers, contacts, ...)
    readiness_included: bool | None = None  # JSON only: were checklists there to tell?

    def text(self) -> str:
        parts = ", ".join(f"{count:,} {kind}" for kind, count in self.counts.items())
        return f"Wrote {parts} to {self.target}"
