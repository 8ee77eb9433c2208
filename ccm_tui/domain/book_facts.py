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

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, NamedTuple, Protocol
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
    StepStatus,
)

FORMAT = "ccm-book"
FORMAT_VERSION = 1


class ReadinessFacts(Protocol):
    """What `domain.readiness.Readiness` holds (read by attribute, so this module need not import it)."""

    @property
    def done(self) -> int: ...
    @property
    def required(self) -> int: ...
    @property
    def at_risk(self) -> bool: ...
    @property
    def risk_reason(self) -> str: ...


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


class CustomerLine(NamedTuple):
    """One customer's document as a line of JSON, and how many of its activations it holds."""

    text: str
    activations: int


class BookDocuments:
    """The customer documents of one export, remembering what customers share.

    A step's facts depend on its site's place (zone, country, subdivision)
    and its window only, and a book's steps share few windows: the 280,000
    steps of the 50,000-customer benchmark book have 14,000 (place, start)
    pairs, and judging each costs more than the rest of its document. So
    each window is judged once per place, and written as JSON once; what is
    remembered is bounded, so memory stays flat on any book. Likewise a
    contact's roles, an amount and a readiness shared by many activations.

    The export writes each document as one line of JSON (`line`), the text
    `json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))` makes of
    `customer`'s dict, put together from its values' JSON (a dict per record
    and the encoder walking it cost more than the facts). Codes are read as
    `_value_`: an enum's `value` is a property, called a million times over.
    """

    def __init__(self, ctx: FactsContext) -> None:
        self.ctx = ctx
        self._today = ctx.now.astimezone(UTC).date()  # CCDs are judged against the UTC date, as the customer book does
        self._calendars: dict[tuple[str, str, str], SiteCalendar] = {}
        self._windows: dict[tuple[str, str, str, datetime | None, datetime | None], _Window] = {}
        self._roles: dict[frozenset[ContactRole], str] = {}  # at most one per set of the five roles
        self._amounts: dict[Decimal, str] = {}
        self._readiness: tuple[object, str] | None = None  # the last readiness and its JSON

    def customer(self, records: CustomerRecords, readiness: Mapping[int, ReadinessFacts] | None = None) -> dict[str, Any]:
        """The customer's document: its `line`, read back."""
        document: dict[str, Any] = json.loads(self.line(records, readiness).text)
        return document

    def line(self, records: CustomerRecords, readiness: Mapping[int, ReadinessFacts] | None = None) -> CustomerLine:
        customer = records.customer
        sites = {site.id: site for site in records.sites}
        orders = {order.id: order for order in records.orders}
        package, used = customer.hours_per_month, records.hours_used
        planned = self._planned_completions(records.activations, sites)
        activations = [
            self._activation(activation, orders[activation.order_id], sites[activation.site_id], readiness)
            for activation in records.activations
            if activation.order_id in orders and activation.site_id in sites
        ]
        level = hours_level(used, package, self.ctx.warning_ratio)._value_
        text = (
            f'{{"account_number":{_s(customer.account_number)},"name":{_s(customer.name)},'
            f'"region":{_s(customer.region._value_)},"region_name":{_s(customer.region.label)},'
            f'"ccm":{_s(customer.ccm)},"notes":{_s(customer.notes)},'
            f'"hours":{{"package":{_float(package)},"used_this_month":{_float(used)},'
            f'"left":{_float(package - used)},"level":{_s(level)}}},'
            f'"contacts":[{",".join([self._contact(contact) for contact in records.contacts])}],'
            f'"sites":[{",".join([_site(site) for site in records.sites])}],'
            f'"orders":[{",".join([self._order(order, planned) for order in records.orders])}],'
            f'"activations":[{",".join(activations)}]}}'
        )
        return CustomerLine(text, len(activations))

    def _contact(self, contact: Contact) -> str:
        roles = self._roles.get(contact.roles)
        if roles is None:
            roles = self._roles[contact.roles] = ",".join(_s(role.value) for role in ContactRole if role in contact.roles)
        return (
            f'{{"name":{_s(contact.name)},"roles":[{roles}],"phone":{_s(contact.phone)},'
            f'"email":{_s(contact.email)},"last_reviewed":{_day(contact.last_reviewed)}}}'
        )

    def _amount(self, money: Decimal) -> str:
        if not money:
            return _s(amount(money))  # zero, perhaps negative zero: not remembered
        text = self._amounts.get(money)
        if text is None:
            if len(self._amounts) >= _WINDOWS_KEPT:
                self._amounts.clear()
            text = self._amounts[money] = _s(amount(money))
        return text

    def _order(self, order: Order, planned: Mapping[int, date]) -> str:
        today = self._today
        if order.status is OrderStatus.CANCELLED:
            accrued, past, at_risk = _NO_CHARGES, False, False
        else:
            end = today if order.completed_on is None else min(order.completed_on, today)
            # nothing accrues from a CCD not before the end: most orders, spared accrued_charges' exact sums
            accrued = accrued_charges(order.mrc, order.ccd, order.completed_on, today) if order.ccd < end else _NO_CHARGES
            past = is_past_ccd(order.ccd, order.completed_on, today)
            at_risk = is_ccd_at_risk(order.ccd, order.completed_on, planned.get(order.id), today)
        return (
            f'{{"number":{_s(order.number)},"services":[{",".join([_s(s._value_) for s in order.services])}],'
            f'"currency":{_s(order.currency)},"mrc":{self._amount(order.mrc)},"nrc":{self._amount(order.nrc)},'
            f'"ccd":{_s(order.ccd.isoformat())},"status":{_s(order.status._value_)},'
            f'"completed_on":{_day(order.completed_on)},"accrued_charges":{self._amount(accrued)},'
            f'"past_ccd":{_bool(past)},"ccd_at_risk":{_bool(at_risk)}}}'
        )

    def _calendar(self, site: Site) -> SiteCalendar:
        key = (site.timezone, site.country, site.subdivision)
        found = self._calendars.get(key)
        if found is None:
            found = self._calendars[key] = SiteCalendar(site.timezone, site.country, self.ctx.business_hours, site.subdivision)
        return found

    def _window(self, step: ActivationStep, site: Site) -> _Window:
        key = (site.timezone, site.country, site.subdivision, step.start, step.end)
        window = self._windows.get(key)
        if window is None:
            if len(self._windows) >= _WINDOWS_KEPT:
                self._windows.clear()
            window = self._windows[key] = _judge(step.start, step.end, self._calendar(site), self.ctx.now)
        return window

    def _planned_completions(self, activations: tuple[Activation, ...], sites: Mapping[int, Site]) -> dict[int, date]:
        """Each order's latest open activation event, as a date at its site (by order id)."""
        latest: dict[int, date] = {}
        for activation in activations:
            step = activation.step(StepKind.ACTIVATION)
            if step is None or step.start is None or step.status._value_ not in _OPEN:
                continue
            site = sites.get(activation.site_id)
            if site is not None:
                day = self._window(step, site).start_day
                if day is not None and day > latest.get(activation.order_id, date.min):
                    latest[activation.order_id] = day
        return latest

    def _activation(self, activation: Activation, order: Order, site: Site, readiness: Mapping[int, ReadinessFacts] | None) -> str:
        text = (
            f'{{"order_number":{_s(order.number)},"site_name":{_s(site.name)},'
            f'"service":{_s(activation.service._value_)},"field_dispatch":{_bool(activation.field_dispatch)},'
            f'"ip_letter_sent_on":{_day(activation.ip_letter_sent_on)},'
            f'"traffic_passed_at":{_optional(_utc(activation.traffic_passed_at))},'
            f'"steps":[{",".join([self._step(step, site) for step in activation.steps])}]'
        )
        if readiness is None:
            return text + "}"
        found = readiness.get(activation.id)
        return f'{text},"readiness":{"null" if found is None else self._readiness_entry(found)}}}'

    def _readiness_entry(self, found: ReadinessFacts) -> str:
        # Most activations share one readiness (no checklist): its JSON is made once.
        last = self._readiness
        if last is None or last[0] is not found:
            last = self._readiness = (found, _readiness(found))
        return last[1]

    def _step(self, step: ActivationStep, site: Site) -> str:
        window = self._window(step, site)
        status = step.status._value_
        # a change made now to this open step would be a late one (is_late_change: exactly at the cut-off is free)
        late = "true" if window.late_now and status in _OPEN else "false"
        return f'{{"kind":{_s(step.kind._value_)},"status":{_s(status)},{window.text},"late_change_now":{late}}}'


