"""One activation as its detail shows it: its steps with what the rules say
about each (reminders, siblings of a multi-site event), the order's CCD
state, its contacts and its history.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.ccd import accrued_charges
from ccm_tui.domain.fee_guard import Initiator
from ccm_tui.domain.model import Money, StepKind, StepStatus
from ccm_tui.domain.reminders import reminder_due
from ccm_tui.domain.schedule import ActivationDetail, CcdState, HistoryLine
from ccm_tui.domain.step_facts import event_ccd_state, step_facts
from ccm_tui.errors import NotFound
from ccm_tui.store.calendar_events import contacts_for
from ccm_tui.store.calendar_reminders import reminders_sent_for
from ccm_tui.store.convert import (
    activation_from_row,
    customer_from_row,
    from_cents,
    order_from_row,
    site_from_row,
    to_naive_utc,
    to_utc,
)
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_ids
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    CustomerRow,
    OrderRow,
    OrderServiceRow,
    SiteRow,
)


def activation_detail(engine: Engine, activation_id: int, now: datetime, hours: BusinessHours) -> ActivationDetail:
    """The activation, its steps with what the rules say about each, contacts and history."""
    with read_session(engine) as session:
        row = session.get(ActivationRow, activation_id)
        if row is None:
            raise NotFound("activation", activation_id)
        step_rows = session.exec(select(ActivationStepRow).where(ActivationStepRow.activation_id == activation_id)).all()
        activation = activation_from_row(row, step_rows)
        customer_row = session.get(CustomerRow, row.customer_id)
        site_row = session.get(SiteRow, row.site_id)
        order_row = session.get(OrderRow, row.order_id)
        assert customer_row is not None and site_row is not None and order_row is not None
        services = session.exec(
            select(OrderServiceRow.kind).where(OrderServiceRow.order_id == row.order_id).order_by(col(OrderServiceRow.id))
        ).all()
        order = order_from_row(order_row, services)
        contacts = contacts_for(session, {row.customer_id}).get(row.customer_id, ())
        site = site_from_row(site_row)
        cal = SiteCalendar(site.timezone, site.country, hours, site.subdivision)
        today = now.astimezone(UTC).date()
        facts = {}
        states = []
        siblings = {}
        for step in activation.steps:
            reminder = None
            if step.start is not None:
                sent = reminders_sent_for(session, activation.id, step.kind, step.start)
                reminder = reminder_due(step.start, step.status, now, cal, sent)
                siblings[step.kind] = len(event_step_ids(session, row.order_id, step.kind, step.start, exclude=step.id))
            facts[step.kind] = step_facts(step, cal, now, activation.traffic_passed_at, reminder=reminder)
            states.append(event_ccd_state(step, cal, order.ccd, order.completed_on, today))
        # the order's state: the worst of its steps'
        state = next((s for s in (CcdState.PAST, CcdState.AT_RISK) if s in states), CcdState.ON_TRACK)
        accrued = None
        if state is CcdState.PAST:
            accrued = Money(accrued_charges(order.mrc, order.ccd, order.completed_on, today), order.currency)
        history = _history(session, activation_id, {c.id: c.name for c in contacts})
        letter_contact = next((c for c in contacts if c.id == row.ip_letter_contact_id), None)
        return ActivationDetail(
            activation=activation,
            customer=customer_from_row(customer_row),
            site=site,
            order=order,
            contacts=contacts,
            facts=facts,
            ccd_state=state,
            accrued=accrued,
            history=history,
            ip_letter_contact=letter_contact,
            siblings=siblings,
        )


def _history(session: Session, activation_id: int, names: dict[int, str]) -> tuple[HistoryLine, ...]:
    change = ActivationChangeRow
    rows = session.exec(
        select(change).where(change.activation_id == activation_id).order_by(col(change.at).desc(), col(change.id).desc())
    ).all()
    return tuple(
        HistoryLine(
            at=to_utc(r.at),
            who=r.who,
            step_kind=StepKind(r.step_kind),
            action=r.action,
            from_status=StepStatus(r.from_status) if r.from_status else None,
            to_status=StepStatus(r.to_status),
            from_start=to_utc(r.from_start),
            to_start=to_utc(r.to_start),
            reason=r.reason,
            fee=Money(from_cents(r.fee_cents), r.fee_currency or "") if r.fee_cents is not None else None,
            contact_name=names.get(r.contact_id, "") if r.contact_id is not None else "",
            initiator=Initiator(r.initiator) if r.initiator else None,
        )
        for r in rows
    )


def event_step_ids(session: Session, order_id: int, kind: StepKind, start: datetime, exclude: int | None = None) -> list[int]:
    """The steps of one multi-site event: same order, same kind, same start; not finished or cancelled."""
    step = ActivationStepRow
    stmt = (
        select_ids(step.id)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .where(
            ActivationRow.order_id == order_id,
            step.kind == kind.value,
            step.start_at == to_naive_utc(start),
            col(step.status).not_in((StepStatus.CANCELLED.value, StepStatus.COMPLETED.value)),
        )
        .order_by(col(step.id))
    )
    if exclude is not None:
        stmt = stmt.where(step.id != exclude)
    return list(session.exec(stmt).all())
