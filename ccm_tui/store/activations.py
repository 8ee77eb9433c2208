"""Activation actions: each one transaction that checks, moves and records.

Every action names the `version` of each step it was shown; a step that
moved on since is a StaleEdit and nothing is written. The status machine
decides the move and `domain.action_rules` refuses what else must wait (an
MRS/MSS activation call confirmed before the installation and the IP
letter; an outcome before the event), and every change leaves a history
row: who (the CCM's name from the settings), when, the action, the status
and start it moved from and to, why, the fee and the contact involved.

Reschedule, cancel and "customer not ready" act on the whole event (every
site of the order in it: see `domain.fee_guard`) and record each site's fee
on that site's row. The fee is worked out again inside the transaction; if
it differs from the one the CCM confirmed (the cut-off passed while the
dialog was open) the change is refused with the new figure, never charged
silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.action_inputs import IpLetterInput, WindowInput
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.checklist import ChecklistTemplate
from ccm_tui.domain.action_rules import ActionRefused, check_action
from ccm_tui.domain.fee_guard import (
    GUARDED_ACTIONS,
    ON_CALENDAR,
    FeeChanged,
    FeeGuard,
    GuardSite,
    Initiator,
    ProviderReasonMissing,
    fee_guard,
)
from ccm_tui.domain.fees import FeeSchedule
from ccm_tui.domain.model import Money, OrderStatus, Region, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.status import Action, next_status
from ccm_tui.store.calendar import event_step_ids, reminders_sent_for
from ccm_tui.store.calendar_flags import step_flags
from ccm_tui.store.checklists import create_from_templates
from ccm_tui.store.convert import activation_from_row, cents, step_from_row, to_naive_utc, to_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)



@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, and the clock and rules they act under."""

    who: str
    now: datetime
    hours: BusinessHours


# -- reading what an action needs -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Event:
    steps: tuple[ActivationStepRow, ...]  # the step acted on first
    activations: dict[int, ActivationRow]
    sites: dict[int, SiteRow]
    region: Region


def _load_event(session: Session, step_id: int, whole_event: bool) -> _Event:
    first = session.get(ActivationStepRow, step_id)
    if first is None:
        raise NotFound("activation step", step_id)
    activation = session.get(ActivationRow, first.activation_id)
    assert activation is not None
    ids = [step_id]
    if whole_event and first.start_at is not None:
        ids += event_step_ids(session, activation.order_id, StepKind(first.kind), to_utc(first.start_at), exclude=step_id)
    steps = [first] + [s for s in (session.get(ActivationStepRow, i) for i in ids[1:]) if s is not None]
    rows = (session.get(ActivationRow, s.activation_id) for s in steps)
    activations = {a.id: a for a in rows if a is not None}  # type: ignore[misc]
    sites = {a.site_id: session.get(SiteRow, a.site_id) for a in activations.values()}
    customer = session.get(CustomerRow, activation.customer_id)
    assert customer is not None
    return _Event(tuple(steps), activations, sites, Region(customer.region))  # type: ignore[arg-type]


def _calendar(site: SiteRow, hours: BusinessHours) -> SiteCalendar:
    return SiteCalendar(site.timezone, site.country, hours, site.subdivision)


def _guard(event: _Event, action: Action, schedule: FeeSchedule, actor: Actor) -> FeeGuard:
    """The customer's guard for the event (`FeeGuard.asked_by` turns it into a provider's)."""
    first = event.steps[0]
    assert first.start_at is not None
    # The fee is per site: two services at one site in the same event are one site
    # (dispatched if either had a technician sent; on the calendar if either still is).
    dispatched: dict[int, bool] = {}
    status: dict[int, StepStatus] = {}
    for step in event.steps:
        activation = event.activations[step.activation_id]
        site_id, step_status = activation.site_id, StepStatus(step.status)
        dispatched[site_id] = dispatched.get(site_id, False) or activation.field_dispatch
        if site_id not in status or step_status in ON_CALENDAR:
            status[site_id] = step_status
    sites = [
        GuardSite(
            site_id,
            event.sites[site_id].name,
            _calendar(event.sites[site_id], actor.hours),
            dispatch,
            status=status[site_id],
        )
        for site_id, dispatch in dispatched.items()
    ]
    return fee_guard(schedule, action, event.region, sites, to_utc(first.start_at), actor.now)


