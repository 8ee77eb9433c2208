"""The fee guard: late or not per site, fee per site and total, the
region without a schedule, "customer not ready"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.fee_guard import FeeGuard, GuardSite, Initiator, fee_guard
from ccm_tui.domain.fees import FeeSchedule, SiteFee
from ccm_tui.domain.model import Money, Region, StepStatus
from ccm_tui.domain.status import Action

SCHEDULE = FeeSchedule.from_mapping(
    {
        "regions": {
            "NA": {"currency": "USD", "with_dispatch": "500", "without_dispatch": "250"},
            "APAC": {"currency": "USD", "with_dispatch": "900", "without_dispatch": "250"},
        }
    }
)
NEW_YORK = SiteCalendar("America/New_York", "US")
DENVER = SiteCalendar("America/Denver", "US")
SYDNEY = SiteCalendar("Australia/Sydney", "AU")
LONDON = SiteCalendar("Europe/London", "GB")
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=ZoneInfo("America/New_York"))  # Friday afternoon
MONDAY_9_NY = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("America/New_York"))
TUESDAY_16_NY = datetime(2026, 11, 24, 16, 0, tzinfo=ZoneInfo("America/New_York"))


def site(site_id: int, cal: SiteCalendar, dispatch: bool) -> GuardSite:
    return GuardSite(site_id, f"site {site_id}", cal, dispatch)


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


@pytest.mark.parametrize(
    ("action", "start", "sites", "late", "total"),
    [
        (Action.RESCHEDULE, MONDAY_9_NY, [site(1, NEW_YORK, True)], True, usd("500")),
        (Action.CANCEL, MONDAY_9_NY, [site(1, NEW_YORK, False)], True, usd("250")),
        (Action.CANCEL, TUESDAY_16_NY, [site(1, NEW_YORK, True)], False, None),
        (Action.RESCHEDULE, MONDAY_9_NY, [site(1, NEW_YORK, True), site(2, DENVER, False)], True, usd("750")),
        (Action.NOT_READY, TUESDAY_16_NY, [site(1, NEW_YORK, True), site(2, DENVER, True)], True, usd("1000")),
    ],
    ids=["late-dispatch", "late-no-dispatch", "in-good-time", "two-sites-total", "not-ready-always"],
)
def test_guard(action: Action, start: datetime, sites: list[GuardSite], late: bool, total: Money | None) -> None:
    guard = fee_guard(SCHEDULE, action, Region.NORTH_AMERICA, sites, start, NOW)
    assert guard.late is late
    assert guard.total == total
    assert guard.no_schedule is None


def test_cutoff_and_time_left_are_shown_before_and_after() -> None:
    early = fee_guard(SCHEDULE, Action.CANCEL, Region.NORTH_AMERICA, [site(1, NEW_YORK, True)], TUESDAY_16_NY, NOW)
    # Tuesday 16:00 -> cut-off Monday 16:00, three days and half an hour from Friday 15:30.
    assert early.cutoff == datetime(2026, 11, 23, 16, 0, tzinfo=ZoneInfo("America/New_York"))
    assert early.time_left == timedelta(days=3, minutes=30)
    late = fee_guard(SCHEDULE, Action.CANCEL, Region.NORTH_AMERICA, [site(1, NEW_YORK, True)], MONDAY_9_NY, NOW)
    assert late.time_left == -timedelta(hours=6, minutes=30)  # the cut-off was Friday 09:00


def test_each_site_is_judged_in_its_own_calendar() -> None:
    # Monday 09:00 New York is Tuesday 01:00 in Sydney: Sydney's cut-off is Monday 01:00, still ahead.
    guard = fee_guard(
        SCHEDULE, Action.CANCEL, Region.ASIA_PACIFIC, [site(1, NEW_YORK, True), site(2, SYDNEY, True)], MONDAY_9_NY, NOW
    )
    assert [s.late for s in guard.sites] == [True, False]
    assert guard.fee_for(1) == usd("900") and guard.fee_for(2) is None
    assert guard.total == usd("900")


def test_region_without_schedule_says_so_and_charges_nothing() -> None:
    guard = fee_guard(SCHEDULE, Action.CANCEL, Region.EMEA, [site(1, LONDON, True)], MONDAY_9_NY, NOW)
    assert guard.late and guard.charged
    assert guard.no_schedule == "no fee schedule for EMEA"
    assert guard.fees == () and guard.total is None
    assert guard.reason_note() == "no fee schedule for EMEA: recorded without a fee"
    assert guard.cutoff is not None  # the cut-off is still shown


def test_region_without_schedule_in_good_time_is_simply_free() -> None:
    guard = fee_guard(SCHEDULE, Action.RESCHEDULE, Region.EMEA, [site(1, LONDON, True)], TUESDAY_16_NY, NOW)
    assert not guard.charged and guard.no_schedule is None
    assert guard.reason_note() == "in good time: no fee"


def test_not_ready_without_schedule() -> None:
    guard = fee_guard(SCHEDULE, Action.NOT_READY, Region.LATIN_AMERICA, [site(1, NEW_YORK, False)], MONDAY_9_NY, NOW)
    assert guard.no_schedule == "no fee schedule for Latin America" and guard.cutoff is None


@pytest.mark.parametrize("action", [Action.CONFIRM, Action.COMPLETE, Action.REQUEST])
def test_only_changes_and_not_ready_are_guarded(action: Action) -> None:
    with pytest.raises(ValueError, match="carries no fee"):
        fee_guard(SCHEDULE, action, Region.NORTH_AMERICA, [site(1, NEW_YORK, True)], MONDAY_9_NY, NOW)


@given(dispatch=st.lists(st.booleans(), min_size=1, max_size=8))
def test_total_is_the_sum_of_the_sites(dispatch: list[bool]) -> None:
    sites = [site(i, NEW_YORK, d) for i, d in enumerate(dispatch)]
    guard: FeeGuard = fee_guard(SCHEDULE, Action.NOT_READY, Region.NORTH_AMERICA, sites, MONDAY_9_NY, NOW)
    expected = sum((Decimal(500) if d else Decimal(250) for d in dispatch), Decimal(0))
    assert guard.total == usd(str(expected))
    assert len(guard.fees) == len(dispatch)


# -- the fee is the customer's, on an event still on the calendar ---------------------------


def on(status: StepStatus, dispatch: bool = True) -> GuardSite:
    return GuardSite(1, "site 1", NEW_YORK, dispatch, status=status)


@pytest.mark.parametrize(
    ("action", "status", "initiator", "charged", "waived"),
    [
        (Action.RESCHEDULE, StepStatus.REQUESTED, Initiator.CUSTOMER, True, None),
        (Action.RESCHEDULE, StepStatus.CONFIRMED, Initiator.CUSTOMER, True, None),
        (Action.CANCEL, StepStatus.VALIDATED, Initiator.CUSTOMER, True, None),
        (Action.RESCHEDULE, StepStatus.NOT_READY, Initiator.CUSTOMER, False, "never charged twice"),
        (Action.CANCEL, StepStatus.NOT_READY, Initiator.CUSTOMER, False, "never charged twice"),
        (Action.RESCHEDULE, StepStatus.NO_SHOW, Initiator.CUSTOMER, False, "did not show"),
        (Action.CANCEL, StepStatus.NO_SHOW, Initiator.CUSTOMER, False, "did not show"),
        (Action.RESCHEDULE, StepStatus.VALIDATED, Initiator.SCHEDULING, False, "provider change"),
        (Action.CANCEL, StepStatus.CONFIRMED, Initiator.FIELD, False, "provider change"),
        (Action.RESCHEDULE, StepStatus.REQUESTED, Initiator.CCM, False, "provider change"),
    ],
    ids=[
        "customer-requested",
        "customer-confirmed",
        "customer-validated-cancel",
        "after-not-ready-reschedule",
        "after-not-ready-cancel",
        "after-no-show-reschedule",
        "after-no-show-cancel",
        "scheduling-team",
        "field-resource",
        "the-ccm",
    ],
)
def test_only_a_customers_late_change_on_the_calendar_is_charged(
    action: Action, status: StepStatus, initiator: Initiator, charged: bool, waived: str | None
) -> None:
    guard = fee_guard(SCHEDULE, action, Region.NORTH_AMERICA, [on(status)], MONDAY_9_NY, NOW, initiator)
    assert guard.late  # every case is after the cut-off: only who asked and the status decide
    assert guard.charged is charged
    assert guard.total == (usd("500") if charged else None)
    assert guard.initiator is initiator
    if waived is None:
        assert guard.waived is None
    else:
        assert guard.waived is not None and waived in guard.waived
        assert "no fee" in guard.reason_note()


def test_a_provider_change_in_a_region_without_a_schedule_is_simply_free() -> None:
    guard = fee_guard(SCHEDULE, Action.CANCEL, Region.EMEA, [on(StepStatus.VALIDATED)], MONDAY_9_NY, NOW)
    assert guard.no_schedule == "no fee schedule for EMEA"
    provider = guard.asked_by(Initiator.SCHEDULING)
    assert provider.no_schedule is None and not provider.charged


def test_not_ready_cannot_be_the_providers() -> None:
    with pytest.raises(ValueError, match="customer's by definition"):
        fee_guard(SCHEDULE, Action.NOT_READY, Region.NORTH_AMERICA, [on(StepStatus.VALIDATED)], MONDAY_9_NY, NOW, Initiator.CCM)


def test_in_good_time_a_provider_change_says_nothing_about_waiving() -> None:
    guard = fee_guard(SCHEDULE, Action.CANCEL, Region.NORTH_AMERICA, [on(StepStatus.VALIDATED)], TUESDAY_16_NY, NOW)
    assert guard.asked_by(Initiator.FIELD).waived is None


# -- ported from the unused quote_change (removed): holidays per site, an event without sites --


def test_each_site_is_judged_in_its_own_holidays() -> None:
    # Thursday 2026-05-07 10:00 in Tokyo follows Golden Week: its cut-off is
    # Friday 1 May. In Sydney it is Thursday 11:00, cut-off Wednesday 6 May.
    start = datetime(2026, 5, 7, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    sites = [site(10, SiteCalendar("Asia/Tokyo", "JP"), True), site(11, SYDNEY, False)]
    guard = fee_guard(SCHEDULE, Action.CANCEL, Region.ASIA_PACIFIC, sites, start, datetime(2026, 5, 4, 12, 0, tzinfo=UTC))
    assert [s.late for s in guard.sites] == [True, False]
    assert guard.fees == (SiteFee(10, "site 10", usd("900")),)
    assert guard.cutoff == datetime(2026, 5, 1, 1, 0, tzinfo=UTC)


def test_an_event_without_sites_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one site"):
        fee_guard(SCHEDULE, Action.CANCEL, Region.NORTH_AMERICA, [], MONDAY_9_NY, NOW)
