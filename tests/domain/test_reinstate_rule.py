"""Reinstating a cancelled step: what it was and its window decide what it becomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.status import CannotReinstate, Reinstatement, allowed_actions, reinstated

S = StepStatus
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
AHEAD, PASSED = NOW + timedelta(days=3), NOW - timedelta(hours=1)

# (status when cancelled, window start) -> what the step becomes; restated from the brief, not from the code
TABLE: list[tuple[StepStatus | None, datetime | None, Reinstatement]] = [
    (S.REQUESTED, AHEAD, Reinstatement(S.REQUESTED, keeps_window=True)),
    (S.CONFIRMED, AHEAD, Reinstatement(S.CONFIRMED, keeps_window=True)),
    (S.VALIDATED, AHEAD, Reinstatement(S.VALIDATED, keeps_window=True)),
    # the event already took place: restored as it was, a reschedule is next either way
    (S.NOT_READY, PASSED, Reinstatement(S.NOT_READY, keeps_window=True)),
    (S.NO_SHOW, PASSED, Reinstatement(S.NO_SHOW, keeps_window=True)),
    # the window passed while cancelled: it cannot be kept; request a new one
    (S.REQUESTED, PASSED, Reinstatement(S.UNSCHEDULED, keeps_window=False, note="its window has passed: request a new one")),
    (S.CONFIRMED, NOW, Reinstatement(S.UNSCHEDULED, keeps_window=False, note="its window has passed: request a new one")),
    (S.VALIDATED, PASSED, Reinstatement(S.UNSCHEDULED, keeps_window=False, note="its window has passed: request a new one")),
    # nothing to keep
    (S.UNSCHEDULED, None, Reinstatement(S.UNSCHEDULED, keeps_window=False)),
    (S.CONFIRMED, None, Reinstatement(S.UNSCHEDULED, keeps_window=False)),
    # no cancellation on record (it came cancelled, from an import)
    (None, AHEAD, Reinstatement(S.REQUESTED, keeps_window=True, note="no cancellation on record: the team confirms it again")),
    (None, PASSED, Reinstatement(S.UNSCHEDULED, keeps_window=False, note="its window has passed: request a new one")),
    (None, None, Reinstatement(S.UNSCHEDULED, keeps_window=False)),
]


@pytest.mark.parametrize("kind", list(StepKind))
@pytest.mark.parametrize(("before", "start", "expected"), TABLE)
def test_a_cancelled_step_becomes(
    kind: StepKind, before: StepStatus | None, start: datetime | None, expected: Reinstatement
) -> None:
    assert reinstated(kind, S.CANCELLED, before, start, NOW) == expected


@pytest.mark.parametrize("current", [s for s in StepStatus if s is not S.CANCELLED])
def test_only_a_cancelled_step_is_reinstated(current: StepStatus) -> None:
    with pytest.raises(CannotReinstate, match=f"cannot reinstate an? {current.label_for(StepKind.ACTIVATION)} activation"):
        reinstated(StepKind.ACTIVATION, current, S.CONFIRMED, AHEAD, NOW)


@pytest.mark.parametrize("before", [S.COMPLETED, S.CANCELLED])
def test_a_step_that_could_not_have_been_cancelled_is_refused(before: StepStatus) -> None:
    with pytest.raises(CannotReinstate, match="when cancelled"):
        reinstated(StepKind.INSTALLATION, S.CANCELLED, before, AHEAD, NOW)


def test_the_machine_itself_still_has_no_move_out_of_cancelled() -> None:
    for kind in StepKind:
        assert allowed_actions(kind, S.CANCELLED) == ()
