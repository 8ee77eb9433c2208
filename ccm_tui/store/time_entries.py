"""Hours a CCM spent on a customer, logged per day and task category; corrected and removed.

A time entry has no `version` column: an edit or removal names the entry as
the CCM was shown it (`seen`), and a row whose fields differ from it now
was changed by someone else since (StaleEdit). The entry keeps the name of
whoever logged it; the change log says who corrected it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.changes import CHANGED, CREATED, REMOVED, Entity
from ccm_tui.domain.model import TimeEntry
from ccm_tui.domain.people import Person
from ccm_tui.domain.validation import TimeEntryInput
from ccm_tui.errors import NotFound, StaleEdit
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


def update_time_entry(
    engine: Engine, entry_id: int, seen: TimeEntry | None, data: TimeEntryInput, actor: Person, now: datetime
) -> TimeEntry:
    """Correct the entry the CCM was shown as `seen` (None: unchecked); one that changes nothing writes nothing."""
    with write_session(engine) as session:
        row = _locked(session, entry_id, seen)
        before = change_log.fields_of(row)
        row.day = data.day
        row.minutes = minutes(data.hours)
        row.category = data.category.value
        row.note = data.note
        after = change_log.fields_of(row)
        if not change_log.differences(before, after):
            return time_entry_from_row(row)
        session.add(row)
        session.flush()
        change_log.record(session, actor, now, Entity.TIME_ENTRY, entry_id, row.customer_id, CHANGED, before, after)
        return time_entry_from_row(row)


def remove_time_entry(engine: Engine, entry_id: int, seen: TimeEntry | None, actor: Person, now: datetime) -> TimeEntry:
    """Remove the entry the CCM was shown as `seen` (None: unchecked)."""
    with write_session(engine) as session:
        row = _locked(session, entry_id, seen)
        entry = time_entry_from_row(row)
        before = change_log.fields_of(row)
        session.delete(row)
        session.flush()
        change_log.record(session, actor, now, Entity.TIME_ENTRY, entry_id, entry.customer_id, REMOVED, before, {})
        return entry


def _locked(session: Session, entry_id: int, seen: TimeEntry | None) -> TimeEntryRow:
    row = session.get(TimeEntryRow, entry_id, with_for_update=True)
    if row is None:
        raise NotFound("time entry", entry_id)
    if seen is not None and time_entry_from_row(row) != seen:
        raise StaleEdit("time entry", entry_id)
    return row


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
