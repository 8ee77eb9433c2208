"""What happened to an activation, recorded on it: the IP configuration
letter sent, traffic passing, and a reminder sent for a step's date.

Each is one transaction that checks the version it was shown and leaves a
history row.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from ccm_tui.domain.action_inputs import IpLetterInput
from ccm_tui.domain.action_rules import ActionRefused
from ccm_tui.domain.model import ServiceKind, StepKind, StepStatus
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store.activations import Actor, record_change, require_contact
from ccm_tui.store.calendar_reminders import reminders_sent_for
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.engine import write_session
from ccm_tui.store.tables import ActivationRow, ActivationStepRow


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
        require_contact(session, step, data.contact_id, "pick the contact the letter went to")
        activation.ip_letter_sent_on = data.sent_on
        activation.ip_letter_contact_id = data.contact_id
        activation.version += 1
        session.add(activation)
        status = StepStatus(step.status)
        record_change(
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
        record_change(
            session,
            step,
            "traffic_passed",
            StepStatus(step.status),
            actor,
            reason=f"Traffic passing since {passed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        )


def mark_reminder(engine: Engine, step_id: int, version: int, kind: ReminderKind, contact_id: int | None, actor: Actor) -> bool:
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
            require_contact(session, step, contact_id, "pick one of the customer's contacts")
        status = StepStatus(step.status)
        record_change(
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
