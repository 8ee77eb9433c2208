"""Reinstating a cancelled event on a fresh book, both engines: every site the cancellation
cancelled, as it was (or unscheduled once its window passed), the fee left on record, a
history row and a change-log entry per step."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from ccm_tui.data_files import load_fee_schedule
from ccm_tui.domain.changes import Entity
from ccm_tui.domain.model import Money, OrderStatus, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.status import REINSTATE, Action, CannotReinstate
from ccm_tui.errors import StaleEdit
from ccm_tui.store import change_log
from ccm_tui.store.activations import Actor
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.event_changes import change_event, quote
from ccm_tui.store.reinstate import reinstate, reinstate_steps, reinstatement_plan
from ccm_tui.store.tables import ActivationChangeRow, ActivationStepRow, OrderRow
from tests.store.calendar_book import HOURS, NOW, Book, event, local

NY = "America/New_York"
S = StepStatus
SCHEDULE = load_fee_schedule()
ACTOR = Actor("Alex Morgan", NOW, HOURS)
LATER = Actor("Sam Lee", NOW + timedelta(hours=2), HOURS)


@pytest.fixture
def book(engine: Engine) -> Book:
    return Book(engine)


def cancel(engine: Engine, step_id: int, actor: Actor = ACTOR) -> None:
    guard, versions = quote(engine, step_id, Action.CANCEL, SCHEDULE, actor)
    change_event(engine, step_id, versions, Action.CANCEL, SCHEDULE, guard, actor, reason="project stopped")


def step_row(engine: Engine, step_id: int) -> ActivationStepRow:
    with read_session(engine) as session:
        row = session.get(ActivationStepRow, step_id)
        assert row is not None
        return row


def history(engine: Engine, activation_id: int) -> list[ActivationChangeRow]:
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(ActivationChangeRow)
                .where(ActivationChangeRow.activation_id == activation_id)
                .order_by(ActivationChangeRow.id)
            )
        )


def test_a_late_multi_site_cancellation_is_reinstated_whole_and_its_fee_stays(book: Book) -> None:
    customer = book.customer("Multi")
    order = book.order(customer, date(2026, 12, 31), (ServiceKind.INTERNET,))
    start = local(NY, "2026-11-23T09:00")  # inside the late-change window: the cancellation is charged
    east, west = book.site(customer, "East"), book.site(customer, "West", "America/Denver")
    a1, s1 = book.activation(customer, order, east, dispatch=True, steps=[(StepKind.ACTIVATION, start, S.VALIDATED)])
    a2, s2 = book.activation(customer, order, west, steps=[(StepKind.ACTIVATION, start, S.CONFIRMED)])
    first, second = s1[StepKind.ACTIVATION], s2[StepKind.ACTIVATION]
    cancel(book.engine, second)
    plan = reinstatement_plan(book.engine, second, LATER.now)
    assert [(s.step_id, s.site_name, s.before, s.becomes.status, s.start) for s in plan.steps] == [
        (second, "West", S.CONFIRMED, S.CONFIRMED, start),  # the step asked for first
        (first, "East", S.VALIDATED, S.VALIDATED, start),
    ]
    assert plan.fees == (Money(Decimal("250.00"), "USD"), Money(Decimal("500.00"), "USD"))
    assert (plan.steps[0].cancelled_by, plan.steps[0].cancelled_at) == ("Alex Morgan", NOW)
    done = reinstate(book.engine, second, plan.versions, LATER)
    assert [s.step_id for s in done.steps] == [second, first]
    assert (step_row(book.engine, first).status, step_row(book.engine, second).status) == ("validated", "confirmed")
    assert step_row(book.engine, first).start_at == start.replace(tzinfo=None)
    for activation, fee in ((a1, 50000), (a2, 25000)):
        cancelled, back = history(book.engine, activation)[-2:]
        assert (cancelled.action, cancelled.fee_cents) == ("cancel", fee)  # the fee stays on record
        assert (back.action, back.who, back.from_status, back.fee_cents) == (REINSTATE, "Sam Lee", "cancelled", None)
        assert back.reason.startswith("reinstated: cancelled 2026-11-20 20:30 UTC by Alex Morgan; the cancellation fee of ")
    entry = change_log.last_change(book.engine, Entity.ACTIVATION_STEP, first)
    assert entry is not None
    assert (entry.action, entry.customer_id, entry.author) == (REINSTATE, customer, "Sam Lee")
    assert entry.changes == {"status": ("cancelled", "validated")}
    # the event can be acted on again as before
    _, versions = quote(book.engine, first, Action.RESCHEDULE, SCHEDULE, LATER)
    assert sorted(versions) == sorted([first, second])


def test_a_window_that_passed_is_cleared_and_must_be_requested_again(book: Book) -> None:
    activation, step = event(book, local(NY, "2026-11-24T16:00"))
    cancel(book.engine, step)
    after = Actor("Alex Morgan", NOW + timedelta(days=5), HOURS)
    (line,) = reinstate(book.engine, step, reinstatement_plan(book.engine, step, after.now).versions, after).steps
    assert (line.before, line.becomes.status, line.becomes.keeps_window) == (S.VALIDATED, S.UNSCHEDULED, False)
    row = step_row(book.engine, step)
    assert (row.status, row.start_at, row.end_at, row.calendar_flags) == ("unscheduled", None, None, None)
    last = history(book.engine, activation)[-1]
    assert (last.from_start, last.to_start) == (local(NY, "2026-11-24T16:00").replace(tzinfo=None), None)
    assert "its window has passed: request a new one" in last.reason
    entry = change_log.last_change(book.engine, Entity.ACTIVATION_STEP, step)
    assert entry is not None and entry.changes["status"] == ("cancelled", "unscheduled")
    assert entry.changes["start"] == ("2026-11-24T21:00:00+00:00", None)


def test_refusals_write_nothing(book: Book) -> None:
    activation, step = event(book, local(NY, "2026-11-24T16:00"))
    with pytest.raises(CannotReinstate, match="cannot reinstate a validated activation"):
        reinstatement_plan(book.engine, step, NOW)
    cancel(book.engine, step)
    plan = reinstatement_plan(book.engine, step, NOW)
    with pytest.raises(StaleEdit):
        reinstate(book.engine, step, {step: plan.versions[step] - 1}, ACTOR)
    with write_session(book.engine) as session:  # the order was closed meanwhile
        order = session.scalars(select(OrderRow)).one()
        order.status = OrderStatus.CANCELLED.value
    with pytest.raises(CannotReinstate, match=r"order ORD-\d+ is cancelled"):
        reinstate(book.engine, step, plan.versions, ACTOR)
    assert history(book.engine, activation)[-1].action == "cancel"
    with read_session(book.engine) as session:
        assert session.scalar(select(func.count()).select_from(ActivationChangeRow)) == 1


def test_inside_an_open_session_only_the_steps_named_are_reinstated(book: Book) -> None:
    """What undo calls: the steps of one cancellation, by id, in the caller's transaction."""
    customer = book.customer("Multi")
    order = book.order(customer, date(2026, 12, 31))
    start = local(NY, "2026-12-01T09:00")
    steps = [(StepKind.ACTIVATION, start, S.REQUESTED)]
    _, s1 = book.activation(customer, order, book.site(customer, "East"), steps=steps)
    _, s2 = book.activation(customer, order, book.site(customer, "West"), steps=steps)
    cancel(book.engine, s1[StepKind.ACTIVATION])
    with write_session(book.engine) as session:
        plan = reinstate_steps(session, [s1[StepKind.ACTIVATION]], ACTOR)
    assert [s.becomes.status for s in plan.steps] == [S.REQUESTED]
    assert step_row(book.engine, s1[StepKind.ACTIVATION]).status == "requested"
    assert step_row(book.engine, s2[StepKind.ACTIVATION]).status == "cancelled"
    # the other site stays cancelled; reinstating it later brings back only what is still cancelled
    assert [s.step_id for s in reinstatement_plan(book.engine, s2[StepKind.ACTIVATION], NOW).steps] == [s2[StepKind.ACTIVATION]]
