"""Reinstating a cancelled event: what each of its steps was, and what it becomes.

A cancellation acts on the whole event (every site of the order at that
window), so a reinstatement does too: the plan lists each step the same
cancellation cancelled. The rule for each step is `status.reinstated`.
A fee the cancellation charged stays on record: the plan names it so the
CCM sees it before confirming.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ccm_tui.domain.model import Money, StepKind, StepStatus
from ccm_tui.domain.status import Reinstatement


@dataclass(frozen=True, slots=True)
class ReinstateStep:
    step_id: int
    version: int
    kind: StepKind
    site_name: str
    site_zone: str
    start: datetime | None  # its window (a cancellation keeps it on the step), aware UTC
    before: StepStatus | None  # its status when cancelled; None: no cancellation on record
    becomes: Reinstatement
    fee: Money | None = None  # what the cancellation charged for this site: it stays
    cancelled_at: datetime | None = None
    cancelled_by: str = ""


@dataclass(frozen=True, slots=True)
class ReinstatePlan:
    steps: tuple[ReinstateStep, ...]  # the step asked for first

    @property
    def versions(self) -> dict[int, int]:
        """Each step's version as the CCM was shown it."""
        return {s.step_id: s.version for s in self.steps}

    @property
    def fees(self) -> tuple[Money, ...]:
        return tuple(s.fee for s in self.steps if s.fee is not None)
