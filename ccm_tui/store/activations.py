"""Activation actions: each one transaction that checks, moves and records.

Every action names the `version` of each step it was shown; a step that
moved on since is a StaleEdit and nothing is written. The status machine
decides the move and `domain.action_rules` refuses what else must wait (an
MRS/MSS activation call confirmed before the installation and the IP
letter; an outcome before the event), and every change leaves a history
row: who (the CCM's name from the settings), when, the action, the status
and start it moved from and to, why, the fee and the contact involved.

This module holds the moves of one step without a fee (request, confirm,
validate, complete, no-show) and what every action shares. Changes of a
whole event with their fee are `event_changes`; the IP letter, traffic
passing and reminders are recorded by `activation_records`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.action_inputs import WindowInput
from ccm_tui.domain.action_rules import ActionRefused, check_action
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.changes import Entity
from ccm_tui.domain.checklist import ChecklistTemplate
from ccm_tui.domain.fee_guard import GUARDED_ACTIONS, Initiator
from ccm_tui.domain.model import Money, OrderStatus, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.people import Person
from ccm_tui.domain.status import Action
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store import change_log
from ccm_tui.store.calendar_flags import step_flags
from ccm_tui.store.checklists import create_from_templates
from ccm_tui.store.convert import (
    activation_from_row,
    cents,
    step_from_row,
    to_naive_utc,
    to_utc,
)
from ccm_tui.store.engine import write_session
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    OrderRow,
    SiteRow,
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, and the clock and rules they act under."""

    who: str
    now: datetime
    hours: BusinessHours
    # the change log's author; None: `who` is both login and name (tests, tools)
    person: Person | None = None

    @property
    def author(self) -> Person:
        return self.person or Person(login=self.who, name=self.who)


def site_calendar(site: SiteRow, hours: BusinessHours) -> SiteCalendar:
    return SiteCalendar(site.timezone, site.country, hours, site.subdivision)


def record_change(
    session: Session,
    step: ActivationStepRow,
    action: str,
    before: StepStatus | None,
    actor: Actor,
    *,
    from_start: datetime | None = None,
    to_start: datetime | None = None,
    reason: str = "",
    fee: Money | None = None,
    contact_id: int | None = None,
    initiator: Initiator | None = None,
) -> None:
    """The step's history row for an action, in the caller's transaction."""
    session.add(
        ActivationChangeRow(
            activation_id=step.activation_id,
            step_kind=step.kind,
            at=to_naive_utc(actor.now),
            who=actor.who,
            action=action,
            from_status=before.value if before else None,
            to_status=step.status,
            from_start=to_naive_utc(from_start),
            to_start=to_naive_utc(to_start),
            reason=reason[:1000],
            fee_cents=cents(fee.amount) if fee else None,
            fee_currency=fee.currency if fee else None,
            contact_id=contact_id,
            initiator=initiator.value if initiator is not None else None,
        )
    )
    change_log.record(
        session,
        actor.author,
        actor.now,
        Entity.ACTIVATION_STEP,
        step.id if step.id is not None else 0,
        step.customer_id,
        action,
        {"status": before, "start": from_start, "fee": None, "initiator": None, "contact_id": None},
        {
            "status": step.status,
            "start": to_start,
            "fee": f"{fee.amount} {fee.currency}" if fee else None,
            "initiator": initiator,
            "contact_id": contact_id,
        },
        reason=reason[:1000],
    )


def set_window(session: Session, step: ActivationStepRow, window: WindowInput, hours: BusinessHours) -> None:
    activation = session.get(ActivationRow, step.activation_id)
    assert activation is not None
    site = session.get(SiteRow, activation.site_id)
    order = session.get(OrderRow, activation.order_id)
    assert site is not None and order is not None
    step.start_at = to_naive_utc(window.start)
    step.end_at = to_naive_utc(window.end)
    step.calendar_flags = step_flags(window.start, window.end, site_calendar(site, hours), order.ccd)
    step.ccd = order.ccd


