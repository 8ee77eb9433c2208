"""Reinstating a cancelled event, from its history.

A step's cancellation is the latest history row that moved it into
"cancelled"; its `from_status` is what the step was. A cancellation keeps
the step's window on the step, so the window comes from the step itself.
The other sites the same cancellation cancelled (same order, same step
kind, same moment and author: one `change_event`) are reinstated with it,
as the cancellation acted on the whole event. Each reinstated step gets a
history row ("reinstate") and a change-log entry in the caller's
transaction; a cancellation fee stays on record, untouched.

`reinstate_steps` works inside an open session (undo of a cancellation
calls it); `reinstate` is the CCM's action, checked against the versions
the confirm dialog showed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.model import Money, OrderStatus, StepKind, StepStatus
from ccm_tui.domain.reinstatement import ReinstatePlan, ReinstateStep
from ccm_tui.domain.status import REINSTATE, CannotReinstate, reinstated
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store.activations import Actor, record_change
from ccm_tui.store.convert import from_cents, to_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.sql_types import id_of
from ccm_tui.store.tables import ActivationChangeRow, ActivationRow, ActivationStepRow, OrderRow, SiteRow

_CANCELLED = StepStatus.CANCELLED.value
_CLOSED_ORDERS = {OrderStatus.COMPLETED.value: "completed", OrderStatus.CANCELLED.value: "cancelled"}


def cancellation_of(session: Session, step: ActivationStepRow) -> ActivationChangeRow | None:
    """The history row that cancelled `step` last (None: it came cancelled, from an import)."""
    change = ActivationChangeRow
    return session.exec(
        select(change)
        .where(
            change.activation_id == step.activation_id,
            change.step_kind == step.kind,
            change.to_status == _CANCELLED,
            # a note or reminder on a cancelled step is from cancelled to cancelled
            (col(change.from_status).is_(None)) | (col(change.from_status) != _CANCELLED),
        )
        .order_by(col(change.at).desc(), col(change.id).desc())
        .limit(1)
    ).first()


def _event_of(session: Session, step: ActivationStepRow, cancel: ActivationChangeRow | None) -> list[ActivationStepRow]:
    """`step` and the other steps its cancellation cancelled (still cancelled by it), the step first."""
    steps = [step]
    if cancel is None:
        return steps
    activation = session.get(ActivationRow, step.activation_id)
    assert activation is not None
    candidates = session.exec(
        select(ActivationStepRow)
        .join(ActivationRow, col(ActivationRow.id) == ActivationStepRow.activation_id)
        .where(
            ActivationRow.order_id == activation.order_id,
            ActivationStepRow.kind == step.kind,
            ActivationStepRow.status == _CANCELLED,
            ActivationStepRow.id != step.id,
        )
        .order_by(col(ActivationStepRow.id))
    ).all()
    for other in candidates:
        theirs = cancellation_of(session, other)
        if theirs is not None and (theirs.at, theirs.who, theirs.action) == (cancel.at, cancel.who, cancel.action):
            steps.append(other)
    return steps


def _line(session: Session, step: ActivationStepRow, now: datetime) -> ReinstateStep:
    """What reinstating `step` restores; CannotReinstate if it cannot be."""
    activation = session.get(ActivationRow, step.activation_id)
    assert activation is not None
    site = session.get(SiteRow, activation.site_id)
    order = session.get(OrderRow, activation.order_id)
    assert site is not None and order is not None
    kind = StepKind(step.kind)
    if step.status == _CANCELLED and order.status in _CLOSED_ORDERS:
        raise CannotReinstate(
            f"order {order.number} is {_CLOSED_ORDERS[order.status]}: the {kind.label.lower()} at {site.name} "
            "cannot be reinstated on it"
        )
    cancel = cancellation_of(session, step) if step.status == _CANCELLED else None
    before = StepStatus(cancel.from_status) if cancel is not None and cancel.from_status else None
    start = to_utc(step.start_at)
    fee = None
    if cancel is not None and cancel.fee_cents is not None:
        fee = Money(from_cents(cancel.fee_cents), cancel.fee_currency or "")
    return ReinstateStep(
        step_id=id_of(step),
        version=step.version,
        kind=kind,
        site_name=site.name,
        site_zone=site.timezone,
        start=start,
        before=before,
        becomes=reinstated(kind, StepStatus(step.status), before, start, now),
        fee=fee,
        cancelled_at=to_utc(cancel.at) if cancel is not None else None,
        cancelled_by=cancel.who if cancel is not None else "",
    )


def plan_in(session: Session, step_id: int, now: datetime) -> ReinstatePlan:
    """What reinstating the step's cancelled event would restore, read in `session`."""
    step = session.get(ActivationStepRow, step_id)
    if step is None:
        raise NotFound("activation step", step_id)
    if step.status != _CANCELLED:
        reinstated(StepKind(step.kind), StepStatus(step.status), None, None, now)  # raises, saying why
    steps = _event_of(session, step, cancellation_of(session, step))
    return ReinstatePlan(tuple(_line(session, s, now) for s in steps))


def reinstatement_plan(engine: Engine, step_id: int, now: datetime) -> ReinstatePlan:
    """What the confirm dialog shows before `reinstate`."""
    with read_session(engine) as session:
        return plan_in(session, step_id, now)


def reinstate_steps(session: Session, step_ids: Iterable[int], actor: Actor) -> ReinstatePlan:
    """Reinstate each cancelled step, in the caller's transaction; every step is checked before any is written."""
    steps = []
    for step_id in step_ids:
        step = session.get(ActivationStepRow, step_id, with_for_update=True)
        if step is None:
            raise NotFound("activation step", step_id)
        steps.append(step)
    lines = [_line(session, step, actor.now) for step in steps]
    for step, line in zip(steps, lines, strict=True):
        old_start = to_utc(step.start_at)
        if not line.becomes.keeps_window:
            step.start_at = step.end_at = None
            step.calendar_flags = None  # derived from the window: none now
            step.ccd = None
        step.status = line.becomes.status.value
        step.version += 1
        session.add(step)
        record_change(
            session,
            step,
            REINSTATE,
            StepStatus.CANCELLED,
            actor,
            from_start=old_start,
            to_start=to_utc(step.start_at),
            reason=_reason(line),
        )
    return ReinstatePlan(tuple(lines))


def reinstate(engine: Engine, step_id: int, versions: Mapping[int, int], actor: Actor) -> ReinstatePlan:
    """The CCM's reinstatement of the event they confirmed (`versions`: its steps as shown); StaleEdit if it moved on."""
    with write_session(engine) as session:
        plan = plan_in(session, step_id, actor.now)
        if plan.versions != dict(versions):
            raise StaleEdit("event", step_id)
        return reinstate_steps(session, [s.step_id for s in plan.steps], actor)


def _reason(line: ReinstateStep) -> str:
    parts = []
    if line.cancelled_at is not None:
        who = f" by {line.cancelled_by}" if line.cancelled_by else ""
        parts.append(f"cancelled {line.cancelled_at:%Y-%m-%d %H:%M} UTC{who}")
    if line.becomes.note:
        parts.append(line.becomes.note)
    if line.fee is not None:
        parts.append(f"the cancellation fee of {line.fee.amount} {line.fee.currency} stays charged")
    return "reinstated: " + "; ".join(parts) if parts else "reinstated"
