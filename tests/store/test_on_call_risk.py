"""The on-call list's not-ready risk mark (store/on_call_risk.py): as the full readiness says, whether the
step listed decides it or the activation's other open step, which on-call reads only when items are
outstanding and the step listed is not overdue."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from ccm_tui.domain.model import ContactRole, StepKind, StepStatus
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.store import calendar_events
from ccm_tui.store.blocking_offsets import refresh_blocking_offsets
from ccm_tui.store.calendar_flags import derive_missing
from ccm_tui.store.checklist_readiness import readiness_for
from ccm_tui.store.engine import write_session
from ccm_tui.store.tables import ChecklistItemRow
from tests.store.calendar_book import HOURS, NOW, Book, local

SATURDAY = local("America/New_York", "2026-11-21T10:00")  # on call: a weekend
MONDAY = local("America/New_York", "2026-11-23T10:00")  # in business hours: not listed
LATER = local("America/New_York", "2026-12-15T10:00")

# name: (installation start and status, outstanding items as (phase, due offset, state)); every activation's
# event is on Saturday, the step on-call lists
ACTIVATIONS: dict[str, tuple[datetime, StepStatus, list[tuple[str, int, str]]]] = {
    "Listed overdue": (LATER, StepStatus.CONFIRMED, [("before_activation", 3, "open")]),
    "Other overdue": (MONDAY, StepStatus.CONFIRMED, [("before_installation", 3, "blocked")]),
    "Other far ahead": (LATER, StepStatus.CONFIRMED, [("before_installation", 3, "open")]),
    "Other not open": (MONDAY, StepStatus.COMPLETED, [("before_installation", 3, "open")]),
    "Item done": (MONDAY, StepStatus.CONFIRMED, [("before_installation", 3, "done"), ("before_activation", 3, "done")]),
    "Listed not yet due": (MONDAY, StepStatus.CONFIRMED, [("before_activation", 0, "open")]),
    "No items": (MONDAY, StepStatus.CONFIRMED, []),
}


def add_activation(book: Book, name: str, install: datetime, install_status: StepStatus, items: list[tuple[str, int, str]]) -> int:
    customer = book.customer(name)
    book.contact(customer, f"{name} designated", ContactRole.DESIGNATED)
    order = book.order(customer, date(2026, 12, 31))
    steps = [(StepKind.INSTALLATION, install, install_status), (StepKind.ACTIVATION, SATURDAY, StepStatus.CONFIRMED)]
    activation, _ = book.activation(customer, order, book.site(customer, f"{name} HQ"), steps=steps)
    with write_session(book.engine) as session:
        for position, (phase, days, state) in enumerate(items):
            session.add(
                ChecklistItemRow(
                    activation_id=activation,
                    phase=phase,
                    position=position,
                    text=f"{name} {position}",
                    owner="customer",
                    due_offset_days=days,
                    blocking=True,
                    state=state,
                )
            )
        session.flush()
        refresh_blocking_offsets(session.connection(), [activation])  # as every writer of items does
    return activation


@pytest.fixture
def book(engine: Engine) -> Book:
    book = Book(engine)
    for name, (install, status, items) in ACTIVATIONS.items():
        add_activation(book, name, install, status, items)
    derive_missing(engine, HOURS)
    return book


def test_the_mark_is_the_full_readiness_whichever_step_decides(book: Book) -> None:
    found = calendar_events.on_call(book.engine, CalendarFilter(), NOW, 72, HOURS)
    assert sorted(e.customer_name for e in found) == sorted(ACTIVATIONS)  # only the Saturday events
    readiness = readiness_for(book.engine, [e.activation.id for e in found], NOW, HOURS)
    assert {e.customer_name: e.facts.not_ready_risk for e in found} == {
        e.customer_name: readiness[e.activation.id].at_risk for e in found
    }
    assert {e.customer_name for e in found if e.facts.not_ready_risk} == {"Listed overdue", "Other overdue"}
