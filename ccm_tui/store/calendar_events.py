"""Lists of the activation calendar's events: a range of days (a day, the
week view), the on-call window, and the steps still waiting for a window.

Lists read only the rows they show, joined to their activation, customer,
site and order, and judge each with the domain's rules (each in its site's
calendar).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, func, or_
from sqlalchemy.sql.elements import ColumnElement, Label
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import Select

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.ccd import accrued_charges, is_past_ccd
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Contact,
    ContactRole,
    Money,
    OrderStatus,
    Region,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.oncall import LONGEST_WINDOW, on_call_window, overlaps
from ccm_tui.domain.reminders import ReminderDue
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
from ccm_tui.store.calendar_flags import HOURS_FLAGS
from ccm_tui.store.checklist_readiness import Calendars
from ccm_tui.store.convert import (
    REGIONS,
    SERVICES,
    STEP_KINDS,
    STEP_STATUSES,
    activation_from_row,
    from_cents,
    roles_from_text,
    site_from_row,
    step_from_row,
    to_naive_utc,
    to_utc,
)
from ccm_tui.store.engine import read_session
from ccm_tui.store.on_call_risk import ListedStep, listed_at_risk
from ccm_tui.store.sql_types import in_ids, select_columns, table_of
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)

_OPEN = tuple(s.value for s in StepStatus if s.open)
_OPEN_SET = frozenset(_OPEN)
_MOMENT = timedelta(seconds=1)  # how long an event without an end lasts (domain.oncall.overlaps)
DAY_LIMIT = 100  # events read for one day's list (more than a screen shows); the total is always counted


@dataclass(frozen=True, slots=True)
class EventContext:
    now: datetime
    hours: BusinessHours
    today: date  # UTC date, for CCDs


_STEP, _ACT, _SITE, _ORDER, _CUSTOMER = ActivationStepRow, ActivationRow, SiteRow, OrderRow, CustomerRow
EventRow = Row[*tuple[Any, ...]]


def _columns(row: type[SQLModel], table: str, names: str) -> list[Label[Any]]:
    """The columns `names` of `row`'s table, each named after it: "<table>_<name>"."""
    columns = table_of(row).c
    return [columns[name].label(f"{table}_{name}") for name in names.split()]


# An event's columns, those its objects hold and the activation's offsets on-call judges its risk by (no more),
# read as plain rows (no ORM objects) in this order, which `events_from_rows` unpacks; named, so a caller can
# read a row's own (`row.step_start_at`).
_EVENT_COLUMNS = (
    *_columns(_STEP, "step", "id activation_id customer_id kind start_at end_at status version calendar_flags"),
    *_columns(_ACT, "activation", "customer_id order_id site_id service field_dispatch"),
    *_columns(_ACT, "activation", "ip_letter_sent_on traffic_passed_at version"),
    *_columns(_ACT, "activation", "blocking_offset_installation blocking_offset_activation"),
    *_columns(_SITE, "site", "customer_id name address city country timezone version subdivision"),
    *_columns(_ORDER, "order", "number ccd completed_on mrc_cents currency"),
    *_columns(_CUSTOMER, "customer", "name account_number region ccm"),
)
# Where a row holds what on-call reads before its events are built (an index costs a fraction of an attribute)
_AT = {column.name: at for at, column in enumerate(_EVENT_COLUMNS)}
_STEP_ID, _ACTIVATION_ID, _CUSTOMER_ID, _KIND = (_AT[f"step_{k}"] for k in ("id", "activation_id", "customer_id", "kind"))
_START_AT, _END_AT = _AT["step_start_at"], _AT["step_end_at"]
_OFFSETS = _AT["activation_blocking_offset_installation"], _AT["activation_blocking_offset_activation"]
_ZONE, _COUNTRY, _SUBDIVISION = (_AT[f"site_{k}"] for k in ("timezone", "country", "subdivision"))
_ROUTED = (StepKind.ACTIVATION.value, StepStatus.COMPLETED.value)  # a step whose facts route trouble


class Aware(dict[Any, Any]):
    """Stored naive UTC values (or None) as aware UTC datetimes (`to_utc`), each converted once: a list's
    starts and ends repeat by the dozen, and looking one up costs a fraction of converting it."""

    def __missing__(self, naive: datetime | None) -> datetime | None:
        aware = self[naive] = to_utc(naive)
        return aware