_WINDOWS_KEPT = 16384  # windows (and amounts) remembered at most: memory stays flat on any book
_NO_CHARGES = Decimal("0.00")  # what accrued_charges gives when nothing accrues
_OPEN = frozenset(status.value for status in StepStatus if status.open)


@dataclass(frozen=True, slots=True)
class _Window:
    """A window's facts at one place, as the document writes them."""

    text: str  # its JSON members, "start" to "late_change_cutoff_local"
    late_now: bool  # now is past the cut-off: a change to an open step would be late
    start_day: date | None  # the start's date at the site


def _judge(start: datetime | None, end: datetime | None, calendar: SiteCalendar, now: datetime) -> _Window:
    flags: tuple[str, ...] = ()
    if start is not None and end is not None and end >= start:
        flags = tuple(sorted(flag.value for flag in after_hours_flags(start, end, calendar)))
    cutoff = late_change_cutoff(start, calendar) if start is not None else None
    zone = calendar.zone
    text = (
        f'"start":{_optional(_utc(start))},"end":{_optional(_utc(end))},'
        f'"start_local":{_optional(_local(start, zone))},"end_local":{_optional(_local(end, zone))},'
        f'"after_hours":[{",".join(_s(flag) for flag in flags)}],'
        f'"late_change_cutoff":{_optional(_utc(cutoff))},"late_change_cutoff_local":{_optional(_local(cutoff, zone))}'
    )
    return _Window(
        text,
        cutoff is not None and now > cutoff,
        None if start is None else start.astimezone(ZoneInfo(zone)).date(),
    )


