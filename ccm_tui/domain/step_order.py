"""The order a customer's activation steps are listed in: what needs the CCM next comes first.

1. Steps still to happen that have a window, soonest first. One whose
   window has passed but is still open waits for its outcome (installed?
   activated? not ready?), so it leads: it is the most overdue.
2. Steps still to happen with no window yet: the next job is to get one.
3. Finished steps (done, cancelled, not ready, no-show), latest first:
   history, most recent on top.

Plain date order would put the history (ascending) or the far future
(descending) first, and the next event in the middle of the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ccm_tui.domain.model import ActivationStep, StepStatus

T = TypeVar("T")


def pending(step: ActivationStep) -> bool:
    """Still to happen: on the calendar, or not scheduled yet."""
    return step.status is StepStatus.UNSCHEDULED or step.status.open


def relevance_key(step: ActivationStep) -> tuple[int, float]:
    """Sort key for `by_relevance`: the group (1, 2, 3 above), then the time within it."""
    if pending(step):
        if step.start is not None:
            return (0, step.start.timestamp())
        return (1, 0.0)
    if step.start is not None:
        return (2, -step.start.timestamp())  # latest first
    return (3, 0.0)  # finished with no window (cancelled before one was set): last


def by_relevance(items: Sequence[T], step_of: Callable[[T], ActivationStep]) -> list[T]:
    """`items` (each carrying one step) in the order above; ties keep their given order."""
    return sorted(items, key=lambda item: relevance_key(step_of(item)))
