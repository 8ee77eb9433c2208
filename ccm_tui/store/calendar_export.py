"""The steps an iCalendar export writes, read a chunk at a time.

A 90-day export of a large book is tens of thousands of events: one query
(steps joined to activation, site, order and customer, in start order on
the start index) is read a chunk at a time (a server-side cursor on
PostgreSQL), and for each chunk one query reads its customers' contacts and
one its change counts. Columns are read, not ORM rows: building ORM objects
cost more than the queries (2.3 s of a 30-day export went to the contacts
alone).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from ccm_tui.domain.model import ActivationStep, Contact, ContactRole, Site, StepKind, StepStatus
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.schedule import ExportEvent
from ccm_tui.store.calendar_events import _contact_rank  # the lists' order: designated, technical, the rest
from ccm_tui.store.calendar_flags import ON_CALL
from ccm_tui.store.convert import roles_from_text, to_naive_utc, to_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)

CHUNK = 2000
# History rows that do not bump SEQUENCE: the request that creates the event,
# and those that change neither its window nor its status.
NOT_CHANGES = ("request", *(k.value for k in ReminderKind), "ip_letter_sent", "traffic_passed")
_IN_LIMIT = 900  # ids per IN list: within every engine's bound-parameter limit
_KINDS = {k.value: k for k in StepKind}
_STATUSES = {s.value: s for s in StepStatus}
_STEP = ActivationStepRow
_COLUMNS = (
    _STEP.id,
    _STEP.activation_id,
    _STEP.kind,
    _STEP.start_at,
    _STEP.end_at,
    _STEP.status,
    _STEP.version,
    _STEP.calendar_flags,
    _STEP.customer_id,
    ActivationRow.service,
    ActivationRow.site_id,
    SiteRow.name,
    SiteRow.address,
    SiteRow.city,
    SiteRow.country,
    SiteRow.timezone,
    SiteRow.version,
    SiteRow.subdivision,
    OrderRow.number,
    CustomerRow.name,
    CustomerRow.account_number,
)


def site_zones(engine: Engine) -> list[str]:
    """Every time zone a site in the book is in, sorted: an export carries a VTIMEZONE for each."""
    with read_session(engine) as session:
        return sorted(session.exec(select(SiteRow.timezone).distinct()).all())


def export_chunks(engine: Engine, start: datetime, end: datetime, chunk: int = CHUNK) -> Iterator[list[ExportEvent]]:
    """Every scheduled step starting in [start, end), in start order (then id), `chunk` at a time."""
    stmt = (
        select_columns(*_COLUMNS)
        .select_from(_STEP)
        .join(ActivationRow, col(ActivationRow.id) == _STEP.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .join(CustomerRow, col(CustomerRow.id) == _STEP.customer_id)
        .where(
            col(_STEP.start_at) >= to_naive_utc(start),
            col(_STEP.start_at) < to_naive_utc(end),
            _STEP.status != StepStatus.UNSCHEDULED.value,
        )
        .order_by(col(_STEP.start_at), col(_STEP.id))
    )
    with read_session(engine) as session:
        result = session.connection().execute(stmt.execution_options(yield_per=chunk))
        for rows in result.partitions():
            yield _events(session, rows)


def _events(session: Session, rows: Sequence[Any]) -> list[ExportEvent]:
    contacts = contacts_of(session, {r.customer_id for r in rows})
    sequences = _change_counts(session, sorted({r.activation_id for r in rows}))
    sites: dict[int, Site] = {}
    events = []
    for row in rows:
        (step_id, activation_id, kind, start_at, end_at, status, version, bits, customer_id, service, site_id) = row[:11]
        (site_name, address, city, country, zone, site_version, subdivision, number, name, account) = row[11:]
        site = sites.get(site_id)
        if site is None:
            site = sites[site_id] = Site(site_id, customer_id, site_name, address, city, country, zone, site_version, subdivision)
        events.append(
            ExportEvent(
                step=ActivationStep(
                    step_id, activation_id, _KINDS[kind], to_utc(start_at), to_utc(end_at), _STATUSES[status], version
                ),
                activation_id=activation_id,
                service=service,
                customer_name=name,
                account_number=account,
                site=site,
                order_number=number,
                contacts=contacts.get(customer_id, ()),
                sequence=sequences.get((activation_id, kind), 0),
                on_call=bool((bits or 0) & ON_CALL),
            )
        )
    return events


def contacts_of(session: Session, customer_ids: set[int]) -> dict[int, tuple[Contact, ...]]:
    """Each customer's contacts, in the calendar lists' order; one query per 900 customers."""
    found: dict[int, list[Contact]] = defaultdict(list)
    role_sets: dict[str, frozenset[ContactRole]] = {}  # a book has a handful of role combinations
    ids = sorted(customer_ids)
    c = ContactRow
    for i in range(0, len(ids), _IN_LIMIT):
        rows = session.connection().execute(
            select_columns(c.id, c.customer_id, c.name, c.roles, c.phone, c.email, c.last_reviewed, c.version).where(
                col(c.customer_id).in_(ids[i : i + _IN_LIMIT])
            )
        )
        for contact_id, customer_id, name, roles, phone, email, reviewed, version in rows.all():
            kinds = role_sets.get(roles)
            if kinds is None:
                kinds = role_sets[roles] = roles_from_text(roles)
            found[customer_id].append(Contact(contact_id, customer_id, name, kinds, phone, email, reviewed, version))
    return {cid: tuple(sorted(cs, key=_contact_rank)) for cid, cs in found.items()}


def _change_counts(session: Session, activation_ids: list[int]) -> dict[tuple[int, str], int]:
    change = ActivationChangeRow
    found: dict[tuple[int, str], int] = {}
    for i in range(0, len(activation_ids), _IN_LIMIT):
        rows = session.connection().execute(
            select_columns(change.activation_id, change.step_kind, func.count())
            .where(col(change.activation_id).in_(activation_ids[i : i + _IN_LIMIT]), col(change.action).not_in(NOT_CHANGES))
            .group_by(col(change.activation_id), change.step_kind)
        )
        for activation_id, kind, n in rows.all():
            found[activation_id, kind] = n
    return found
