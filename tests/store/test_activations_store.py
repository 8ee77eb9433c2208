"""Activation actions on a fresh book: each one transaction, checked, moved
and recorded; fees judged again inside the transaction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from ccm_tui.data_files import load_fee_schedule
from ccm_tui.domain.action_inputs import IpLetterInput, WindowInput
from ccm_tui.domain.action_rules import ActionRefused
from ccm_tui.domain.fee_guard import FeeChanged, Initiator, ProviderReasonMissing
from ccm_tui.domain.model import (
    ContactRole,
    Money,
    OrderStatus,
    Region,
    ServiceKind,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.status import Action, IllegalMove
from ccm_tui.errors import StaleEdit
from ccm_tui.store.activation_records import record_ip_letter, record_traffic
from ccm_tui.store.activations import Actor, move_step
from ccm_tui.store.calendar_flags import AFTER_HOURS
from ccm_tui.store.engine import read_session
from ccm_tui.store.event_changes import change_event, quote
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    OrderRow,
)
from tests.store.calendar_book import HOURS, NOW, Book, event, local

NY = "America/New_York"
SCHEDULE = load_fee_schedule()
ACTOR = Actor("Alex Morgan", NOW, HOURS)


@pytest.fixture
def book(engine: Engine) -> Book:
    return Book(engine)


def history(engine: Engine, activation_id: int) -> list[ActivationChangeRow]:
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(ActivationChangeRow)
                .where(ActivationChangeRow.activation_id == activation_id)
                .order_by(ActivationChangeRow.id)
            )
        )


def step_row(engine: Engine, step_id: int) -> ActivationStepRow:
    with read_session(engine) as session:
        row = session.get(ActivationStepRow, step_id)
        assert row is not None
        return row


def changes(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(ActivationChangeRow)) or 0


def test_request_confirm_validate_each_leave_a_row(book: Book) -> None:
    customer = book.customer("Acme")
    pat = book.contact(customer, "Pat", ContactRole.DESIGNATED)
    order = book.order(customer, date(2026, 12, 31), (ServiceKind.INTERNET,))
    activation, steps = book.activation(
        customer, order, book.site(customer, "HQ"), steps=[(StepKind.ACTIVATION, None, StepStatus.UNSCHEDULED)]
    )
    step = steps[StepKind.ACTIVATION]
    window = WindowInput(local(NY, "2026-12-01T19:00"), local(NY, "2026-12-01T22:00"), "customer asked for the evening")
    move_step(book.engine, step, 1, Action.REQUEST, ACTOR, window=window, reason=window.reason)
    move_step(book.engine, step, 2, Action.CONFIRM, ACTOR, reason="technician booked")
    move_step(book.engine, step, 3, Action.VALIDATE, ACTOR, reason="by e-mail", contact_id=pat)
    row = step_row(book.engine, step)
    assert (row.status, row.version) == ("validated", 4)
    assert row.calendar_flags == AFTER_HOURS and row.ccd == date(2026, 12, 31)  # derived on write
    lines = history(book.engine, activation)
    assert [(h.action, h.from_status, h.to_status, h.who) for h in lines] == [
        ("request", "unscheduled", "requested", "Alex Morgan"),
        ("confirm", "requested", "confirmed", "Alex Morgan"),
        ("validate", "confirmed", "validated", "Alex Morgan"),
    ]
    assert lines[0].to_start is not None and lines[0].reason == "customer asked for the evening"
    assert lines[2].contact_id == pat


def test_validate_needs_a_contact_of_the_customer(book: Book) -> None:
    _, step = event(book, local(NY, "2026-12-01T10:00"), StepStatus.CONFIRMED)
    stranger = book.contact(book.customer("Other"), "Stranger", ContactRole.DESIGNATED)
    with pytest.raises(ActionRefused, match="pick the contact"):
        move_step(book.engine, step, 1, Action.VALIDATE, ACTOR, contact_id=stranger)
    assert changes(book.engine) == 0


def test_mrs_gate_refuses_then_opens(book: Book) -> None:
    customer = book.customer("Acme")
    tech = book.contact(customer, "Tech", ContactRole.SITE_TECHNICAL)
    order = book.order(customer, date(2026, 12, 31))
    activation, steps = book.activation(
        customer,
        order,
        book.site(customer, "HQ"),
        ServiceKind.MRS,
        steps=[
            (StepKind.INSTALLATION, local(NY, "2026-11-19T08:00"), StepStatus.VALIDATED),
            (StepKind.ACTIVATION, local(NY, "2026-12-01T10:00"), StepStatus.REQUESTED),
        ],
    )
    call = steps[StepKind.ACTIVATION]
    with pytest.raises(ActionRefused, match="the equipment installation is not complete yet"):
        move_step(book.engine, call, 1, Action.CONFIRM, ACTOR)
    move_step(book.engine, steps[StepKind.INSTALLATION], 1, Action.COMPLETE, ACTOR)
    with pytest.raises(ActionRefused, match="IP configuration letter has not been sent"):
        move_step(book.engine, call, 1, Action.CONFIRM, ACTOR)
    record_ip_letter(book.engine, activation, 1, IpLetterInput(date(2026, 11, 20), tech), ACTOR)
    move_step(book.engine, call, 1, Action.CONFIRM, ACTOR)
    assert step_row(book.engine, call).status == "confirmed"
    assert [h.action for h in history(book.engine, activation)] == ["complete", "ip_letter_sent", "confirm"]
    with read_session(book.engine) as session:
        row = session.get(ActivationRow, activation)
        assert row is not None and (row.ip_letter_sent_on, row.ip_letter_contact_id) == (date(2026, 11, 20), tech)


def test_illegal_move_and_early_outcome_write_nothing(book: Book) -> None:
    _, step = event(book, local(NY, "2026-12-01T10:00"), StepStatus.REQUESTED)
    with pytest.raises(IllegalMove, match="cannot complete a requested activation event"):
        move_step(book.engine, step, 1, Action.COMPLETE, ACTOR)
    _, validated = event(book, local(NY, "2026-12-01T10:00"), name="Later")
    with pytest.raises(ActionRefused, match="has not started yet"):
        move_step(book.engine, validated, 1, Action.NO_SHOW, ACTOR)
    assert changes(book.engine) == 0 and step_row(book.engine, step).version == 1


def test_stale_edit(book: Book) -> None:
    _, step = event(book, local(NY, "2026-12-01T10:00"), StepStatus.REQUESTED)
    move_step(book.engine, step, 1, Action.CONFIRM, ACTOR)
    with pytest.raises(StaleEdit):
        move_step(book.engine, step, 1, Action.VALIDATE, ACTOR)


def test_late_reschedule_records_the_fee(book: Book) -> None:
    activation, step = event(book, local(NY, "2026-11-23T09:00"), dispatch=True)
    guard, versions = quote(book.engine, step, Action.RESCHEDULE, SCHEDULE, ACTOR)
    assert guard.late and guard.total == Money(Decimal("500.00"), "USD")
    window = WindowInput(local(NY, "2026-11-30T09:00"), local(NY, "2026-11-30T12:00"), "")
    change_event(book.engine, step, versions, Action.RESCHEDULE, SCHEDULE, guard, ACTOR, window=window, reason="site power work")
    row = step_row(book.engine, step)
    assert (row.status, row.version) == ("requested", 2)
    last = history(book.engine, activation)[-1]
    assert (last.action, last.from_status, last.to_status) == ("reschedule", "validated", "requested")
    assert (last.fee_cents, last.fee_currency) == (50000, "USD")
    assert last.from_start is not None and last.to_start is not None and last.to_start > last.from_start
    assert last.reason == "site power work"


def test_cancel_in_good_time_costs_nothing(book: Book) -> None:
    activation, step = event(book, local(NY, "2026-11-24T16:00"), dispatch=True)
    guard, versions = quote(book.engine, step, Action.CANCEL, SCHEDULE, ACTOR)
    assert not guard.late and guard.total is None
    change_event(book.engine, step, versions, Action.CANCEL, SCHEDULE, guard, ACTOR, reason="order withdrawn")
    last = history(book.engine, activation)[-1]
    assert (last.action, last.to_status, last.fee_cents) == ("cancel", "cancelled", None)
    assert last.reason == "order withdrawn; in good time: no fee"


def test_region_without_schedule_goes_ahead_without_a_fee(book: Book) -> None:
    start = local("Europe/London", "2026-11-23T10:00")
    activation, step = event(book, start, region=Region.EMEA, zone="Europe/London", country="GB")
    guard, versions = quote(book.engine, step, Action.CANCEL, SCHEDULE, ACTOR)
    assert guard.late and guard.no_schedule == "no fee schedule for EMEA"
    change_event(book.engine, step, versions, Action.CANCEL, SCHEDULE, guard, ACTOR, reason="site closed")
    last = history(book.engine, activation)[-1]
    assert last.fee_cents is None
    assert last.reason == "site closed; no fee schedule for EMEA: recorded without a fee"


def test_multi_site_event_moves_together_with_a_fee_per_site(book: Book) -> None:
    customer = book.customer("Multi")
    order = book.order(customer, date(2026, 12, 31), (ServiceKind.INTERNET, ServiceKind.VPN))
    start = local(NY, "2026-11-23T09:00")
    east = book.site(customer, "East")
    west = book.site(customer, "West", "America/Denver")
    steps = [(StepKind.ACTIVATION, start, StepStatus.VALIDATED)]
    a1, s1 = book.activation(customer, order, east, ServiceKind.INTERNET, dispatch=True, steps=steps)
    a2, s2 = book.activation(customer, order, east, ServiceKind.VPN, steps=steps)  # same site: one fee
    a3, s3 = book.activation(customer, order, west, ServiceKind.INTERNET, steps=steps)
    guard, versions = quote(book.engine, s3[StepKind.ACTIVATION], Action.CANCEL, SCHEDULE, ACTOR)
    assert sorted(versions) == sorted([s1[StepKind.ACTIVATION], s2[StepKind.ACTIVATION], s3[StepKind.ACTIVATION]])
    assert len(guard.sites) == 2 and guard.total == Money(Decimal("750.00"), "USD")  # 500 dispatched + 250
    change_event(book.engine, s3[StepKind.ACTIVATION], versions, Action.CANCEL, SCHEDULE, guard, ACTOR, reason="project stopped")
    fees = {a: [h.fee_cents for h in history(book.engine, a)] for a in (a1, a2, a3)}
    assert fees == {a1: [50000], a2: [None], a3: [25000]}
    assert {step_row(book.engine, s[StepKind.ACTIVATION]).status for s in (s1, s2, s3)} == {"cancelled"}


def test_a_fee_that_moved_is_refused_with_the_new_guard(book: Book) -> None:
    activation, step = event(book, local(NY, "2026-11-23T16:00"))  # cut-off: today 16:00
    before = Actor("Alex Morgan", NOW, HOURS)
    guard, versions = quote(book.engine, step, Action.CANCEL, SCHEDULE, before)
    assert not guard.late
    after_cutoff = Actor("Alex Morgan", NOW + timedelta(hours=1), HOURS)
    with pytest.raises(FeeChanged) as caught:
        change_event(book.engine, step, versions, Action.CANCEL, SCHEDULE, guard, after_cutoff, reason="x")
    assert caught.value.guard.late and caught.value.guard.total == Money(Decimal("250.00"), "USD")
    assert history(book.engine, activation) == []
    change_event(book.engine, step, versions, Action.CANCEL, SCHEDULE, caught.value.guard, after_cutoff, reason="x")
    assert history(book.engine, activation)[-1].fee_cents == 25000


def test_not_ready_during_the_event_charges_each_site(book: Book) -> None:
    activation, step = event(book, NOW - timedelta(minutes=30), dispatch=True)
    guard, versions = quote(book.engine, step, Action.NOT_READY, SCHEDULE, ACTOR)
    change_event(book.engine, step, versions, Action.NOT_READY, SCHEDULE, guard, ACTOR, reason="no one on site")
    last = history(book.engine, activation)[-1]
    assert (last.action, last.to_status, last.fee_cents) == ("not_ready", "not_ready", 50000)


def test_activated_completes_the_order_and_traffic_is_recorded(book: Book) -> None:
    activation, step = event(book, NOW - timedelta(hours=2))
    move_step(book.engine, step, 1, Action.COMPLETE, ACTOR, reason="traffic passing")
    record_traffic(book.engine, activation, 1, NOW - timedelta(hours=1), ACTOR)
    with read_session(book.engine) as session:
        order = session.scalars(select(OrderRow)).one()
        assert (order.status, order.completed_on) == (OrderStatus.COMPLETED.value, NOW.date())
        row = session.get(ActivationRow, activation)
        assert row is not None and row.traffic_passed_at is not None
    assert [h.action for h in history(book.engine, activation)] == ["complete", "traffic_passed"]


def test_traffic_needs_an_activated_service(book: Book) -> None:
    activation, _ = event(book, NOW - timedelta(hours=2))
    with pytest.raises(ActionRefused, match="activated service"):
        record_traffic(book.engine, activation, 1, NOW, ACTOR)


# -- who asked, and never charging twice -------------------------------------------------

NEXT_WEEK = WindowInput(local(NY, "2026-11-30T10:00"), local(NY, "2026-11-30T12:00"), "new date")


def test_reschedule_after_not_ready_is_not_charged_a_second_time(book: Book) -> None:
    activation, step = event(book, NOW - timedelta(minutes=30), dispatch=True)
    guard, versions = quote(book.engine, step, Action.NOT_READY, SCHEDULE, ACTOR)
    change_event(book.engine, step, versions, Action.NOT_READY, SCHEDULE, guard, ACTOR, reason="no one on site")
    again, versions = quote(book.engine, step, Action.RESCHEDULE, SCHEDULE, ACTOR)
    assert again.late and not again.charged and again.total is None
    assert again.waived is not None and "never charged twice" in again.waived
    change_event(book.engine, step, versions, Action.RESCHEDULE, SCHEDULE, again, ACTOR, window=NEXT_WEEK, reason="new date")
    lines = history(book.engine, activation)
    assert [(h.action, h.fee_cents, h.initiator) for h in lines] == [
        ("not_ready", 50000, "customer"),
        ("reschedule", None, "customer"),
    ]
    assert "never charged twice" in lines[-1].reason


def test_reschedule_after_a_provider_no_show_is_free(book: Book) -> None:
    activation, step = event(book, NOW - timedelta(minutes=30), dispatch=True)
    move_step(book.engine, step, 1, Action.NO_SHOW, ACTOR, reason="technician never came")
    guard, versions = quote(book.engine, step, Action.RESCHEDULE, SCHEDULE, ACTOR)
    assert guard.late and not guard.charged
    change_event(book.engine, step, versions, Action.RESCHEDULE, SCHEDULE, guard, ACTOR, window=NEXT_WEEK, reason="rebook")
    assert [(h.action, h.fee_cents, h.initiator) for h in history(book.engine, activation)] == [
        ("no_show", None, "field"),
        ("reschedule", None, "customer"),
    ]


@pytest.mark.parametrize("status", [StepStatus.REQUESTED, StepStatus.CONFIRMED, StepStatus.VALIDATED])
def test_a_customers_late_change_of_an_event_on_the_calendar_is_charged(book: Book, status: StepStatus) -> None:
    activation, step = event(book, local(NY, "2026-11-23T10:00"), status)  # cut-off Friday 10:00: passed
    guard, versions = quote(book.engine, step, Action.CANCEL, SCHEDULE, ACTOR)
    assert guard.charged
    change_event(book.engine, step, versions, Action.CANCEL, SCHEDULE, guard, ACTOR, reason="customer withdrew")
    assert history(book.engine, activation)[-1].fee_cents == 25000


@pytest.mark.parametrize("initiator", [Initiator.SCHEDULING, Initiator.FIELD, Initiator.CCM])
def test_a_provider_change_is_free_and_says_who(book: Book, initiator: Initiator) -> None:
    activation, step = event(book, local(NY, "2026-11-23T10:00"), dispatch=True)
    customer_guard, versions = quote(book.engine, step, Action.RESCHEDULE, SCHEDULE, ACTOR)
    assert customer_guard.total == Money(Decimal("500.00"), "USD")
    # the guard the CCM confirmed must be the one for who asked: the customer's fee is refused
    with pytest.raises(FeeChanged):
        change_event(
            book.engine,
            step,
            versions,
            Action.RESCHEDULE,
            SCHEDULE,
            customer_guard,
            ACTOR,
            initiator=initiator,
            window=NEXT_WEEK,
            reason="crew shortage",
        )
    provider_guard = customer_guard.asked_by(initiator)
    assert provider_guard.late and not provider_guard.charged and provider_guard.total is None
    change_event(
        book.engine,
        step,
        versions,
        Action.RESCHEDULE,
        SCHEDULE,
        provider_guard,
        ACTOR,
        initiator=initiator,
        window=NEXT_WEEK,
        reason="crew shortage",
    )
    last = history(book.engine, activation)[-1]
    assert (last.fee_cents, last.initiator) == (None, initiator.value)
    assert last.reason.startswith("crew shortage; asked for by ") and "no fee" in last.reason


def test_a_provider_change_needs_a_reason(book: Book) -> None:
    activation, step = event(book, local(NY, "2026-11-23T10:00"))
    guard, versions = quote(book.engine, step, Action.CANCEL, SCHEDULE, ACTOR)
    with pytest.raises(ProviderReasonMissing, match="needs a reason"):
        change_event(
            book.engine,
            step,
            versions,
            Action.CANCEL,
            SCHEDULE,
            guard.asked_by(Initiator.SCHEDULING),
            ACTOR,
            initiator=Initiator.SCHEDULING,
            reason="  ",
        )
    assert history(book.engine, activation) == [] and step_row(book.engine, step).status == "validated"


def test_a_change_exactly_at_the_cutoff_is_free(book: Book) -> None:
    activation, step = event(book, local(NY, "2026-11-23T16:00"))  # cut-off: Friday 16:00 New York
    at_cutoff = Actor("Alex Morgan", local(NY, "2026-11-20T16:00"), HOURS)
    guard, versions = quote(book.engine, step, Action.CANCEL, SCHEDULE, at_cutoff)
    assert not guard.late and not guard.charged
    change_event(book.engine, step, versions, Action.CANCEL, SCHEDULE, guard, at_cutoff, reason="customer withdrew")
    assert history(book.engine, activation)[-1].fee_cents is None
