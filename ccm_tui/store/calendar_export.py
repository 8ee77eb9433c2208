"""The steps an iCalendar export writes, read a chunk at a time.

A 90-day export of a large book is tens of thousands of events: one query
(steps joined to activation, site, order and customer, in start order on
the start index, with each step's change count beside it) is read a chunk
at a time (a server-side cursor on PostgreSQL). Columns are read, not ORM
rows: building ORM objects cost more than the queries (2.3 s of a 30-day
export went to the contacts alone).

A customer has a few events in a 90-day export, spread over it: its
contacts are read with the chunk of its first event and handed to the rest
(one query per 900 new customers of a chunk, rather than every customer of
every chunk: a 90-day export of the 50,000-customer book read 186,000
contacts, now 87,000). Up to `CUSTOMERS_KEPT` customers are remembered
(some 40 MB of contacts at most); past that the memory starts again, so a larger
book costs some reads again, never unbounded memory.

On SQLite the export reads most of the book's pages, each step's row,
activation, site, order, customer and history at random: through SQLite's
own small page cache that is some 250,000 reads of the file for 30 days.
The export's connection maps the book into memory instead (`_book_mapped`),
which leaves the reading to the operating system's page cache; the process's
resident size then counts the pages of the book it touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from ccm_tui.domain.model import ActivationStep, Contact, ContactRole, Site, StepStatus
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.schedule import ExportEvent
from ccm_tui.store.calendar_events import Aware, _contact_rank  # the lists' order: designated, technical, the rest
from ccm_tui.store.calendar_flags import ON_CALL
from ccm_tui.store.convert import STEP_KINDS, STEP_STATUSES, roles_from_text, to_naive_utc, to_utc
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
CUSTOMERS_KEPT = 50_000  # customers whose contacts one export remembers
_TIMES_KEPT = 8192  # step times one export remembers (a 90-day export of the 50,000-customer book has 2,600)
MAPPED_BYTES = 1 << 30  # how much of a SQLite book an export reads through a memory map
# History rows that do not bump SEQUENCE: the request that creates the event,
# and those that change neither its window nor its status.
NOT_CHANGES = ("request", *(k.value for k in ReminderKind), "ip_letter_sent", "traffic_passed")
_IN_LIMIT = 900  # ids per IN list: within every engine's bound-parameter limit
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
_CHANGE = ActivationChangeRow
# SEQUENCE: the step's changes, counted beside each row (an index seek per step, in the engine)
_SEQUENCE = (
    select(func.count())
    .where(
        col(_CHANGE.activation_id) == _STEP.activation_id,
        col(_CHANGE.step_kind) == _STEP.kind,
        col(_CHANGE.action).not_in(NOT_CHANGES),
    )
    .correlate(_STEP)
    .scalar_subquery()
)
_C = ContactRow
# one statement for every list of customers (its ids bound as a list): built and compiled once, not per list
_CONTACTS = (
    select_columns(_C.id, _C.customer_id, _C.name, _C.roles, _C.phone, _C.email, _C.last_reviewed, _C.version)
    .where(col(_C.customer_id).in_(bindparam("ids", expanding=True)))
    .order_by(col(_C.customer_id), col(_C.id))
)


def site_zones(engine: Engine) -> list[str]:
    """Every time zone a site in the book is in, sorted: an export carries a VTIMEZONE for each."""
    with read_session(engine) as session:
        return sorted(session.exec(select(SiteRow.timezone).distinct()).all())


def _scheduled(start: datetime, end: datetime) -> tuple[Any, ...]:
    """The steps an export of [start, end) writes: scheduled, starting in it."""
    return (
        col(_STEP.start_at) >= to_naive_utc(start),
        col(_STEP.start_at) < to_naive_utc(end),
        _STEP.status != StepStatus.UNSCHEDULED.value,
    )


def split_at(engine: Engine, start: datetime, end: datetime, second_share: Callable[[int], float]) -> datetime | None:
    """The start from which the last `second_share(n)` of the n steps `export_chunks(start, end)` gives start
    (taken back to that start's first step: steps starting together stay together); None when that leaves
    either part empty, or for a server book (two sessions there may see two states of the book)."""
    if engine.dialect.name != "sqlite":
        return None
    with read_session(engine) as session:
        total = session.exec(select(func.count()).select_from(_STEP).where(*_scheduled(start, end))).one()
        second = int(total * second_share(total))
        if not 0 < second < total:
            return None
        ordered = select(_STEP.start_at).where(*_scheduled(start, end)).order_by(col(_STEP.start_at), col(_STEP.id))
        first_start = session.exec(ordered.limit(1)).one()
        middle = session.exec(ordered.offset(total - second).limit(1)).one()
    return None if middle == first_start else to_utc(middle)


def export_chunks(engine: Engine, start: datetime, end: datetime, chunk: int = CHUNK) -> Iterator[list[ExportEvent]]:
    """Every scheduled step starting in [start, end), in start order (then id), `chunk` at a time."""
    stmt = (
        select_columns(*_COLUMNS, _SEQUENCE)
        .select_from(_STEP)
        .join(ActivationRow, col(ActivationRow.id) == _STEP.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .join(CustomerRow, col(CustomerRow.id) == _STEP.customer_id)
        .where(*_scheduled(start, end))
        .order_by(col(_STEP.start_at), col(_STEP.id))
    )
    with read_session(engine) as session:
        connection = session.connection()
        remembered = _Remembered()
        with _book_mapped(connection):
            result = connection.execute(stmt.execution_options(yield_per=chunk))
            try:
                for rows in result.partitions():
                    yield _events(connection, rows, remembered)
            finally:
                result.close()


@contextmanager
def _book_mapped(connection: Connection) -> Iterator[None]:
    """SQLite reads the book through a memory map while the block runs (other engines: nothing to do)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
    connection.exec_driver_sql(f"PRAGMA mmap_size={MAPPED_BYTES}")
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):  # the connection as it was; a failure here must not hide the first
            connection.exec_driver_sql(f"PRAGMA mmap_size={int(before or 0)}")


