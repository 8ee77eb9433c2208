"""The step status machine: every (status, action) pair, legal or not."""

from __future__ import annotations

from itertools import product

import pytest

from ccm_tui.domain.model import ActivationStep, StepKind, StepStatus
from ccm_tui.domain.status import (
    Action,
    IllegalMove,
    activation_gate,
    allowed_actions,
    next_status,
)

S = StepStatus
# The brief's moves, restated here so the test does not trust the code's table.
LEGAL: dict[tuple[StepStatus, Action], StepStatus] = {
    (S.UNSCHEDULED, Action.REQUEST): S.REQUESTED,
    (S.UNSCHEDULED, Action.CANCEL): S.CANCELLED,
    (S.REQUESTED, Action.CONFIRM): S.CONFIRMED,
    (S.REQUESTED, Action.RESCHEDULE): S.REQUESTED,
    (S.REQUESTED, Action.CANCEL): S.CANCELLED,
    (S.CONFIRMED, Action.VALIDATE): S.VALIDATED,
    (S.CONFIRMED, Action.RESCHEDULE): S.REQUESTED,
    (S.CONFIRMED, Action.CANCEL): S.CANCELLED,
    (S.VALIDATED, Action.COMPLETE): S.COMPLETED,
    (S.VALIDATED, Action.NOT_READY): S.NOT_READY,
    (S.VALIDATED, Action.NO_SHOW): S.NO_SHOW,
    (S.VALIDATED, Action.RESCHEDULE): S.REQUESTED,
    (S.VALIDATED, Action.CANCEL): S.CANCELLED,
    (S.NOT_READY, Action.RESCHEDULE): S.REQUESTED,
    (S.NOT_READY, Action.CANCEL): S.CANCELLED,
    (S.NO_SHOW, Action.RESCHEDULE): S.REQUESTED,
    (S.NO_SHOW, Action.CANCEL): S.CANCELLED,
}
PAIRS = list(product(StepKind, StepStatus, Action))
# How each action shows up in a refusal.
ACTION_WORDS = {Action.NOT_READY: "as customer not ready", Action.NO_SHOW: "as a no-show"}


@pytest.mark.parametrize(("kind", "current", "action"), PAIRS, ids=[f"{k}-{s}-{a}" for k, s, a in PAIRS])
def test_every_pair(kind: StepKind, current: StepStatus, action: Action) -> None:
    if (current, action) in LEGAL:
        assert next_status(kind, current, action) is LEGAL[current, action]
        assert action in allowed_actions(kind, current)
        return
    with pytest.raises(IllegalMove) as caught:
        next_status(kind, current, action)
    message = str(caught.value)
    assert message.startswith("cannot ")
    assert ACTION_WORDS.get(action, action.verb) in message
    assert f" {current.label_for(kind)} {kind.label.lower()}" in message
    assert ": " in message  # then the reason
    assert action not in allowed_actions(kind, current)
    assert (caught.value.kind, caught.value.current, caught.value.action) == (kind, current, action)