def check_move(session: Session, step: ActivationStepRow, action: Action, now: datetime) -> StepStatus:
    """The status machine, the MRS/MSS gate and outcome timing, on the rows as they are now."""
    activation_row = session.get(ActivationRow, step.activation_id)
    assert activation_row is not None
    steps = session.exec(select(ActivationStepRow).where(ActivationStepRow.activation_id == step.activation_id)).all()
    activation = activation_from_row(activation_row, steps)
    return check_action(activation, step_from_row(step), action, now)


def move_step(
    engine: Engine,
    step_id: int,
    version: int,
    action: Action,
    actor: Actor,
    *,
    window: WindowInput | None = None,
    reason: str = "",
    contact_id: int | None = None,
    checklist_templates: Mapping[ServiceKind, ChecklistTemplate] | None = None,
) -> None:
    """Request, confirm, validate, complete or mark a no-show: one step, no fee.

    A request also gives the activation its checklist from `checklist_templates`
    (if it has none yet), in the same transaction: the window and the tasks to
    get ready for it arrive together or not at all.
    """
    if action in GUARDED_ACTIONS:
        raise ValueError(f"{action.verb} goes through change_event, which records its fee")
    if action is Action.REQUEST and window is None:
        raise ValueError("a request needs a window")
    with write_session(engine) as session:
        step = session.get(ActivationStepRow, step_id, with_for_update=True)
        if step is None:
            raise NotFound("activation step", step_id)
        if step.version != version:
            raise StaleEdit("activation", step.activation_id)
        kind, before = StepKind(step.kind), StepStatus(step.status)
        after = check_move(session, step, action, actor.now)
        if action is Action.VALIDATE:
            require_contact(session, step, contact_id, "pick the contact who validated the date")
        old_start = to_utc(step.start_at)
        if window is not None and action is Action.REQUEST:
            set_window(session, step, window, actor.hours)
        step.status = after.value
        step.version += 1
        session.add(step)
        moved = action is Action.REQUEST
        record_change(
            session,
            step,
            action.value,
            before,
            actor,
            from_start=old_start if moved else None,
            to_start=to_utc(step.start_at) if moved else None,
            reason=reason,
            contact_id=contact_id,
            initiator=Initiator.FIELD if action is Action.NO_SHOW else None,
        )
        if action is Action.COMPLETE and kind is StepKind.ACTIVATION:
            _complete_order_if_done(session, step, actor.now)
        if action is Action.REQUEST and checklist_templates is not None:
            create_from_templates(session, step.activation_id, checklist_templates)


def require_contact(session: Session, step: ActivationStepRow, contact_id: int | None, message: str) -> None:
    contact = session.get(ContactRow, contact_id) if contact_id is not None else None
    if contact is None or contact.customer_id != step.customer_id:
        raise ActionRefused(message)


def _complete_order_if_done(session: Session, step: ActivationStepRow, now: datetime) -> None:
    """The order is complete once each of its activations is activated (or cancelled): billing stops accruing."""
    activation = session.get(ActivationRow, step.activation_id)
    assert activation is not None
    order = session.get(OrderRow, activation.order_id, with_for_update=True)
    if order is None or order.status in (OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value):
        return
    statuses = session.exec(
        select(ActivationStepRow.status)
        .join(ActivationRow, col(ActivationRow.id) == ActivationStepRow.activation_id)
        .where(ActivationRow.order_id == order.id, ActivationStepRow.kind == StepKind.ACTIVATION.value)
    ).all()
    done = {StepStatus.COMPLETED.value, StepStatus.CANCELLED.value}
    if statuses and all(s in done for s in statuses) and StepStatus.COMPLETED.value in statuses:
        order.status = OrderStatus.COMPLETED.value
        order.completed_on = now.astimezone(UTC).date()
        order.version += 1
        session.add(order)
