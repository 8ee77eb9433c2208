"""Lists of the activation calendar's events: a range of days (a day, the
week view), the on-call window, and the steps still waiting for a window.

Lists read only the rows they show, joined to their activation, customer,
site and order, and judge each with the domain's rules (each in its site's
calendar).
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.ccd import accrued_charges, is_past_ccd
from ccm_tui.domain.model import (
    Contact,
    ContactRole,
    Money,
    OrderStatus,
    Region,
    StepStatus,
)
from ccm_tui.domain.oncall import LONGEST_WINDOW, on_call_window, overlaps
from ccm_tui.domain.schedule import (
    CalendarEvent,
    CalendarFilter,
    CcdState,
    DayEvents,
    StepFacts,
    WaitingStep,
)
from ccm_tui.domain.step_facts import event_ccd_state, step_facts
from ccm_tui.store.calendar import customer_terms, day_bounds, filter_terms
from ccm_tui.store.calendar_flags import flags_from_bits
from ccm_tui.store.checklist_readiness import Calendars, at_risk_among
from ccm_tui.store.convert import (
    activation_from_row,
    from_cents,
    roles_from_text,
    site_from_row,
    step_from_row,
    to_naive_utc,
    to_utc,
)
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns, table_of
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)

_OPEN = tuple(s.value for s in StepStatus if s.open)
DAY_LIMIT = 100  # events read for one day's list (more than a screen shows); the total is always counted


@dataclass(frozen=True, slots=True)
class EventContext:
    now: datetime
    hours: BusinessHours
    today: date  # UTC date, for CCDs


# The tables an event is read from, each row read as a plain record of its columns (attributes, as the
# ORM's objects have them): a list of a few hundred events skips the ORM's identity map and instances.
_EVENT_TABLES = tuple(table_of(row) for row in (ActivationStepRow, ActivationRow, SiteRow, OrderRow))


def _spans() -> tuple[tuple[Callable[..., Any], int, int], ...]:
    """Per table: a record type of its columns, and where its columns sit in an event's row."""
    spans = []
    at = 0
    for table in _EVENT_TABLES:
        names = [c.name for c in table.columns]
        spans.append((namedtuple(f"{table.name}_record", names), at, at + len(names)))
        at += len(names)
    return tuple(spans)


_SPANS = _spans()
_CUSTOMER_AT = _SPANS[-1][2]
_CUSTOMER_COLUMNS = (CustomerRow.name, CustomerRow.account_number, CustomerRow.region, CustomerRow.ccm)


def event_select() -> Select[*tuple[Any, ...]]:
    """An event's columns: its step's, activation's, site's and order's, then its customer's name,
    account, region and CCM; read with `event_rows`."""
    step = ActivationStepRow
    return (
        select_columns(*(c for table in _EVENT_TABLES for c in table.columns), *_CUSTOMER_COLUMNS)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .join(CustomerRow, col(CustomerRow.id) == step.customer_id)
    )