@pytest.mark.parametrize(
    ("kind", "current", "action", "message"),
    [
        (StepKind.ACTIVATION, S.CANCELLED, Action.COMPLETE, "cannot complete a cancelled activation event: it was cancelled"),
        (
            StepKind.INSTALLATION,
            S.COMPLETED,
            Action.CANCEL,
            "cannot cancel an installed equipment installation: it is already installed",
        ),
        (
            StepKind.ACTIVATION,
            S.COMPLETED,
            Action.RESCHEDULE,
            "cannot reschedule an activated activation event: it is already activated",
        ),
        (
            StepKind.ACTIVATION,
            S.REQUESTED,
            Action.VALIDATE,
            "cannot validate a requested activation event: the scheduling team has not confirmed it yet",
        ),
        (
            StepKind.ACTIVATION,
            S.CONFIRMED,
            Action.COMPLETE,
            "cannot complete a confirmed activation event: the customer's designated contact has not validated it yet",
        ),
        (
            StepKind.ACTIVATION,
            S.UNSCHEDULED,
            Action.CONFIRM,
            "cannot confirm an unscheduled activation event: no window has been requested yet; request one first",
        ),
        (
            StepKind.ACTIVATION,
            S.CONFIRMED,
            Action.REQUEST,
            "cannot request a confirmed activation event: a window has already been requested; reschedule it instead",
        ),
        (
            StepKind.ACTIVATION,
            S.NOT_READY,
            Action.COMPLETE,
            "cannot complete a not ready activation event: "
            "the event already took place and was marked not ready; reschedule it first",
        ),
        (
            StepKind.ACTIVATION,
            S.REQUESTED,
            Action.NO_SHOW,
            "cannot mark a requested activation event as a no-show: the scheduling team has not confirmed it yet",
        ),
        (StepKind.ACTIVATION, S.VALIDATED, Action.CONFIRM, "cannot confirm a validated activation event: it is already validated"),
    ],
    ids=[
        "complete-cancelled",
        "cancel-installed",
        "reschedule-activated",
        "validate-before-confirm",
        "complete-before-validate",
        "confirm-unscheduled",
        "request-twice",
        "complete-after-not-ready",
        "no-show-too-early",
        "confirm-validated",
    ],
)
def test_refusals_say_why(kind: StepKind, current: StepStatus, action: Action, message: str) -> None:
    with pytest.raises(IllegalMove, match=f"^{message}$".replace("?", r"\?")):
        next_status(kind, current, action)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (S.UNSCHEDULED, (Action.REQUEST, Action.CANCEL)),
        (S.REQUESTED, (Action.CONFIRM, Action.RESCHEDULE, Action.CANCEL)),
        (S.CONFIRMED, (Action.VALIDATE, Action.RESCHEDULE, Action.CANCEL)),
        (S.VALIDATED, (Action.COMPLETE, Action.NOT_READY, Action.NO_SHOW, Action.RESCHEDULE, Action.CANCEL)),
        (S.NOT_READY, (Action.RESCHEDULE, Action.CANCEL)),
        (S.NO_SHOW, (Action.RESCHEDULE, Action.CANCEL)),
        (S.COMPLETED, ()),
        (S.CANCELLED, ()),
    ],
    ids=lambda v: str(v) if isinstance(v, StepStatus) else None,
)
def test_allowed_actions_in_lifecycle_order(current: StepStatus, expected: tuple[Action, ...]) -> None:
    assert allowed_actions(StepKind.ACTIVATION, current) == expected


def test_illegal_move_is_a_value_error() -> None:
    assert issubclass(IllegalMove, ValueError)


@pytest.mark.parametrize(
    ("action", "verb"),
    [
        (Action.REQUEST, "request"),
        (Action.CONFIRM, "confirm"),
        (Action.VALIDATE, "validate"),
        (Action.COMPLETE, "complete"),
        (Action.NOT_READY, "mark customer not ready"),
        (Action.NO_SHOW, "mark no-show"),
        (Action.RESCHEDULE, "reschedule"),
        (Action.CANCEL, "cancel"),
    ],
    ids=lambda v: str(v) if isinstance(v, Action) else None,
)
def test_verbs(action: Action, verb: str) -> None:
    assert action.verb == verb


def _installation(status: StepStatus) -> ActivationStep:
    return ActivationStep(id=1, activation_id=1, kind=StepKind.INSTALLATION, start=None, end=None, status=status)


@pytest.mark.parametrize(
    ("installation", "letter_sent", "reason"),
    [
        (None, True, "the equipment installation is not complete yet"),
        (_installation(S.VALIDATED), True, "the equipment installation is not complete yet"),
        (_installation(S.NOT_READY), False, "the equipment installation is not complete yet"),
        (_installation(S.COMPLETED), False, "the IP configuration letter has not been sent to the site technical contact yet"),
        (_installation(S.COMPLETED), True, None),
    ],
    ids=["no-installation", "installation-validated", "installation-not-ready", "letter-not-sent", "ready"],
)
def test_activation_gate(installation: ActivationStep | None, letter_sent: bool, reason: str | None) -> None:
    assert activation_gate(installation, letter_sent) == reason
