"""The on-call list's not-ready risk mark: which of its activations are heading for "not ready".

`checklist_readiness.activations_at_risk`'s answer for the activations of
the steps listed, given every open step of theirs, with one checklist query
for the list: each activation's largest outstanding offset per step
(`largest_offsets`). The steps listed are judged first; the other open step
of an activation not at risk by them (an activation has one step of each
kind) is read only when that activation has items outstanding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlmodel import Session, col

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.readiness import overdue_before
from ccm_tui.store.checklist_readiness import largest_offsets
from ccm_tui.store.checklist_upcoming import open_step
from ccm_tui.store.convert import to_utc
from ccm_tui.store.sql_types import in_ids, select_columns
from ccm_tui.store.tables import ActivationStepRow

_STEP = ActivationStepRow


class ListedStep(NamedTuple):
    """An open step the list shows, with a window."""

    id: int
    activation_id: int
    kind: str  # as stored
    start: datetime  # UTC
    cal: SiteCalendar  # its site's


def listed_at_risk(session: Session, listed: Sequence[ListedStep], now: datetime) -> set[int]:
    """The activations of the steps `listed` at not-ready risk: those with an open step (listed or not) that
    starts before its largest outstanding offset falls overdue (`overdue_before`)."""
    cals = {step.activation_id: step.cal for step in listed}
    offsets = largest_offsets(session, sorted(cals))
    if not offsets:
        return set()
    # `overdue_before` once per site calendar and offset; by the calendar's identity (one per place, held by
    # `listed` meanwhile): a SiteCalendar's own hash is dearer than the rest of a step's judging
    thresholds: dict[tuple[int, int], datetime] = {}

    def overdue(activation_id: int, kind: str, start: datetime) -> bool:
        offset = offsets.get((activation_id, kind))
        if offset is None:
            return False
        cal = cals[activation_id]
        threshold = thresholds.get((id(cal), offset))
        if threshold is None:
            threshold = thresholds[(id(cal), offset)] = overdue_before(now, cal, offset)
        return start < threshold

    at_risk = {step.activation_id for step in listed if overdue(step.activation_id, step.kind, step.start)}
    # The other open steps of those not at risk by the steps listed, where items are outstanding
    pending = {activation_id for activation_id, _ in offsets} - at_risk
    rest = {step.id: step.activation_id for step in listed if step.activation_id in pending}
    if not rest:
        return at_risk
    others = session.connection().execute(
        select_columns(_STEP.activation_id, _STEP.kind, _STEP.start_at).where(
            in_ids(_STEP.activation_id, set(rest.values())),
            open_step(_STEP),  # ix_activation_step_open: each step listed is left out before its row is read
            col(_STEP.start_at).is_not(None),
            ~in_ids(_STEP.id, rest),
        )
    )
    return at_risk | {activation_id for activation_id, kind, start_at in others if overdue(activation_id, kind, to_utc(start_at))}