def event_select() -> Select[*tuple[Any, ...]]:
    """An event's columns (its step's, activation's, site's, order's and customer's); read with `event_rows`."""
    return (
        select_columns(*_EVENT_COLUMNS)
        .select_from(_STEP)
        .join(_ACT, col(_ACT.id) == _STEP.activation_id)
        .join(_SITE, col(_SITE.id) == _ACT.site_id)
        .join(_ORDER, col(_ORDER.id) == _ACT.order_id)
        .join(_CUSTOMER, col(_CUSTOMER.id) == _STEP.customer_id)
    )


def event_rows(session: Session, stmt: Select[*tuple[Any, ...]]) -> Sequence[EventRow]:
    """`stmt` (an `event_select()`) as rows of its named columns, through the session's connection."""
    return session.connection().execute(stmt).all()  # one fetch: row by row, SQLAlchemy's own per-row steps add up


def events_from_rows(
    session: Session,
    rows: Iterable[EventRow],
    ctx: EventContext,
    with_contacts: bool = True,
    at_risk: Collection[int] = (),
    places: Calendars | None = None,
    reminders: Mapping[int, ReminderDue] | None = None,
    aware: Aware | None = None,
) -> list[CalendarEvent]:
    """Events of `event_rows`, judged; those of the activations in `at_risk` marked at not-ready risk, and
    each step in `reminders` (by id) with the reminder due."""
    rows = list(rows)
    contacts = contacts_for(session, {r[_CUSTOMER_ID] for r in rows}) if with_contacts else {}
    places = places or Calendars(ctx.hours)
    aware = Aware() if aware is None else aware
    sites: dict[int, tuple[Site, SiteCalendar]] = {}
    # Events of a list share their start and site by the dozen (windows start on the hour or half hour): their
    # facts are judged once for each of what `step_facts` reads (the window, whether the step is open, the
    # stored flags, when traffic passed for an activation event done, the reminder due).
    facts_seen: dict[tuple[Any, ...], StepFacts] = {}
    risky: dict[tuple[Any, ...], StepFacts] = {}  # the same, marked at not-ready risk
    events = []
    for (
        step_id, activation_id, customer_id, kind, start_at, end_at, status, step_version, bits,
        activation_customer_id, order_id, site_id, service, dispatch, letter_on, traffic_at, activation_version,
        _offset_installation, _offset_activation,
        site_customer_id, site_name, address, city, country, zone, site_version, subdivision,
        number, ccd, completed_on, mrc_cents, currency,
        name, account, region, ccm,
    ) in rows:  # fmt: skip
        known = sites.get(site_id)
        if known is None:
            site = Site(site_id, site_customer_id, site_name, address, city, country, zone, site_version, subdivision)
            known = sites[site_id] = (site, places(zone, country, subdivision))
        site, cal = known
        step = ActivationStep(
            step_id, activation_id, STEP_KINDS[kind], aware[start_at], aware[end_at], STEP_STATUSES[status], step_version
        )
        traffic = aware[traffic_at]
        routed = (kind, status) == _ROUTED
        reminder = reminders.get(step_id) if reminders else None
        judged = (
            zone, country, subdivision, start_at, status in _OPEN_SET, bits,
            end_at if bits is None else None, traffic_at if routed else None, routed, reminder,
        )  # fmt: skip
        facts = facts_seen.get(judged)
        if facts is None:
            flags = HOURS_FLAGS[bits & 15] if bits is not None else None
            facts = facts_seen[judged] = step_facts(step, cal, ctx.now, traffic, flags, reminder)
        if activation_id in at_risk:
            facts = risky.get(judged) or risky.setdefault(judged, replace(facts, not_ready_risk=True))
        state = event_ccd_state(step, cal, ccd, completed_on, ctx.today)
        events.append(
            CalendarEvent(
                step=step,
                activation=Activation(
                    activation_id,
                    activation_customer_id,
                    order_id,
                    site_id,
                    SERVICES[service],
                    dispatch,
                    (),
                    letter_on,
                    traffic,
                    activation_version,
                ),
                customer_id=customer_id,
                customer_name=name,
                account_number=account,
                region=REGIONS[region],
                ccm=ccm,
                site=site,
                order_number=number,
                ccd=ccd,
                ccd_state=state,
                accrued=accrued_past_ccd(state, mrc_cents, currency, ccd, completed_on, ctx.today),
                facts=facts,
                contacts=contacts.get(customer_id, ()),
            )
        )
    return events


