"""A customer's activation steps, what needs the CCM next first (domain/step_order.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm_tui.domain.model import ActivationStep, StepKind, StepStatus
from ccm_tui.domain.step_order import by_relevance, pending

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def step(name: str, status: StepStatus, days: int | None) -> ActivationStep:
    start = None if days is None else NOW + timedelta(days=days)
    return ActivationStep(id=hash(name) & 0xFFFF, activation_id=1, kind=StepKind.ACTIVATION, start=start, end=None, status=status)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # upcoming by start, soonest first; an open step whose window passed waits for its outcome: first
        (
            [
                ("in 9 days", StepStatus.REQUESTED, 9),
                ("late outcome", StepStatus.VALIDATED, -2),
                ("in 3", StepStatus.CONFIRMED, 3),
            ],
            ["late outcome", "in 3", "in 9 days"],
        ),
        # no window yet after those with one; before the past
        (
            [
                ("done", StepStatus.COMPLETED, -30),
                ("to schedule", StepStatus.UNSCHEDULED, None),
                ("next", StepStatus.REQUESTED, 5),
            ],
            ["next", "to schedule", "done"],
        ),
        # the past: latest first, whatever its outcome; a step cancelled before it had a window last
        (
            [
                ("cancelled early", StepStatus.CANCELLED, None),
                ("old", StepStatus.COMPLETED, -90),
                ("not ready", StepStatus.NOT_READY, -10),
                ("no-show", StepStatus.NO_SHOW, -40),
            ],
            ["not ready", "no-show", "old", "cancelled early"],
        ),
        # ties keep their given order (an activation's installation before its activation call)
        ([("a", StepStatus.UNSCHEDULED, None), ("b", StepStatus.UNSCHEDULED, None)], ["a", "b"]),
    ],
)
def test_steps_in_the_order_a_ccm_works_them(steps: list[tuple[str, StepStatus, int | None]], expected: list[str]) -> None:
    items = [(name, step(name, status, days)) for name, status, days in steps]
    assert [name for name, _ in by_relevance(items, lambda item: item[1])] == expected


@given(st.lists(st.tuples(st.sampled_from(list(StepStatus)), st.none() | st.integers(-400, 400)), max_size=12))
def test_every_pending_step_comes_before_every_finished_one(drawn: list[tuple[StepStatus, int | None]]) -> None:
    steps = [step(str(i), status, days) for i, (status, days) in enumerate(drawn)]
    ordered = by_relevance(steps, lambda s: s)
    flags = [pending(s) for s in ordered]
    assert flags == sorted(flags, reverse=True)  # True (pending) … then False (finished)
    scheduled = [s.start for s in ordered if pending(s) and s.start is not None]
    assert scheduled == sorted(scheduled)  # soonest first
    finished = [s.start for s in ordered if not pending(s) and s.start is not None]
    assert finished == sorted(finished, reverse=True)  # latest first
