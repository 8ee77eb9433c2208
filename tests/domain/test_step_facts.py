"""What the calendar says about a step: late window, countdown, CCD, routing, on-call window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ccm_tui.domain.after_hours import HoursFlag
from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.model import ActivationStep, StepKind, StepStatus
from ccm_tui.domain.oncall import check_hours, on_call_window, overlaps
from ccm_tui.domain.routing import TroubleRoute
from ccm_tui.domain.schedule import CalendarFilter, CcdState, StatusFilter
from ccm_tui.domain.step_facts import event_ccd_state, step_facts

NY = ZoneInfo("America/New_York")
NEW_YORK = SiteCalendar("America/New_York", "US")
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=NY)
TODAY = date(2026, 11, 20)


def step(
    start: datetime, status: StepStatus = StepStatus.VALIDATED, kind: StepKind = StepKind.ACTIVATION, hours: int = 3
) -> ActivationStep:
    return ActivationStep(1, 1, kind, start, start + timedelta(hours=hours), status)


def test_late_and_countdown() -> None:
    monday = step(datetime(2026, 11, 23, 9, 0, tzinfo=NY))
    facts = step_facts(monday, NEW_YORK, NOW)
    assert facts.late and facts.countdown is None and facts.cutoff == datetime(2026, 11, 20, 9, 0, tzinfo=NY)
    tuesday = step(datetime(2026, 11, 24, 16, 0, tzinfo=NY))
    facts = step_facts(tuesday, NEW_YORK, NOW)
    assert not facts.late and facts.countdown == timedelta(days=3, minutes=30)


def test_finished_steps_are_never_late() -> None:
    done = step(datetime(2026, 11, 23, 9, 0, tzinfo=NY), StepStatus.CANCELLED)
    facts = step_facts(done, NEW_YORK, NOW)
    assert not facts.late and facts.cutoff is None and facts.countdown is None


def test_hours_flags_judged_or_given() -> None:
    evening = step(datetime(2026, 11, 23, 19, 0, tzinfo=NY))
    assert step_facts(evening, NEW_YORK, NOW).hours_flags == {HoursFlag.AFTER_HOURS}
    assert step_facts(evening, NEW_YORK, NOW, hours_flags=frozenset()).hours_flags == frozenset()


@pytest.mark.parametrize(
    ("passed", "route"),
    [
        (None, TroubleRoute.POST_ACTIVATION_SUPPORT),
        (NOW - timedelta(hours=11, minutes=59), TroubleRoute.POST_ACTIVATION_SUPPORT),
        (NOW - timedelta(hours=12), TroubleRoute.REPAIR_CENTER),
    ],
)
def test_activated_events_route_trouble(passed: datetime | None, route: TroubleRoute) -> None:
    activated = step(NOW - timedelta(days=1), StepStatus.COMPLETED)
    assert step_facts(activated, NEW_YORK, NOW, passed).route is route
    installed = step(NOW - timedelta(days=1), StepStatus.COMPLETED, StepKind.INSTALLATION)
    assert step_facts(installed, NEW_YORK, NOW, passed).route is None


@pytest.mark.parametrize(
    ("status", "start_day", "ccd", "expected"),
    [
        (StepStatus.VALIDATED, 23, date(2026, 11, 19), CcdState.PAST),
        (StepStatus.NOT_READY, 18, date(2026, 11, 19), CcdState.PAST),
        (StepStatus.COMPLETED, 18, date(2026, 11, 19), CcdState.ON_TRACK),
        (StepStatus.REQUESTED, 30, date(2026, 11, 27), CcdState.AT_RISK),
        (StepStatus.REQUESTED, 27, date(2026, 11, 27), CcdState.ON_TRACK),
        (StepStatus.CANCELLED, 30, date(2026, 11, 27), CcdState.ON_TRACK),
    ],
    ids=["open-past", "not-ready-past", "completed", "after-ccd", "on-ccd-day", "cancelled"],
)
def test_ccd_state(status: StepStatus, start_day: int, ccd: date, expected: CcdState) -> None:
    event = step(datetime(2026, 11, start_day, 9, 0, tzinfo=NY), status)
    assert event_ccd_state(event, NEW_YORK, ccd, None, TODAY) is expected


def test_at_risk_uses_the_sites_local_date() -> None:
    # 21:00 in New York on the 27th is the 28th in UTC: still on the CCD day at the site.
    evening = step(datetime(2026, 11, 27, 21, 0, tzinfo=NY), StepStatus.REQUESTED)
    assert event_ccd_state(evening, NEW_YORK, date(2026, 11, 27), None, TODAY) is CcdState.ON_TRACK


def test_on_call_window_and_overlap() -> None:
    now = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    window = on_call_window(now, 72)
    assert window == (now, now + timedelta(hours=72))
    assert overlaps(now - timedelta(hours=1), now + timedelta(hours=1), window)  # under way
    assert not overlaps(now - timedelta(hours=2), now, window)  # just finished
    assert not overlaps(now + timedelta(hours=72), None, window)
    with pytest.raises(ValueError, match="between 1 and 336"):
        check_hours(0)


def test_filter_presets() -> None:
    assert StepStatus.CANCELLED not in StatusFilter.ACTIVE.statuses
    assert StatusFilter.OPEN.statuses == {StepStatus.REQUESTED, StepStatus.CONFIRMED, StepStatus.VALIDATED}
    assert StepStatus.UNSCHEDULED not in StatusFilter.ALL.statuses
    assert StatusFilter.NO_SHOW.statuses == {StepStatus.NO_SHOW}
    assert CalendarFilter().describe() == "no filter"
    assert CalendarFilter(ccm="Alex", after_hours_only=True).describe() == "CCM Alex, after hours only"
