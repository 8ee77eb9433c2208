"""The incident and escalation log: log one, close one, read a customer's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, or_
from sqlmodel import col, select

from ccm_tui.domain.changes import CHANGED, CREATED, Entity
from ccm_tui.domain.incidents import Incident, IncidentKind
from ccm_tui.domain.people import Person
from ccm_tui.domain.review_inputs import IncidentInput
from ccm_tui.errors import NotFound, StoreError
from ccm_tui.store import change_log
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import CustomerRow, IncidentRow


def incident_from_row(row: IncidentRow) -> Incident:
    assert row.id is not None
    return Incident(
        id=row.id,
        customer_id=row.customer_id,
        kind=IncidentKind(row.kind),
        severity=row.severity,
        summary=row.summary,
        opened_at=to_utc(row.opened_at),
        closed_at=to_utc(row.closed_at),
        who=row.who,
    )


def log_incident(engine: Engine, customer_id: int, data: IncidentInput, actor: Person, now: datetime) -> Incident:
    with write_session(engine) as session:
        if session.get(CustomerRow, customer_id) is None:
            raise NotFound("customer", customer_id)
        row = IncidentRow(
            customer_id=customer_id,
            kind=data.kind.value,
            severity=data.severity,
            summary=data.summary,
            opened_at=to_naive_utc(data.opened_at),
            closed_at=to_naive_utc(data.closed_at),
            who=actor.author,
        )
        session.add(row)
        session.flush()
        incident = incident_from_row(row)
        change_log.record(session, actor, now, Entity.INCIDENT, incident.id, customer_id, CREATED, {}, change_log.fields_of(row))
        return incident


def close_incident(engine: Engine, incident_id: int, closed_at: datetime, actor: Person) -> Incident:
    """Close an open incident; closing one already closed is refused (its time is history)."""
    with write_session(engine) as session:
        row = session.get(IncidentRow, incident_id, with_for_update=True)
        if row is None:
            raise NotFound("incident", incident_id)
        if row.closed_at is not None:
            raise StoreError(f"this {row.kind} was already closed")
        if to_utc(row.opened_at) > closed_at:
            raise StoreError(f"this {row.kind} was opened after {closed_at.isoformat()}; it cannot close before it opened")
        row.closed_at = to_naive_utc(closed_at)
        session.add(row)
        session.flush()
        change_log.record(
            session,
            actor,
            closed_at,
            Entity.INCIDENT,
            incident_id,
            row.customer_id,
            CHANGED,
            {"closed_at": None},
            {"closed_at": closed_at},
        )
        return incident_from_row(row)


def incidents_for(engine: Engine, customer_id: int, opened_from: datetime | None = None) -> list[Incident]:
    """A customer's incidents opened from `opened_from` (all if None) or still open, newest first."""
    stmt = select(IncidentRow).where(IncidentRow.customer_id == customer_id)
    if opened_from is not None:
        stmt = stmt.where(or_(col(IncidentRow.opened_at) >= to_naive_utc(opened_from), col(IncidentRow.closed_at).is_(None)))
    stmt = stmt.order_by(col(IncidentRow.opened_at).desc(), col(IncidentRow.id).desc())
    with read_session(engine) as session:
        return [incident_from_row(r) for r in session.exec(stmt).all()]