def quote(
    engine: Engine, step_id: int, action: Action, schedule: FeeSchedule, actor: Actor
) -> tuple[FeeGuard, dict[int, int]]:
    """The fee guard for `action` on the event of `step_id`, and the versions of its steps."""
    with read_session(engine) as session:
        event = _load_event(session, step_id, whole_event=True)
        if event.steps[0].start_at is None:
            raise ActionRefused("this step has no window yet: there is nothing to change")
        guard = _guard(event, action, schedule, actor)
        return guard, {s.id: s.version for s in event.steps}  # type: ignore[misc]


# -- writing ------------------------------------------------------------------------


def _check_versions(steps: tuple[ActivationStepRow, ...], expected: Mapping[int, int]) -> None:
    for step in steps:
        if step.id not in expected:
            # a site joined the event since the dialog opened: show it again
            raise StaleEdit("event", step.id)
        if step.version != expected[step.id]:
            raise StaleEdit("activation", step.activation_id)
    if set(expected) - {s.id for s in steps}:
        raise StaleEdit("event", next(iter(expected)))


def _history(
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


def _set_window(session: Session, step: ActivationStepRow, window: WindowInput, hours: BusinessHours) -> None:
    activation = session.get(ActivationRow, step.activation_id)
    assert activation is not None
    site = session.get(SiteRow, activation.site_id)
    order = session.get(OrderRow, activation.order_id)
    assert site is not None and order is not None
    step.start_at = to_naive_utc(window.start)
    step.end_at = to_naive_utc(window.end)
    step.calendar_flags = step_flags(window.start, window.end, _calendar(site, hours), order.ccd)
    step.ccd = order.ccd


def _check(session: Session, step: ActivationStepRow, action: Action, now: datetime) -> StepStatus:
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
        after = _check(session, step, action, actor.now)
        if action is Action.VALIDATE:
            _require_contact(session, step, contact_id, "pick the contact who validated the date")
        old_start = to_utc(step.start_at)
        if window is not None and action is Action.REQUEST:
            _set_window(session, step, window, actor.hours)
        step.status = after.value
        step.version += 1
        session.add(step)
        moved = action is Action.REQUEST
        _history(
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


def _require_contact(session: Session, step: ActivationStepRow, contact_id: int | None, message: str) -> None:
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


def change_event(
    engine: Engine,
    step_id: int,
    versions: Mapping[int, int],
    action: Action,
    schedule: FeeSchedule,
    confirmed: FeeGuard | None,
    actor: Actor,
    *,
    initiator: Initiator = Initiator.CUSTOMER,
    window: WindowInput | None = None,
    reason: str = "",
) -> FeeGuard | None:
    """Reschedule, cancel or mark "customer not ready" every site of the event, with its fee.

    `initiator` is who asked for a reschedule or cancellation: only the
    customer's late change of an event still on the calendar is charged,
    and a provider's change must give a reason. `confirmed` is the guard the
    CCM saw (None for a step without a window, which can only be cancelled,
    at no cost); the fee is judged again here and must agree (FeeChanged
    otherwise). Returns the guard recorded.
    """
    if action not in GUARDED_ACTIONS:
        raise ValueError(f"{action.verb} carries no fee; use move_step")
    if action is Action.RESCHEDULE and window is None:
        raise ValueError("a reschedule needs the new window")
    if action is Action.NOT_READY and initiator.provider:
        raise ValueError("customer not ready is the customer's by definition")
    if initiator.provider and not reason.strip():
        raise ProviderReasonMissing(initiator)
    with write_session(engine) as session:
        event = _load_event(session, step_id, whole_event=True)
        _check_versions(event.steps, versions)
        for step in event.steps:
            _check(session, step, action, actor.now)  # every site refused before anything is written
        guard = None
        if event.steps[0].start_at is not None:
            guard = _guard(event, action, schedule, actor)
            if action is not Action.NOT_READY:
                guard = guard.asked_by(initiator)
            if confirmed is None or _shown(guard) != _shown(confirmed):
                raise FeeChanged(guard, _fee_moved(guard))
        note = guard.reason_note() if guard is not None else ""
        if initiator.provider:
            note = "; ".join(p for p in (f"asked for by {initiator.label}", note) if p)
        full_reason = "; ".join(part for part in (reason.strip(), note) if part)
        charged: set[int] = set()
        for step in event.steps:
            kind, before = StepKind(step.kind), StepStatus(step.status)
            activation = event.activations[step.activation_id]
            fee = None
            if guard is not None and activation.site_id not in charged:
                fee = guard.fee_for(activation.site_id)
                if fee is not None:
                    charged.add(activation.site_id)
            old_start = to_utc(step.start_at)
            if window is not None:
                _set_window(session, step, window, actor.hours)
            step.status = next_status(kind, before, action).value
            step.version += 1
            session.add(step)
            _history(
                session,
                step,
                action.value,
                before,
                actor,
                from_start=old_start if window is not None else None,
                to_start=to_utc(step.start_at) if window is not None else None,
                reason=full_reason,
                fee=fee,
                initiator=initiator,
            )
        return guard


def _shown(guard: FeeGuard) -> tuple[object, ...]:
    """What the CCM confirmed: whether it costs, how much, and who asked."""
    return (guard.charged, guard.total, guard.no_schedule, guard.initiator)


def _fee_moved(guard: FeeGuard) -> str:
    if guard.charged and guard.total is not None:
        return "the late-change cut-off passed while you were deciding: the change now costs a fee; review and confirm again"
    if guard.charged:
        return f"the late-change cut-off passed while you were deciding ({guard.no_schedule}); review and confirm again"
    return "the fee for this change has changed since you opened it; review it and confirm again"


def record_ip_letter(engine: Engine, activation_id: int, version: int, data: IpLetterInput, actor: Actor) -> None:
    """The IP configuration letter went to `data.contact_id` on `data.sent_on`."""
    with write_session(engine) as session:
        activation = session.get(ActivationRow, activation_id, with_for_update=True)
        if activation is None:
            raise NotFound("activation", activation_id)
        if activation.version != version:
            raise StaleEdit("activation", activation_id)
        if not ServiceKind(activation.service).managed:
            raise ActionRefused(f"{activation.service} has no equipment to configure: no IP letter is sent")
        step = _step_of(session, activation_id, StepKind.ACTIVATION)
        _require_contact(session, step, data.contact_id, "pick the contact the letter went to")
        activation.ip_letter_sent_on = data.sent_on
        activation.ip_letter_contact_id = data.contact_id
        activation.version += 1
        session.add(activation)
        status = StepStatus(step.status)
        _history(
            session,
            step,
            "ip_letter_sent",
            status,
            actor,
            reason=f"IP configuration letter sent on {data.sent_on.isoformat()}",
            contact_id=data.contact_id,
        )


def record_traffic(engine: Engine, activation_id: int, version: int, passed_at: datetime, actor: Actor) -> None:
    """Traffic first passed at `passed_at`: 12 hours on, trouble goes to the repair center."""
    with write_session(engine) as session:
        activation = session.get(ActivationRow, activation_id, with_for_update=True)
        if activation is None:
            raise NotFound("activation", activation_id)
        if activation.version != version:
            raise StaleEdit("activation", activation_id)
        step = _step_of(session, activation_id, StepKind.ACTIVATION)
        if step.status != StepStatus.COMPLETED.value:
            raise ActionRefused("traffic can only pass on an activated service; mark the activation call activated first")
        activation.traffic_passed_at = to_naive_utc(passed_at)
        activation.version += 1
        session.add(activation)
        _history(
            session,
            step,
            "traffic_passed",
            StepStatus(step.status),
            actor,
            reason=f"Traffic passing since {passed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        )


def mark_reminder(
    engine: Engine, step_id: int, version: int, kind: ReminderKind, contact_id: int | None, actor: Actor
) -> bool:
    """Record a reminder sent for the step's current date; False if it was already recorded."""
    with write_session(engine) as session:
        step = session.get(ActivationStepRow, step_id)
        if step is None:
            raise NotFound("activation step", step_id)
        if step.version != version:
            raise StaleEdit("activation", step.activation_id)
        if step.start_at is None:
            raise ActionRefused("this step has no date to remind anyone of")
        start = to_utc(step.start_at)
        if kind in reminders_sent_for(session, step.activation_id, StepKind(step.kind), start):
            return False
        if contact_id is not None:
            _require_contact(session, step, contact_id, "pick one of the customer's contacts")
        status = StepStatus(step.status)
        _history(
            session,
            step,
            kind.value,
            status,
            actor,
            from_start=start,
            to_start=start,
            reason=f"{kind.label} sent; date re-confirmed",
            contact_id=contact_id,
        )
        return True


def _step_of(session: Session, activation_id: int, kind: StepKind) -> ActivationStepRow:
    step = session.exec(
        select(ActivationStepRow).where(ActivationStepRow.activation_id == activation_id, ActivationStepRow.kind == kind.value)
    ).first()
    if step is None:
        raise NotFound(f"{kind.label.lower()} of activation", activation_id)
    return step