def event_rows(session: Session, stmt: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """`stmt` (an `event_select()`) as (step, activation, site, order, name, account, region, ccm) tuples."""
    rows = []
    for row in session.connection().execute(stmt):
        values = tuple(row)
        rows.append((*(record(*values[lo:hi]) for record, lo, hi in _SPANS), *values[_CUSTOMER_AT:]))
    return rows


def events_from_rows(
    session: Session, rows: Iterable[tuple], ctx: EventContext, with_contacts: bool = True
) -> list[CalendarEvent]:
    rows = list(rows)
    contacts = contacts_for(session, {r[0].customer_id for r in rows}) if with_contacts else {}
    calendars: dict[tuple[str, str, str], SiteCalendar] = {}
    facts_seen: dict[tuple[Any, ...], StepFacts] = {}
    events = []
    for step_row, activation_row, site_row, order_row, name, account, region, ccm in rows:
        step = step_from_row(step_row)
        site = site_from_row(site_row)
        key = (site.timezone, site.country, site.subdivision)
        cal = calendars.get(key)
        if cal is None:
            cal = calendars[key] = SiteCalendar(site.timezone, site.country, ctx.hours, site.subdivision)
        activation = activation_from_row(activation_row, ())
        stored = step_row.calendar_flags
        # Events of a list share their start, end and site by the dozen (windows start on the hour or
        # half hour): the facts (late-change cut-off, countdown, in business days) are judged once each.
        judged = (key, step.start, step.end, step.status, step.kind, activation.traffic_passed_at, stored)
        facts = facts_seen.get(judged)
        if facts is None:
            facts = facts_seen[judged] = step_facts(
                step,
                cal,
                ctx.now,
                activation.traffic_passed_at,
                flags_from_bits(stored) if stored is not None else None,
            )
        state = event_ccd_state(step, cal, order_row.ccd, order_row.completed_on, ctx.today)
        accrued = None
        if state is CcdState.PAST:
            amount = accrued_charges(from_cents(order_row.mrc_cents), order_row.ccd, order_row.completed_on, ctx.today)
            accrued = Money(amount, order_row.currency)
        events.append(
            CalendarEvent(
                step=step,
                activation=activation,
                customer_id=step_row.customer_id,
                customer_name=name,
                account_number=account,
                region=Region(region),
                ccm=ccm,
                site=site,
                order_number=order_row.number,
                ccd=order_row.ccd,
                ccd_state=state,
                accrued=accrued,
                facts=facts,
                contacts=contacts.get(step_row.customer_id, ()),
            )
        )
    return events


def contacts_for(session: Session, customer_ids: set[int]) -> dict[int, tuple[Contact, ...]]:
    """Each customer's contacts: designated first, then site technical, then the rest."""
    if not customer_ids:
        return {}
    found: dict[int, list[Contact]] = defaultdict(list)
    contact = table_of(ContactRow)
    roles: dict[str, frozenset[ContactRole]] = {}  # a book's contacts share a handful of role sets
    # Core rows (the same columns, read as attributes): a list's thousands of contacts skip the ORM's identity map
    for row in session.connection().execute(select_columns(contact).where(contact.c.customer_id.in_(sorted(customer_ids)))):
        these = roles.get(row.roles)
        if these is None:
            these = roles[row.roles] = roles_from_text(row.roles)
        found[row.customer_id].append(
            Contact(
                id=row.id,
                customer_id=row.customer_id,
                name=row.name,
                roles=these,
                phone=row.phone,
                email=row.email,
                last_reviewed=row.last_reviewed,
                version=row.version,
            )
        )
    return {cid: tuple(sorted(cs, key=_contact_rank)) for cid, cs in found.items()}


def _contact_rank(contact: Contact) -> tuple[int, str]:
    if ContactRole.DESIGNATED in contact.roles:
        return (0, contact.name.casefold())
    if ContactRole.SITE_TECHNICAL in contact.roles:
        return (1, contact.name.casefold())
    return (2, contact.name.casefold())


def events_between(
    engine: Engine,
    start: datetime,
    end: datetime,
    flt: CalendarFilter,
    now: datetime,
    hours: BusinessHours,
    limit: int = DAY_LIMIT,
) -> DayEvents:
    """Events starting in [start, end), soonest first, at most `limit`; with the full count."""
    with read_session(engine) as session:
        terms = filter_terms(session, flt, now, hours)
        return _events_in(session, start, end, terms, EventContext(now, hours, now.astimezone(UTC).date()), limit)


def _events_in(
    session: Session, start: datetime, end: datetime, terms: Sequence[ColumnElement[bool]], ctx: EventContext, limit: int
) -> DayEvents:
    step = ActivationStepRow
    where = [col(step.start_at) >= to_naive_utc(start), col(step.start_at) < to_naive_utc(end), *terms]
    total = session.exec(select(func.count()).select_from(step).where(*where)).one()
    rows = event_rows(session, event_select().where(*where).order_by(col(step.start_at), col(step.id)).limit(limit))
    return DayEvents(events=tuple(events_from_rows(session, rows, ctx)), total=total)


def events_by_day(
    engine: Engine,
    first: date,
    days: int,
    zone: str,
    flt: CalendarFilter,
    now: datetime,
    hours: BusinessHours,
    per_day: int,
) -> list[DayEvents]:
    """For each of `days` local days from `first`: its first `per_day` events and its count (the week view)."""
    bounds = day_bounds(first, days, zone)
    ctx = EventContext(now, hours, now.astimezone(UTC).date())
    with read_session(engine) as session:
        terms = filter_terms(session, flt, now, hours)  # once for the days: the flags read the book
        return [_events_in(session, bounds[i], bounds[i + 1], terms, ctx, per_day) for i in range(days)]


def on_call(engine: Engine, flt: CalendarFilter, now: datetime, hours_ahead: int, hours: BusinessHours) -> list[CalendarEvent]:
    """Events outside business hours that overlap the next `hours_ahead` hours, still to happen or under way,
    marked when their customer is heading for "not ready"."""
    window = on_call_window(now, hours_ahead)
    step = ActivationStepRow
    flt = replace(flt, after_hours_only=True)
    ctx = EventContext(now, hours, now.astimezone(UTC).date())
    with read_session(engine) as session:
        where = [
            col(step.start_at) >= to_naive_utc(window[0] - LONGEST_WINDOW),
            col(step.start_at) < to_naive_utc(window[1]),
            col(step.status).in_(_OPEN),
            *filter_terms(session, flt, now, hours),
        ]
        rows = [
            r
            for r in event_rows(session, event_select().where(*where).order_by(col(step.start_at), col(step.id)))
            if overlaps(to_utc(r[0].start_at), to_utc(r[0].end_at), window)
        ]
        events = events_from_rows(session, rows, ctx)
        # Only the risk is shown: not each activation's full readiness (its counts, reasons and their texts)
        at_risk = at_risk_among(session, [e.activation.id for e in events], now, Calendars(hours))
    return [replace(e, facts=replace(e.facts, not_ready_risk=True)) if e.activation.id in at_risk else e for e in events]


def waiting_steps(engine: Engine, flt: CalendarFilter, now: datetime, limit: int = 200) -> tuple[list[WaitingStep], int]:
    """Steps still without a window on orders still open: the soonest CCD first; and how many in all."""
    step = ActivationStepRow
    closed = (OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value)
    where = [col(step.status) == StepStatus.UNSCHEDULED.value, col(OrderRow.status).not_in(closed)]
    where += customer_terms(flt)
    today = now.astimezone(UTC).date()
    joined = (
        select_columns(step, ActivationRow, SiteRow, OrderRow, CustomerRow.name, CustomerRow.account_number, CustomerRow.region)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .join(CustomerRow, col(CustomerRow.id) == step.customer_id)
        .where(*where)
    )
    with read_session(engine) as session:
        total = session.exec(
            select(func.count())
            .select_from(step)
            .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
            .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
            .where(*where)
        ).one()
        rows = session.exec(joined.order_by(col(OrderRow.ccd), col(step.id)).limit(limit)).all()
    found = [
        WaitingStep(
            step=step_from_row(step_row),
            activation=activation_from_row(activation_row, ()),
            customer_name=name,
            account_number=account,
            region=Region(region),
            site=site_from_row(site_row),
            order_number=order_row.number,
            order_status=order_row.status,
            ccd=order_row.ccd,
            past_ccd=is_past_ccd(order_row.ccd, order_row.completed_on, today),
        )
        for step_row, activation_row, site_row, order_row, name, account, region in rows
    ]
    return found, total
