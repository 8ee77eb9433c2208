"""The steps an iCalendar export writes, read a chunk at a time.

A 90-day export of a large book is tens of thousands of events: they are
read in start order by keyset (start, id) pages inside one read
transaction, so memory holds one chunk, not the book.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import Engine, and_, func, or_
from sqlmodel import Session, col, select

from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.schedule import ExportEvent
from ccm_tui.store.calendar_events import contacts_for
from ccm_tui.store.calendar_flags import ON_CALL
from ccm_tui.store.convert import site_from_row, step_from_row, to_naive_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)

CHUNK = 2000
# History rows that do not bump SEQUENCE: the request that creates the event,
# and those that change neither its window nor its status.
NOT_CHANGES = ("request", *(k.value for k in ReminderKind), "ip_letter_sent", "traffic_passed")


def site_zones(engine: Engine) -> list[str]:
    """Every time zone a site in the book is in, sorted: an export carries a VTIMEZONE for each."""
    with read_session(engine) as session:
        return sorted(session.exec(select(SiteRow.timezone).distinct()).all())


def export_chunks(engine: Engine, start: datetime, end: datetime, chunk: int = CHUNK) -> Iterator[list[ExportEvent]]:
    """Every scheduled step starting in [start, end), in start order, `chunk` at a time."""
    step = ActivationStepRow
    after: tuple[datetime, int] | None = None
    with read_session(engine) as session:
        while True:
            stmt = (
                select_columns(step, ActivationRow.service, SiteRow, OrderRow.number, CustomerRow.name, CustomerRow.account_number)
                .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
                .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
                .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
                .join(CustomerRow, col(CustomerRow.id) == step.customer_id)
                .where(
                    col(step.start_at) >= to_naive_utc(start),
                    col(step.start_at) < to_naive_utc(end),
                    step.status != StepStatus.UNSCHEDULED.value,
                )
                .order_by(col(step.start_at), col(step.id))
                .limit(chunk)
            )
            if after is not None:
                stmt = stmt.where(
                    or_(col(step.start_at) > after[0], and_(col(step.start_at) == after[0], col(step.id) > after[1]))
                )
            rows = session.exec(stmt).all()
            if not rows:
                return
            yield _events(session, rows)
            last = rows[-1][0]
            after = (last.start_at, last.id)
            if len(rows) < chunk:
                return


def _events(session: Session, rows: Sequence[tuple]) -> list[ExportEvent]:
    contacts = contacts_for(session, {r[0].customer_id for r in rows})
    sequences = _change_counts(session, sorted({r[0].activation_id for r in rows}))
    events = []
    for step_row, service, site_row, number, name, account in rows:
        changes = sequences.get((step_row.activation_id, step_row.kind), 0)
        events.append(
            ExportEvent(
                step=step_from_row(step_row),
                activation_id=step_row.activation_id,
                service=service,
                customer_name=name,
                account_number=account,
                site=site_from_row(site_row),
                order_number=number,
                contacts=contacts.get(step_row.customer_id, ()),
                sequence=changes,
                on_call=bool((step_row.calendar_flags or 0) & ON_CALL),
            )
        )
    return events


def _change_counts(session: Session, activation_ids: list[int]) -> dict[tuple[int, str], int]:
    change = ActivationChangeRow
    found: dict[tuple[int, str], int] = defaultdict(int)
    for i in range(0, len(activation_ids), 900):
        rows = session.exec(
            select(change.activation_id, change.step_kind, func.count())
            .where(col(change.activation_id).in_(activation_ids[i : i + 900]), col(change.action).not_in(NOT_CHANGES))
            .group_by(col(change.activation_id), change.step_kind)
        ).all()
        for activation_id, kind, n in rows:
            found[activation_id, kind] = n
    return found