# JSON as the export's encoder writes it: strings (ensure_ascii=False), and any other value
_s = encode_basestring
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _optional(text: str | None) -> str:
    return "null" if text is None else _s(text)


def _bool(value: object) -> str:
    return "true" if value is True else "false" if value is False else _json(value)


def _float(number: Decimal) -> str:
    value = float(number)
    return repr(value) if math.isfinite(value) else _json(value)  # the encoder writes a finite float by its repr


def _int(value: int) -> str:
    return repr(value) if type(value) is int else _json(value)


def _utc(instant: datetime | None) -> str | None:
    if instant is None:
        return None
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _local(instant: datetime | None, zone: str) -> str | None:
    return None if instant is None else instant.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")


def _day(day: date | None) -> str:
    return "null" if day is None else _s(day.isoformat())


def _site(site: Site) -> str:
    return (
        f'{{"name":{_s(site.name)},"address":{_s(site.address)},"city":{_s(site.city)},'
        f'"country":{_s(site.country)},"subdivision":{_s(site.subdivision)},"timezone":{_s(site.timezone)}}}'
    )


def _readiness(found: ReadinessFacts) -> str:
    required = found.required
    percent = getattr(found, "percent", None)
    if percent is None:
        percent = round(100 * found.done / required) if required else 100
    return (
        f'{{"done":{_int(found.done)},"required":{_int(required)},"percent":{_int(percent)},'
        f'"at_risk":{_bool(found.at_risk)},"risk_reason":{_s(found.risk_reason)}}}'
    )
