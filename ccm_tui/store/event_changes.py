"""Changing an activation event with its fee: the quote the CCM confirms,
and the reschedule, cancellation or "customer not ready" itself.

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

from sqlalchemy import Engine
from sqlmodel import Session

from ccm_tui.domain.action_inputs import WindowInput
from ccm_tui.domain.action_rules import ActionRefused
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
from ccm_tui.domain.model import Region, StepKind, StepStatus
from ccm_tui.domain.status import Action, next_status
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store.activation_detail import event_step_ids
from ccm_tui.store.activations import (
    Actor,
    check_move,
    record_change,
    set_window,
    site_calendar,
)
from ccm_tui.store.convert import to_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.sql_types import id_of
from ccm_tui.store.tables import ActivationRow, ActivationStepRow, CustomerRow, SiteRow


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
    activations = {id_of(a): a for a in rows if a is not None}
    sites: dict[int, SiteRow] = {}
    for a in activations.values():
        site = session.get(SiteRow, a.site_id)
        assert site is not None
        sites[a.site_id] = site
    customer = session.get(CustomerRow, activation.customer_id)
    assert customer is not None
    return _Event(tuple(steps), activations, sites, Region(customer.region))


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
            site_calendar(event.sites[site_id], actor.hours),
            dispatch,
            status=status[site_id],
        )
        for site_id, dispatch in dispatched.items()
    ]
    return fee_guard(schedule, action, event.region, sites, to_utc(first.start_at), actor.now)


def quote(engine: Engine, step_id: int, action: Action, schedule: FeeSchedule, actor: Actor) -> tuple[FeeGuard, dict[int, int]]:
    """The fee guard for `action` on the event of `step_id`, and the versions of its steps."""
    with read_session(engine) as session:
        event = _load_event(session, step_id, whole_event=True)
        if event.steps[0].start_at is None:
            raise ActionRefused("this step has no window yet: there is nothing to change")
        guard = _guard(event, action, schedule, actor)
        return guard, {id_of(s): s.version for s in event.steps}


# -- writing ------------------------------------------------------------------------


def _check_versions(steps: tuple[ActivationStepRow, ...], expected: Mapping[int, int]) -> None:
    for step in steps:
        if step.id not in expected:
            # a site joined the event since the dialog opened: show it again
            raise StaleEdit("event", step.id)
        if step.version != expected[id_of(step)]:
            raise StaleEdit("activation", step.activation_id)
    if set(expected) - {s.id for s in steps}:
        raise StaleEdit("event", next(iter(expected)))


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
            check_move(session, step, action, actor.now)  # every site refused before anything is written
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
                set_window(session, step, window, actor.hours)
            step.status = next_status(kind, before, action).value
            step.version += 1
            session.add(step)
            record_change(
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
