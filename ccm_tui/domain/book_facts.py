"""The book as JSON for scripts and `jq`: every record, with the facts the app computes.

One customer becomes one JSON object holding its contacts, sites, orders
and activations, each with what the app would show beside it: after-hours
flags and the late-change cut-off of each step (in the site's calendar),
accrued charges and CCD flags of each order, hours used this month against
the package, and readiness when the checklists provide it. Money is a
string with two decimals (exact, with its currency beside it); hours are
numbers; instants are UTC (`...Z`) with the site's local time beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from ccm_tui.domain.after_hours import after_hours_flags
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar, late_change_cutoff
from ccm_tui.domain.ccd import accrued_charges, is_ccd_at_risk, is_past_ccd
from ccm_tui.domain.exports import amount
from ccm_tui.domain.hours import hours_level
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Contact,
    ContactRole,
    Customer,
    Order,
    OrderStatus,
    Site,
    StepKind,
)

FORMAT = "ccm-book"
FORMAT_VERSION = 1


class ReadinessFacts(Protocol):
    """What `domain.readiness.Readiness` holds (read by attribute, so this module need not import it)."""

    done: int
    required: int
    at_risk: bool
    risk_reason: str


@dataclass(frozen=True)
class CustomerRecords:
    """One customer and everything the book holds for it."""

    customer: Customer
    contacts: tuple[Contact, ...]
    sites: tuple[Site, ...]
    orders: tuple[Order, ...]
    activations: tuple[Activation, ...]
    hours_used: Decimal  # this month


@dataclass(frozen=True)
class FactsContext:
    now: datetime
    month: date  # first day of the CCM's current month
    business_hours: BusinessHours
    warning_ratio: float = 0.8


def document_head(ctx: FactsContext, time_zone: str, readiness_included: bool) -> dict[str, Any]:
    """The document's fields before its `customers` list."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": _utc(ctx.now),
        "time_zone": time_zone,
        "month": ctx.month.strftime("%Y-%m"),
        "business_hours": {
            "start": ctx.business_hours.start.strftime("%H:%M"),
            "end": ctx.business_hours.end.strftime("%H:%M"),
        },
        "readiness_included": readiness_included,
    }


def customer_document(
    records: CustomerRecords, ctx: FactsContext, readiness: Mapping[int, ReadinessFacts] | None = None
) -> dict[str, Any]:
    customer = records.customer
    sites = {site.id: site for site in records.sites}
    orders = {order.id: order for order in records.orders}
    package = customer.hours_per_month
    return {
        "account_number": customer.account_number,
        "name": customer.name,
        "region": customer.region.value,
        "region_name": customer.region.label,
        "ccm": customer.ccm,
        "notes": customer.notes,
        "hours": {
            "package": float(package),
            "used_this_month": float(records.hours_used),
            "left": float(package - records.hours_used),
            "level": hours_level(records.hours_used, package, ctx.warning_ratio).value,
        },
        "contacts": [_contact(contact) for contact in records.contacts],
        "sites": [_site(site) for site in records.sites],
        "orders": [_order(order, records.activations, sites, ctx) for order in records.orders],
        "activations": [
            _activation(activation, orders[activation.order_id], sites[activation.site_id], ctx, readiness)
            for activation in records.activations
            if activation.order_id in orders and activation.site_id in sites
        ],
    }


def _utc(instant: datetime | None) -> str | None:
    if instant is None:
        return None
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _local(instant: datetime | None, zone: str) -> str | None:
    return None if instant is None else instant.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "roles": [role.value for role in ContactRole if role in contact.roles],
        "phone": contact.phone,
        "email": contact.email,
        "last_reviewed": _day(contact.last_reviewed),
    }


def _site(site: Site) -> dict[str, Any]:
    return {
        "name": site.name,
        "address": site.address,
        "city": site.city,
        "country": site.country,
        "subdivision": site.subdivision,
        "timezone": site.timezone,
    }


def _order(order: Order, activations: tuple[Activation, ...], sites: Mapping[int, Site], ctx: FactsContext) -> dict[str, Any]:
    # CCDs are judged against the UTC date, as the customer book does.
    today = ctx.now.astimezone(UTC).date()
    if order.status is OrderStatus.CANCELLED:
        accrued, past, at_risk = Decimal("0.00"), False, False
    else:
        accrued = accrued_charges(order.mrc, order.ccd, order.completed_on, today)
        past = is_past_ccd(order.ccd, order.completed_on, today)
        at_risk = is_ccd_at_risk(order.ccd, order.completed_on, _planned_completion(order, activations, sites), today)
    return {
        "number": order.number,
        "services": [service.value for service in order.services],
        "currency": order.currency,
        "mrc": amount(order.mrc),
        "nrc": amount(order.nrc),
        "ccd": order.ccd.isoformat(),
        "status": order.status.value,
        "completed_on": _day(order.completed_on),
        "accrued_charges": amount(accrued),
        "past_ccd": past,
        "ccd_at_risk": at_risk,
    }


def _planned_completion(order: Order, activations: tuple[Activation, ...], sites: Mapping[int, Site]) -> date | None:
    """The latest open activation event of the order, as a date at its site."""
    days = []
    for activation in activations:
        step = activation.step(StepKind.ACTIVATION)
        if activation.order_id != order.id or step is None or not step.status.open or step.start is None:
            continue
        site = sites.get(activation.site_id)
        if site is not None:
            days.append(step.start.astimezone(ZoneInfo(site.timezone)).date())
    return max(days, default=None)


def _activation(
    activation: Activation,
    order: Order,
    site: Site,
    ctx: FactsContext,
    readiness: Mapping[int, ReadinessFacts] | None,
) -> dict[str, Any]:
    calendar = SiteCalendar(site.timezone, site.country, ctx.business_hours, site.subdivision)
    document: dict[str, Any] = {
        "order_number": order.number,
        "site_name": site.name,
        "service": activation.service.value,
        "field_dispatch": activation.field_dispatch,
        "ip_letter_sent_on": _day(activation.ip_letter_sent_on),
        "traffic_passed_at": _utc(activation.traffic_passed_at),
        "steps": [_step(step, calendar, ctx.now) for step in activation.steps],
    }
    if readiness is not None:
        found = readiness.get(activation.id)
        document["readiness"] = None if found is None else _readiness(found)
    return document


def _step(step: ActivationStep, calendar: SiteCalendar, now: datetime) -> dict[str, Any]:
    flags: list[str] = []
    if step.start is not None and step.end is not None and step.end >= step.start:
        flags = sorted(flag.value for flag in after_hours_flags(step.start, step.end, calendar))
    cutoff = late_change_cutoff(step.start, calendar) if step.start is not None else None
    return {
        "kind": step.kind.value,
        "status": step.status.value,
        "start": _utc(step.start),
        "end": _utc(step.end),
        "start_local": _local(step.start, calendar.zone),
        "end_local": _local(step.end, calendar.zone),
        "after_hours": flags,
        "late_change_cutoff": _utc(cutoff),
        "late_change_cutoff_local": _local(cutoff, calendar.zone),
        # a change made now to this open step would be a late one (is_late_change: exactly at the cut-off is free)
        "late_change_now": bool(cutoff is not None and step.status.open and now > cutoff),
    }


def _readiness(found: ReadinessFacts) -> dict[str, Any]:
    required = found.required
    percent = getattr(found, "percent", None)
    return {
        "done": found.done,
        "required": required,
        "percent": percent if percent is not None else (round(100 * found.done / required) if required else 100),
        "at_risk": found.at_risk,
        "risk_reason": found.risk_reason,
    }