def accrued_past_ccd(
    state: CcdState, mrc_cents: int, currency: str, ccd: date, completed_on: date | None, today: date
) -> Money | None:
    """What an order past its CCD has accrued by `today` (None before its CCD has passed)."""
    if state is not CcdState.PAST:
        return None
    return Money(accrued_charges(from_cents(mrc_cents), ccd, completed_on, today), currency)


def contacts_for(session: Session, customer_ids: set[int]) -> dict[int, tuple[Contact, ...]]:
    """Each customer's contacts: designated first, then site technical, then the rest."""
    if not customer_ids:
        return {}
    found: dict[int, list[Contact]] = defaultdict(list)
    contact = table_of(ContactRow)
    roles: dict[str, frozenset[ContactRole]] = {}  # a book's contacts share a handful of role sets
    # Core rows (the same columns, read by position): a list's thousands of contacts skip the ORM's identity map
    columns = (contact.c[name] for name in ("id", "customer_id", "name", "roles", "phone", "email", "last_reviewed", "version"))
    stmt = select_columns(*columns).where(in_ids(contact.c.customer_id, customer_ids))
    for contact_id, customer_id, name, role_text, phone, email, last_reviewed, version in session.connection().execute(stmt).all():
        these = roles.get(role_text)
        if these is None:
            these = roles[role_text] = roles_from_text(role_text)
        found[customer_id].append(Contact(contact_id, customer_id, name, these, phone, email, last_reviewed, version))
    return {cid: tuple(sorted(cs, key=_contact_rank)) if len(cs) > 1 else (cs[0],) for cid, cs in found.items()}


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


def on_call(
    engine: Engine, flt: CalendarFilter, now: datetime, hours_ahead: int, hours: BusinessHours, *, with_contacts: bool = True
) -> list[CalendarEvent]:
    """Events outside business hours that overlap the next `hours_ahead` hours, still to happen or under way,
    marked when their customer is heading for "not ready"; each with its customer's contacts unless
    `with_contacts` is False (the on-call view reads them after it has shown the list: `customer_contacts`)."""
    window = on_call_window(now, hours_ahead)
    flt = replace(flt, after_hours_only=True)
    ctx = EventContext(now, hours, now.astimezone(UTC).date())
    places = Calendars(hours)
    with read_session(engine) as session:
        where = [
            col(_STEP.start_at) >= to_naive_utc(window[0] - LONGEST_WINDOW),
            col(_STEP.start_at) < to_naive_utc(window[1]),
            col(_STEP.status).in_(_OPEN),
            # still under way: wider than `overlaps` (judged below), it spares the joins of events long over
            or_(col(_STEP.end_at) > to_naive_utc(window[0]), col(_STEP.start_at) > to_naive_utc(window[0] - _MOMENT)),
            *filter_terms(session, flt, now, hours),
        ]
        rows, listed = [], []
        aware = Aware()
        shown: dict[tuple[datetime, datetime | None], bool] = {}  # windows repeat by the dozen: each judged once
        for row in event_rows(session, event_select().where(*where).order_by(col(_STEP.start_at), col(_STEP.id))):
            start_at, end_at = row[_START_AT], row[_END_AT]
            overlapping = shown.get((start_at, end_at))
            if overlapping is None:
                overlapping = shown[(start_at, end_at)] = overlaps(aware[start_at], aware[end_at], window)
            if overlapping:  # on-call lists open steps with a window only
                rows.append(row)
                installation, activation = row[_OFFSETS[0]], row[_OFFSETS[1]]
                if installation is not None or activation is not None:  # else nothing outstanding: no risk
                    cal = places(row[_ZONE], row[_COUNTRY], row[_SUBDIVISION])
                    step = ListedStep(
                        row[_STEP_ID], row[_ACTIVATION_ID], row[_KIND], aware[start_at], cal, installation, activation
                    )
                    listed.append(step)
        # Only the risk is shown: not each activation's full readiness (its counts, reasons and their texts)
        at_risk = listed_at_risk(session, listed, now)
        return events_from_rows(session, rows, ctx, with_contacts, at_risk=at_risk, places=places, aware=aware)


def customer_contacts(engine: Engine, customer_ids: Iterable[int]) -> dict[int, tuple[Contact, ...]]:
    """Each customer's contacts, ranked as an event holds them (`contacts_for`); customers with none left out."""
    with read_session(engine) as session:
        return contacts_for(session, set(customer_ids))


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
