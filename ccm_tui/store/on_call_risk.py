"""The on-call list's not-ready risk mark: which of its activations are heading for "not ready".

`checklist_readiness.activations_at_risk`'s answer for the activations of
the steps listed, given every open step of theirs, from the activations'
largest outstanding offsets per step, which the list reads with its rows
(store/blocking_offsets.py derives them as checklists are written). The
steps listed are judged first; the other open step of an activation not at
risk by them (an activation has one step of each kind) is read only when
that activation has items outstanding for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlmodel import Session, col

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.model import StepKind
from ccm_tui.domain.readiness import overdue_before
from ccm_tui.store.checklist_upcoming import open_step
from ccm_tui.store.convert import to_utc
from ccm_tui.store.sql_types import in_ids, select_columns
from ccm_tui.store.tables import ActivationStepRow

_STEP = ActivationStepRow
_INSTALLATION = StepKind.INSTALLATION.value


class ListedStep(NamedTuple):
    """An open step the list shows, with a window, and its activation's largest outstanding offsets."""

    id: int
    activation_id: int
    kind: str  # as stored
    start: datetime  # UTC
    cal: SiteCalendar  # its site's
    installation: int | None  # the largest due offset outstanding before the installation step (None: none)
    activation: int | None  # ... before the activation step


def listed_at_risk(session: Session, listed: Sequence[ListedStep], now: datetime) -> set[int]:
    """The activations of the steps `listed` at not-ready risk: those with an open step (listed or not) that
    starts before its largest outstanding offset falls overdue (`overdue_before`)."""
    # `overdue_before` once per site calendar and offset; by the calendar's identity (one per place, held by
    # `listed` meanwhile): a SiteCalendar's own hash is dearer than the rest of a step's judging
    thresholds: dict[tuple[int, int], datetime] = {}

    def overdue(cal: SiteCalendar, offset: int, start: datetime) -> bool:
        threshold = thresholds.get((id(cal), offset))
        if threshold is None:
            threshold = thresholds[(id(cal), offset)] = overdue_before(now, cal, offset)
        return start < threshold

    at_risk: set[int] = set()
    other: dict[int, tuple[SiteCalendar, int]] = {}  # by activation: its site's calendar, the other step's offset
    for step in listed:
        own, theirs = (step.installation, step.activation) if step.kind == _INSTALLATION else (step.activation, step.installation)
        if own is not None and overdue(step.cal, own, step.start):
            at_risk.add(step.activation_id)
        elif theirs is not None:
            other[step.activation_id] = (step.cal, theirs)
    # The other open steps of those not at risk by the steps listed, where items are outstanding for them
    pending = {activation_id: found for activation_id, found in other.items() if activation_id not in at_risk}
    if not pending:
        return at_risk
    others = session.connection().execute(
        select_columns(_STEP.activation_id, _STEP.start_at).where(
            in_ids(_STEP.activation_id, pending),
            open_step(_STEP),  # ix_activation_step_open: each step listed is left out before its row is read
            col(_STEP.start_at).is_not(None),
            ~in_ids(_STEP.id, [step.id for step in listed if step.activation_id in pending]),
        )
    )
    for activation_id, start_at in others:
        cal, offset = pending[activation_id]
        if overdue(cal, offset, to_utc(start_at)):
            at_risk.add(activation_id)
    return at_risk
