"""Rows to domain objects, and the unit conversions at the column edge.

Columns hold integer cents, integer minutes and naive UTC datetimes (portable
SQL, exact sums); the domain holds `Decimal` money and hours and aware UTC
datetimes. Every repository converts here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar, overload

from ccm_tui.domain.hours import hours_from_minutes as hours_from_minutes  # where it lives: no ORM needed
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
    TaskCategory,
    TimeEntry,
)
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    SiteRow,
    TimeEntryRow,
)

_E = TypeVar("_E", bound=StrEnum)


def members(kind: type[_E]) -> dict[str, _E]:
    """Stored code to member, by a dict: Enum's own lookup costs more than the rest of a row. Read as
    `MAP[code]` where the column can only hold the enum's codes, or `MAP.get(code) or Kind(code)` to keep
    the enum's ValueError for one that is not."""
    return {member.value: member for member in kind}


STEP_KINDS, STEP_STATUSES = members(StepKind), members(StepStatus)
SERVICES, REGIONS, ORDER_STATUSES = members(ServiceKind), members(Region), members(OrderStatus)

_CENT = Decimal("0.01")
_MINUTE = Decimal(1)
_STEP_ORDER = {StepKind.INSTALLATION: 0, StepKind.ACTIVATION: 1}


# -- units ---------------------------------------------------------------


@overload
def to_utc(naive: datetime) -> datetime: ...
@overload
def to_utc(naive: None) -> None: ...
def to_utc(naive: datetime | None) -> datetime | None:
    """A naive UTC column value as an aware UTC datetime."""
    if naive is None:
        return None
    if naive.tzinfo is not None:  # a driver that already returns aware values
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=UTC)


@overload
def to_naive_utc(aware: datetime) -> datetime: ...
@overload
def to_naive_utc(aware: None) -> None: ...
def to_naive_utc(aware: datetime | None) -> datetime | None:
    """An aware datetime as the naive UTC value a column holds."""
    if aware is None:
        return None
    if aware.tzinfo is None:
        # A naive value here is a bug upstream: its zone is unknowable.
        raise ValueError(f"refusing to store naive datetime {aware.isoformat()}: give it a time zone")
    return aware.astimezone(UTC).replace(tzinfo=None)


def cents(amount: Decimal) -> int:
    """Money to integer cents, half-up (as invoices round)."""
    return int(amount.quantize(_CENT, rounding=ROUND_HALF_UP).scaleb(2))


def from_cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def minutes(hours: Decimal) -> int:
    """Hours to whole minutes, half-up."""
    return int((hours * 60).quantize(_MINUTE, rounding=ROUND_HALF_UP))


def roles_text(roles: Iterable[ContactRole]) -> str:
    """A set of roles as the column's comma-separated text, in a stable order."""
    return ",".join(sorted(str(r.value) for r in roles))


def roles_from_text(text: str) -> frozenset[ContactRole]:
    return frozenset(ContactRole(part) for part in text.split(",") if part.strip())


# -- rows ----------------------------------------------------------------


def customer_from_row(row: CustomerRow) -> Customer:
    assert row.id is not None
    return Customer(
        id=row.id,
        account_number=row.account_number,
        name=row.name,
        region=Region(row.region),
        ccm=row.ccm,
        hours_per_month=hours_from_minutes(row.hours_per_month_minutes),
        notes=row.notes,
        version=row.version,
    )


def contact_from_row(row: ContactRow) -> Contact:
    assert row.id is not None
    return Contact(
        id=row.id,
        customer_id=row.customer_id,
        name=row.name,
        roles=roles_from_text(row.roles),
        phone=row.phone,
        email=row.email,
        last_reviewed=row.last_reviewed,
        version=row.version,
    )


def site_from_row(row: SiteRow) -> Site:
    assert row.id is not None
    return Site(
        id=row.id,
        customer_id=row.customer_id,
        name=row.name,
        address=row.address,
        city=row.city,
        country=row.country,
        timezone=row.timezone,
        version=row.version,
        subdivision=row.subdivision,
    )


def order_from_row(row: OrderRow, services: Iterable[str]) -> Order:
    """`services` are the order's service kinds (codes or `ServiceKind`), in order."""
    assert row.id is not None
    return Order(
        id=row.id,
        customer_id=row.customer_id,
        number=row.number,
        services=tuple(ServiceKind(s) for s in services),
        mrc=from_cents(row.mrc_cents),
        nrc=from_cents(row.nrc_cents),
        currency=row.currency,
        ccd=row.ccd,
        status=OrderStatus(row.status),
        completed_on=row.completed_on,
        version=row.version,
    )


def step_from_row(row: ActivationStepRow) -> ActivationStep:
    assert row.id is not None
    return ActivationStep(
        id=row.id,
        activation_id=row.activation_id,
        kind=StepKind(row.kind),
        start=to_utc(row.start_at),
        end=to_utc(row.end_at),
        status=StepStatus(row.status),
        version=row.version,
    )


def activation_from_row(row: ActivationRow, steps: Iterable[ActivationStep | ActivationStepRow]) -> Activation:
    """`steps` may be rows or converted steps; installation comes first."""
    assert row.id is not None
    converted = [s if isinstance(s, ActivationStep) else step_from_row(s) for s in steps]
    converted.sort(key=lambda s: _STEP_ORDER[s.kind])
    return Activation(
        id=row.id,
        customer_id=row.customer_id,
        order_id=row.order_id,
        site_id=row.site_id,
        service=ServiceKind(row.service),
        field_dispatch=row.field_dispatch,
        steps=tuple(converted),
        ip_letter_sent_on=row.ip_letter_sent_on,
        traffic_passed_at=to_utc(row.traffic_passed_at),
        version=row.version,
    )


def time_entry_from_row(row: TimeEntryRow) -> TimeEntry:
    assert row.id is not None
    return TimeEntry(
        id=row.id,
        customer_id=row.customer_id,
        day=row.day,
        hours=hours_from_minutes(row.minutes),
        category=TaskCategory(row.category),
        note=row.note,
        who=row.who,
    )
