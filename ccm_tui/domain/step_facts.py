"""What the rules say about one step right now, for the calendar to show.

After hours, the late-change window and its countdown, the commitment date
(CCD) of its order and, once activated, where trouble goes. Only steps
still to happen (requested, confirmed, validated) are in a late-change
window; those and the ones waiting for a new date (customer not ready,
no-show) carry their order's CCD flag. A finished or cancelled event has
nothing left to change.
"""

from __future__ import annotations

from datetime import date, datetime

from ccm_tui.domain.after_hours import HoursFlag, after_hours_flags
from ccm_tui.domain.calendar import SiteCalendar, late_change_cutoff
from ccm_tui.domain.ccd import is_ccd_at_risk, is_past_ccd
from ccm_tui.domain.countdown import countdown
from ccm_tui.domain.model import ActivationStep, StepKind, StepStatus
from ccm_tui.domain.reminders import ReminderDue
from ccm_tui.domain.routing import route_trouble
from ccm_tui.domain.schedule import CcdState, StepFacts

# Steps that still stand between the order and its completion.
CCD_WATCHED = frozenset({*(s for s in StepStatus if s.open), StepStatus.NOT_READY, StepStatus.NO_SHOW})


def step_facts(
    step: ActivationStep,
    cal: SiteCalendar,
    now: datetime,
    traffic_passed_at: datetime | None = None,
    hours_flags: frozenset[HoursFlag] | None = None,
    reminder: ReminderDue | None = None,
) -> StepFacts:
    """`hours_flags` may be given pre-judged (the store keeps them); else they are judged here."""
    if step.start is None:
        return StepFacts()
    if hours_flags is None:
        end = step.end if step.end is not None and step.end >= step.start else step.start
        hours_flags = after_hours_flags(step.start, end, cal)
    late = False
    cutoff = left = None
    if step.status.open:
        cutoff = late_change_cutoff(step.start, cal)
        late = now > cutoff and step.start > now  # exactly at the cut-off is still free
        left = countdown(step.start, now, cal)
    route = None
    if step.kind is StepKind.ACTIVATION and step.status is StepStatus.COMPLETED:
        route = route_trouble(traffic_passed_at, now)
    return StepFacts(hours_flags=hours_flags, late=late, cutoff=cutoff, countdown=left, route=route, reminder=reminder)


def event_ccd_state(step: ActivationStep, cal: SiteCalendar, ccd: date, completed_on: date | None, today: date) -> CcdState:
    """PAST when the order's CCD has gone by, AT_RISK when this event lands after it.

    `today` is the UTC date, as the book judges CCDs (one answer for every
    user of a shared book). The event's own date is its site's local date.
    """
    if step.start is None or step.status not in CCD_WATCHED:
        return CcdState.ON_TRACK
    if is_past_ccd(ccd, completed_on, today):
        return CcdState.PAST
    if is_ccd_at_risk(ccd, completed_on, cal.local(step.start).date(), today):
        return CcdState.AT_RISK
    return CcdState.ON_TRACK
