"""The status machine of an activation step (installation or activation event).

A window is requested by the CCM, confirmed by the scheduling team, validated
by the customer's designated contact, and then the event has an outcome.
Moves that make no sense are refused with a message saying why, so the CCM
never has to guess what to do next.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from ccm_tui.domain.model import ActivationStep, StepKind, StepStatus


class Action(enum.StrEnum):
    REQUEST = "request"
    CONFIRM = "confirm"
    VALIDATE = "validate"
    COMPLETE = "complete"
    NOT_READY = "not_ready"
    NO_SHOW = "no_show"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"

    @property
    def verb(self) -> str:
        """The imperative, for buttons and history lines."""
        return {
            Action.NOT_READY: "mark customer not ready",
            Action.NO_SHOW: "mark no-show",
        }.get(self, self.value)


_S = StepStatus
_MOVES: dict[tuple[StepStatus, Action], StepStatus] = {
    (_S.UNSCHEDULED, Action.REQUEST): _S.REQUESTED,
    (_S.REQUESTED, Action.CONFIRM): _S.CONFIRMED,
    (_S.CONFIRMED, Action.VALIDATE): _S.VALIDATED,
    (_S.VALIDATED, Action.COMPLETE): _S.COMPLETED,
    (_S.VALIDATED, Action.NOT_READY): _S.NOT_READY,
    (_S.VALIDATED, Action.NO_SHOW): _S.NO_SHOW,
    **{
        (status, Action.RESCHEDULE): _S.REQUESTED
        for status in (_S.REQUESTED, _S.CONFIRMED, _S.VALIDATED, _S.NOT_READY, _S.NO_SHOW)
    },
    **{
        (status, Action.CANCEL): _S.CANCELLED
        for status in (_S.UNSCHEDULED, _S.REQUESTED, _S.CONFIRMED, _S.VALIDATED, _S.NOT_READY, _S.NO_SHOW)
    },
}


class IllegalMove(ValueError):
    """A status move the machine refuses; the message names the move and why."""

    def __init__(self, kind: StepKind, current: StepStatus, action: Action) -> None:
        status = current.label_for(kind)
        article = "an" if status[0] in "aeiou" else "a"
        step = f"{article} {status} {kind.label.lower()}"
        if action is Action.NOT_READY:
            move = f"mark {step} as customer not ready"
        elif action is Action.NO_SHOW:
            move = f"mark {step} as a no-show"
        else:
            move = f"{action.verb} {step}"
        super().__init__(f"cannot {move}: {_why(kind, current, action)}")
        self.kind = kind
        self.current = current
        self.action = action


def _why(kind: StepKind, current: StepStatus, action: Action) -> str:
    if current is _S.CANCELLED:
        return "it was cancelled"
    if current is _S.COMPLETED:
        return f"it is already {current.label_for(kind)}"
    if current is _S.UNSCHEDULED:
        return "no window has been requested yet; request one first"
    if action is Action.REQUEST:
        return "a window has already been requested; reschedule it instead"
    if current in (_S.NOT_READY, _S.NO_SHOW):
        return f"the event already took place and was marked {current.label_for(kind)}; reschedule it first"
    if current is _S.REQUESTED:
        return "the scheduling team has not confirmed it yet"
    if current is _S.CONFIRMED and action is not Action.CONFIRM:
        return "the customer's designated contact has not validated it yet"
    return f"it is already {current.label_for(kind)}"


def next_status(kind: StepKind, current: StepStatus, action: Action) -> StepStatus:
    """The status after `action`, or IllegalMove saying why it cannot happen."""
    try:
        return _MOVES[current, action]
    except KeyError:
        raise IllegalMove(kind, current, action) from None


def allowed_actions(kind: StepKind, current: StepStatus) -> tuple[Action, ...]:
    """The actions offered for a step, in the order of the lifecycle."""
    # Both step kinds share one machine today; `kind` keeps the door open.
    return tuple(action for action in Action if (current, action) in _MOVES)


def activation_gate(installation: ActivationStep | None, ip_letter_sent: bool) -> str | None:
    """Why a managed service's activation event cannot be confirmed yet, or None.

    For MRS and MSS the equipment must be installed and the IP configuration
    letter sent to the site technical contact before the call. Call this for
    managed services only: a missing installation step means it has not
    been scheduled, which blocks confirmation like any unfinished one.
    """
    if installation is None or installation.status is not _S.COMPLETED:
        return "the equipment installation is not complete yet"
    if not ip_letter_sent:
        return "the IP configuration letter has not been sent to the site technical contact yet"
    return None


# -- reinstating a cancelled step ---------------------------------------------------------
# Not one of the machine's moves (nothing leaves CANCELLED by `next_status`): what a
# reinstated step becomes depends on what it was before its cancellation and on the clock.

REINSTATE = "reinstate"  # the history's word for it
# An outcome already recorded: the event took place, a reschedule is the next move either way.
_TOOK_PLACE = (_S.NOT_READY, _S.NO_SHOW)
# Waiting for its window: worth restoring only while that window is still ahead.
_AHEAD = (_S.REQUESTED, _S.CONFIRMED, _S.VALIDATED)


class CannotReinstate(ValueError):
    """A step that cannot be reinstated; the message says why."""


@dataclass(frozen=True, slots=True)
class Reinstatement:
    """What a cancelled step becomes when reinstated."""

    status: StepStatus
    keeps_window: bool  # False: its window is cleared and must be requested again
    note: str = ""  # why it is not restored as it was, if it is not


def reinstated(
    kind: StepKind, current: StepStatus, before: StepStatus | None, start: datetime | None, now: datetime
) -> Reinstatement:
    """The status a cancelled step goes back to, from `before` (its status when cancelled, None if unknown).

    A step is restored as it was while its window is still ahead (or if it
    had already taken place: not ready or no-show, rescheduled next). A
    window that has passed meanwhile cannot be kept: the step goes back to
    unscheduled, to be requested again. With no cancellation on record the
    step is taken as requested if its window is ahead (the scheduling team
    confirms it again), else unscheduled.
    """
    if current is not _S.CANCELLED:
        raise CannotReinstate(f"cannot reinstate {_a(current.label_for(kind))} {kind.label.lower()}: only a cancelled step can be")
    if start is None or before is _S.UNSCHEDULED:
        return Reinstatement(_S.UNSCHEDULED, keeps_window=False)
    if before in _TOOK_PLACE:
        return Reinstatement(before, keeps_window=True)
    if start <= now:
        note = "its window has passed: request a new one"
        return Reinstatement(_S.UNSCHEDULED, keeps_window=False, note=note)
    if before is None:
        return Reinstatement(_S.REQUESTED, keeps_window=True, note="no cancellation on record: the team confirms it again")
    if before in _AHEAD:
        return Reinstatement(before, keeps_window=True)
    raise CannotReinstate(f"cannot reinstate this {kind.label.lower()}: it was {before.label_for(kind)} when cancelled")


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"
