"""What the calendar can be narrowed to: the statuses it shows and the marks it shows on a day.

Apart from domain/schedule.py (the calendar's views of events) so a saved view
(domain/views.py), read with config.toml at start, needs only these two words.
"""

from __future__ import annotations

import enum

from ccm_tui.domain.model import StepStatus

_S = StepStatus


class StatusFilter(enum.StrEnum):
    """The statuses the calendar shows: a preset, or one status."""

    ACTIVE = "active"
    OPEN = "open"
    ALL = "all"
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    VALIDATED = "validated"
    COMPLETED = "completed"
    NOT_READY = "not_ready"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    @property
    def statuses(self) -> frozenset[StepStatus]:
        if self is StatusFilter.ACTIVE:
            return frozenset(s for s in StepStatus if s not in (_S.CANCELLED, _S.UNSCHEDULED))
        if self is StatusFilter.OPEN:
            return frozenset(s for s in StepStatus if s.open)
        if self is StatusFilter.ALL:
            return frozenset(s for s in StepStatus if s is not _S.UNSCHEDULED)
        return frozenset({StepStatus(self.value)})

    @property
    def label(self) -> str:
        return {
            StatusFilter.ACTIVE: "all but cancelled",
            StatusFilter.OPEN: "to happen (requested, confirmed, validated)",
            StatusFilter.ALL: "all, cancelled too",
            StatusFilter.COMPLETED: "completed (installed or activated)",
        }.get(self, self.value.replace("_", " "))


class EventFlag(enum.StrEnum):
    """A mark the month grid shows on an event's day, and the calendar can be narrowed to."""

    LATE = "late"  # still to happen and inside its late-change window (the grid's L)
    CCD = "ccd"  # its order is past its CCD (!), or the event lands after it (?)

    @property
    def label(self) -> str:
        return {EventFlag.LATE: "late-change window", EventFlag.CCD: "past or at-risk CCD"}[self]
