"""Whether an action may be taken on a step now, and why not.

Three rules, checked in this order, each refusal saying why:
1. the status machine (`IllegalMove`, from `domain.status`);
2. for MRS/MSS the activation call is confirmed only once the equipment is
   installed and the IP configuration letter sent (`activation_gate`);
3. an outcome (activated/installed, customer not ready, no-show) is
   recorded once the event has started, not before.
The screen asks before opening a dialog; the store asks again inside the
transaction that writes.
"""

from __future__ import annotations

from datetime import datetime

from ccm_tui.domain.model import Activation, ActivationStep, StepKind, StepStatus
from ccm_tui.domain.status import Action, activation_gate, next_status

OUTCOMES = frozenset({Action.COMPLETE, Action.NOT_READY, Action.NO_SHOW})


class ActionRefused(ValueError):
    """A rule other than the status machine says no; the message says which and why."""


def check_action(activation: Activation, step: ActivationStep, action: Action, now: datetime) -> StepStatus:
    """The status `action` moves `step` to, or IllegalMove / ActionRefused saying why not."""
    after = next_status(step.kind, step.status, action)
    if action is Action.CONFIRM and step.kind is StepKind.ACTIVATION and activation.service.managed:
        why = activation_gate(activation.step(StepKind.INSTALLATION), activation.ip_letter_sent_on is not None)
        if why is not None:
            raise ActionRefused(f"cannot confirm the {activation.service.value} activation call: {why}")
    if action in OUTCOMES and step.start is not None and step.start > now:
        raise ActionRefused(f"cannot {action.verb}: the {step.kind.label.lower()} has not started yet")
    return after
