"""Properties that must hold for any date, zone and amount, not just the examples."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ccm_tui.domain.calendar import (
    SiteCalendar,
    add_business_days,
    is_late_change,
    late_change_cutoff,
)
from ccm_tui.domain.ccd import accrued_charges
from ccm_tui.domain.fee_guard import FeeGuard, GuardSite, fee_guard
from ccm_tui.domain.fees import FeeSchedule
from ccm_tui.domain.model import Money, Region
from ccm_tui.domain.status import Action

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

CALENDARS = [
    SiteCalendar("America/New_York", "US"),
    SiteCalendar("America/Los_Angeles", "US"),
    SiteCalendar("America/Sao_Paulo", "BR"),
    SiteCalendar("Europe/London", "GB"),
    SiteCalendar("Europe/Paris", "FR"),
    SiteCalendar("Asia/Tokyo", "JP"),
    SiteCalendar("Asia/Singapore", "SG"),
    SiteCalendar("Asia/Kolkata", "IN"),
    SiteCalendar("Australia/Sydney", "AU"),
    SiteCalendar("Australia/Lord_Howe", "AU"),  # half-hour DST shift
    SiteCalendar("Pacific/Auckland", "NZ"),
]
SCHEDULE = FeeSchedule.from_mapping({"regions": {"NA": {"currency": "USD", "with_dispatch": "500", "without_dispatch": "250"}}})

calendars = st.sampled_from(CALENDARS)
# Any instant in 2024-2030, to the minute.
starts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31, 23, 59), timezones=st.just(UTC)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


def local_date(instant: datetime, cal: SiteCalendar) -> date:
    return instant.astimezone(ZoneInfo(cal.zone)).date()


def business_day_between(first: date, last: date, cal: SiteCalendar) -> bool:
    """The oracle: some business day lies strictly after `first` and strictly before `last`.

    A plain day-by-day walk: it shares only `is_business_day` (the holidays data)
    with the rule, not its cut-off arithmetic.
    """
    day = first + timedelta(days=1)
    while day < last:
        if cal.is_business_day(day):
            return True
        day += timedelta(days=1)
    return False


def customer_cancels(cal: SiteCalendar, start: datetime, changed_at: datetime) -> FeeGuard:
    site = GuardSite(1, "site", cal, field_dispatch=True)  # on the calendar (validated), the customer's change
    return fee_guard(SCHEDULE, Action.CANCEL, Region.NORTH_AMERICA, [site], start, changed_at)


@PROPERTY_SETTINGS
@given(
    cal=calendars,
    start=starts,
    # Any instant up to ten days before the start, drawn without looking at the cut-off.
    before=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)),
)
def test_a_change_a_business_day_ahead_is_never_late_nor_charged(cal: SiteCalendar, start: datetime, before: timedelta) -> None:
    """A whole business day between the change's local date and the start's: free.

    The cut-off lands on the last business day before the start's date, so a
    change on an earlier local date comes before it, whatever the wall times.
    """
    changed_at = start - before
    # Closer changes are for the example tables: whether they are late depends on the wall times.
    assume(business_day_between(local_date(changed_at, cal), local_date(start, cal), cal))
    assert not is_late_change(start, changed_at, cal)
    guard = customer_cancels(cal, start, changed_at)
    assert (guard.late, guard.charged, guard.fees, guard.total) == (False, False, (), None)


@PROPERTY_SETTINGS
@given(
    cal=calendars,
    start=starts,
    # From the start's local midnight (at most a day and a couple of hours before) to a day after it.
    offset=st.timedeltas(min_value=timedelta(hours=-26), max_value=timedelta(days=1)),
)
def test_a_change_on_the_day_of_the_start_is_always_late_and_charged(
    cal: SiteCalendar, start: datetime, offset: timedelta
) -> None:
    changed_at = start + offset
    assume(local_date(changed_at, cal) >= local_date(start, cal))
    assert is_late_change(start, changed_at, cal)
    guard = customer_cancels(cal, start, changed_at)
    assert guard.late and guard.charged and guard.total == Money(Decimal(500), "USD")


@PROPERTY_SETTINGS
@given(cal=calendars, start=starts)
def test_cutoff_is_before_start_on_a_business_day(cal: SiteCalendar, start: datetime) -> None:
    cutoff = late_change_cutoff(start, cal)
    assert cutoff < start
    local_cutoff = cal.local(cutoff)
    assert cal.is_business_day(local_cutoff.date())
    assert local_cutoff.date() < cal.local(start).date()
    assert not is_late_change(start, cutoff, cal)  # exactly at the cut-off is still free
    assert is_late_change(start, cutoff + timedelta(microseconds=1), cal)


@PROPERTY_SETTINGS
@given(cal=calendars, day=days, n=st.integers(min_value=-30, max_value=30).filter(bool))
def test_add_business_days_lands_on_a_business_day(cal: SiteCalendar, day: date, n: int) -> None:
    moved = add_business_days(day, n, cal)
    assert cal.is_business_day(moved)
    assert (moved > day) if n > 0 else (moved < day)


@PROPERTY_SETTINGS
@given(cal=calendars, day=days, n=st.integers(min_value=1, max_value=30))
def test_add_business_days_round_trips_from_a_business_day(cal: SiteCalendar, day: date, n: int) -> None:
    start = add_business_days(day, 1, cal)  # some business day
    assert add_business_days(add_business_days(start, n, cal), -n, cal) == start


mrcs = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)


@PROPERTY_SETTINGS
@given(mrc=mrcs, ccd=days, before=st.integers(min_value=0, max_value=800))
def test_nothing_accrues_until_after_the_ccd(mrc: Decimal, ccd: date, before: int) -> None:
    assert accrued_charges(mrc, ccd, None, ccd - timedelta(days=before)) == 0


@PROPERTY_SETTINGS
@given(
    mrc=mrcs,
    ccd=days,
    completed_on=st.none() | days,
    today=days,
    later=st.integers(min_value=0, max_value=400),
)
def test_accrual_never_goes_down_as_days_pass(mrc: Decimal, ccd: date, completed_on: date | None, today: date, later: int) -> None:
    earlier_amount = accrued_charges(mrc, ccd, completed_on, today)
    later_amount = accrued_charges(mrc, ccd, completed_on, today + timedelta(days=later))
    assert Decimal(0) <= earlier_amount <= later_amount