class _Remembered:
    """What one export remembers as it reads: the contacts of the customers it has met so far (up to
    `CUSTOMERS_KEPT` customers), and the steps' times as aware UTC datetimes: the 30,000 events of a
    30-day export of the 50,000-customer book share 900 starts and ends, and looking one up costs a
    fraction of converting the column again (which was a third of building the events)."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[Contact, ...]] = {}
        self.roles: dict[str, frozenset[ContactRole]] = {}  # a book has a handful of role combinations
        self.times = Aware()  # a column's value -> to_utc(value)

    def of(self, connection: Connection, customer_ids: set[int]) -> dict[int, tuple[Contact, ...]]:
        """A map holding every one of `customer_ids`' contacts (and perhaps others')."""
        missing = customer_ids.difference(self.known)
        if missing:
            if len(self.known) + len(missing) > CUSTOMERS_KEPT:
                self.known.clear()
                missing = customer_ids
            self.known.update(_read_contacts(connection, missing, self.roles))
        return self.known

    def utc_times(self) -> Aware:
        """The times remembered so far (forgotten past `_TIMES_KEPT`, so memory stays flat on any range)."""
        if len(self.times) > _TIMES_KEPT:
            self.times.clear()
        return self.times


def _events(connection: Connection, rows: Sequence[Any], remembered: _Remembered) -> list[ExportEvent]:
    contacts = remembered.of(connection, {r[8] for r in rows})  # customer_id
    times = remembered.utc_times()
    sites: dict[int, Site] = {}
    kinds, statuses = STEP_KINDS, STEP_STATUSES
    events = []
    for (
        step_id, activation_id, kind, start_at, end_at, status, version, bits, customer_id, service, site_id,
        site_name, address, city, country, zone, site_version, subdivision, number, name, account, sequence,
    ) in rows:  # fmt: skip
        site = sites.get(site_id)
        if site is None:
            site = sites[site_id] = Site(site_id, customer_id, site_name, address, city, country, zone, site_version, subdivision)
        start, end = times[start_at], times[end_at]
        events.append(
            ExportEvent(
                step=ActivationStep(step_id, activation_id, kinds[kind], start, end, statuses[status], version),
                activation_id=activation_id,
                service=service,
                customer_name=name,
                account_number=account,
                site=site,
                order_number=number,
                contacts=contacts.get(customer_id, ()),
                sequence=sequence,
                on_call=bool((bits or 0) & ON_CALL),
            )
        )
    return events


def _read_contacts(
    connection: Connection, customer_ids: set[int], role_sets: dict[str, frozenset[ContactRole]]
) -> dict[int, tuple[Contact, ...]]:
    """Each of `customer_ids`' contacts (an empty tuple for one without), in the calendar lists' order."""
    found: dict[int, list[Contact]] = {cid: [] for cid in customer_ids}
    ids = sorted(customer_ids)
    for i in range(0, len(ids), _IN_LIMIT):
        rows = connection.execute(_CONTACTS, {"ids": ids[i : i + _IN_LIMIT]})
        for contact_id, customer_id, name, roles, phone, email, reviewed, version in rows.all():
            kinds = role_sets.get(roles)
            if kinds is None:
                kinds = role_sets[roles] = roles_from_text(roles)
            found[customer_id].append(Contact(contact_id, customer_id, name, kinds, phone, email, reviewed, version))
    return {cid: tuple(sorted(cs, key=_contact_rank)) if len(cs) > 1 else tuple(cs) for cid, cs in found.items()}
