"""Hours a CCM spent on a customer, logged per day and task category."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import col, select

from ccm_tui.domain.changes import CREATED, Entity
from ccm_tui.domain.model import TimeEntry
from ccm_tui.domain.people import Person
from ccm_tui.domain.validation import TimeEntryInput
from ccm_tui.errors import NotFound
from ccm_tui.store import change_log
from ccm_tui.store.convert import minutes, time_entry_from_row
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import CustomerRow, TimeEntryRow


def log_time(engine: Engine, customer_id: int, data: TimeEntryInput, actor: Person, now: datetime) -> TimeEntry:
    with write_session(engine) as session:
        if session.get(CustomerRow, customer_id) is None:
            raise NotFound("customer", customer_id)
        row = TimeEntryRow(
            customer_id=customer_id,
            day=data.day,
            minutes=minutes(data.hours),
            category=data.category.value,
            note=data.note,
            who=actor.author,
        )
        session.add(row)
        session.flush()
        entry = time_entry_from_row(row)
        change_log.record(session, actor, now, Entity.TIME_ENTRY, entry.id, customer_id, CREATED, {}, change_log.fields_of(row))
        return entry


def entries_between(engine: Engine, customer_id: int, start: date, end: date) -> list[TimeEntry]:
    """Entries from `start` to `end`, both days included, oldest first."""
    stmt = (
        select(TimeEntryRow)
        .where(
            TimeEntryRow.customer_id == customer_id,
            col(TimeEntryRow.day) >= start,
            col(TimeEntryRow.day) <= end,
        )
        .order_by(col(TimeEntryRow.day), col(TimeEntryRow.id))
    )
    with read_session(engine) as session:
        return [time_entry_from_row(row) for row in session.exec(stmt).all()]
