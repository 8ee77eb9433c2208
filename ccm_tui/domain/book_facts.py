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
    """One customer's document (an export makes one `BookDocuments` and asks it for every customer)."""
    return BookDocuments(ctx).customer(records, readiness)


class BookDocuments:
    """The customer documents of one export, remembering what customers share.

    A step's facts depend on its site's place (zone, country, subdivision)
    and its window only, and a book's steps share few windows: the 280,000
    steps of the 50,000-customer benchmark book have 14,000 (place, start)
    pairs, and judging each costs more than the rest of its document. So
    each window is judged once per place; what is remembered is bounded, so
    memory stays flat on any book.
    """

    def __init__(self, ctx: FactsContext) -> None:
        self.ctx = ctx
        self._today = ctx.now.astimezone(UTC).date()  # CCDs are judged against the UTC date, as the customer book does
        self._calendars: dict[tuple[str, str, str], SiteCalendar] = {}
        self._windows: dict[tuple[str, str, str, datetime | None, datetime | None], _Window] = {}

    def customer(self, records: CustomerRecords, readiness: Mapping[int, ReadinessFacts] | None = None) -> dict[str, Any]:
        customer = records.customer
        sites = {site.id: site for site in records.sites}
        orders = {order.id: order for order in records.orders}
        package = customer.hours_per_month
        planned = _planned_completions(records.activations, sites)
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
                "level": hours_level(records.hours_used, package, self.ctx.warning_ratio).value,
            },
            "contacts": [_contact(contact) for contact in records.contacts],
            "sites": [_site(site) for site in records.sites],
            "orders": [self._order(order, planned) for order in records.orders],
            "activations": [
                self._activation(activation, orders[activation.order_id], sites[activation.site_id], readiness)
                for activation in records.activations
                if activation.order_id in orders and activation.site_id in sites
            ],
        }

    def _order(self, order: Order, planned: Mapping[int, date]) -> dict[str, Any]:
        today = self._today
        if order.status is OrderStatus.CANCELLED:
            accrued, past, at_risk = Decimal("0.00"), False, False
        else:
            accrued = accrued_charges(order.mrc, order.ccd, order.completed_on, today)
            past = is_past_ccd(order.ccd, order.completed_on, today)
            at_risk = is_ccd_at_risk(order.ccd, order.completed_on, planned.get(order.id), today)
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

    def _calendar(self, site: Site) -> SiteCalendar:
        key = (site.timezone, site.country, site.subdivision)
        found = self._calendars.get(key)
        if found is None:
            found = self._calendars[key] = SiteCalendar(site.timezone, site.country, self.ctx.business_hours, site.subdivision)
        return found

    def _activation(
        self, activation: Activation, order: Order, site: Site, readiness: Mapping[int, ReadinessFacts] | None
    ) -> dict[str, Any]:
        document: dict[str, Any] = {
            "order_number": order.number,
            "site_name": site.name,
            "service": activation.service.value,
            "field_dispatch": activation.field_dispatch,
            "ip_letter_sent_on": _day(activation.ip_letter_sent_on),
            "traffic_passed_at": _utc(activation.traffic_passed_at),
            "steps": [self._step(step, site) for step in activation.steps],
        }
        if readiness is not None:
            found = readiness.get(activation.id)
            document["readiness"] = None if found is None else _readiness(found)
        return document

    def _step(self, step: ActivationStep, site: Site) -> dict[str, Any]:
        key = (site.timezone, site.country, site.subdivision, step.start, step.end)
        window = self._windows.get(key)
        if window is None:
            if len(self._windows) >= _WINDOWS_KEPT:
                self._windows.clear()
            window = self._windows[key] = _judge(step.start, step.end, self._calendar(site))
        cutoff = window.cutoff
        return {
            "kind": step.kind.value,
            "status": step.status.value,
            "start": window.start,
            "end": window.end,
            "start_local": window.start_local,
            "end_local": window.end_local,
            "after_hours": list(window.after_hours),
            "late_change_cutoff": window.cutoff_text,
            "late_change_cutoff_local": window.cutoff_local,
            # a change made now to this open step would be a late one (is_late_change: exactly at the cut-off is free)
            "late_change_now": bool(cutoff is not None and step.status.open and self.ctx.now > cutoff),
        }


_WINDOWS_KEPT = 16384  # windows remembered at most: memory stays flat on any book


@dataclass(frozen=True, slots=True)
class _Window:
    """A window's facts at one place, as the document writes them."""

    start: str | None
    end: str | None
    start_local: str | None
    end_local: str | None
    after_hours: tuple[str, ...]
    cutoff: datetime | None
    cutoff_text: str | None
    cutoff_local: str | None


def _judge(start: datetime | None, end: datetime | None, calendar: SiteCalendar) -> _Window:
    flags: tuple[str, ...] = ()
    if start is not None and end is not None and end >= start:
        flags = tuple(sorted(flag.value for flag in after_hours_flags(start, end, calendar)))
    cutoff = late_change_cutoff(start, calendar) if start is not None else None
    zone = calendar.zone
    return _Window(
        _utc(start), _utc(end), _local(start, zone), _local(end, zone), flags, cutoff, _utc(cutoff), _local(cutoff, zone)
    )


def _planned_completions(activations: tuple[Activation, ...], sites: Mapping[int, Site]) -> dict[int, date]:
    """Each order's latest open activation event, as a date at its site (by order id)."""
    latest: dict[int, date] = {}
    for activation in activations:
        step = activation.step(StepKind.ACTIVATION)
        if step is None or not step.status.open or step.start is None:
            continue
        site = sites.get(activation.site_id)
        if site is not None:
            day = step.start.astimezone(ZoneInfo(site.timezone)).date()
            if day > latest.get(activation.order_id, date.min):
                latest[activation.order_id] = day
    return latest


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
