"""The iCalendar export's reads (store/calendar_export.py), on both engines: SEQUENCE counted beside
each step, each customer's contacts read once for the whole export and handed to all its events, in
the lists' order, and the same events however small the chunks and the contacts remembered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine

from ccm_tui.domain.model import ContactRole, StepKind, StepStatus
from ccm_tui.domain.schedule import ExportEvent
from ccm_tui.store import calendar_export, tables
from ccm_tui.store.calendar_export import NOT_CHANGES, export_chunks
from ccm_tui.store.convert import to_naive_utc
from ccm_tui.store.engine import write_session
from tests.store import calendar_book
from tests.store.calendar_book import event, local

NY = "America/New_York"
START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)


def history(engine: Engine, activation_id: int, kind: StepKind, *actions: str) -> None:
    with write_session(engine) as session:
        for n, action in enumerate(actions):
            session.add(
                tables.ActivationChangeRow(
                    activation_id=activation_id,
                    step_kind=kind.value,
                    at=to_naive_utc(calendar_book.NOW + timedelta(minutes=n)),
                    action=action,
                    to_status=StepStatus.CONFIRMED.value,
                )
            )


def exported(engine: Engine, chunk: int = 2000) -> list[ExportEvent]:
    return [e for part in export_chunks(engine, START, END, chunk=chunk) for e in part]


def test_sequence_counts_the_changes_of_each_step_only(engine: Engine) -> None:
    book = calendar_book.Book(engine)
    customer = book.customer("Counted")
    site = book.site(customer, "Counted HQ")
    order = book.order(customer, datetime(2026, 12, 31).date())
    both, _ = book.activation(
        customer,
        order,
        site,
        steps=[
            (StepKind.INSTALLATION, local(NY, "2026-11-23T10:00"), StepStatus.CONFIRMED),
            (StepKind.ACTIVATION, local(NY, "2026-11-30T10:00"), StepStatus.REQUESTED),
        ],
    )
    quiet, _ = event(book, local(NY, "2026-11-24T10:00"), name="Quiet")
    # the request, reminders, the IP letter and traffic change neither window nor status
    history(engine, both, StepKind.INSTALLATION, "request", "reschedule", "confirm", *NOT_CHANGES)
    history(engine, both, StepKind.ACTIVATION, "request", "reschedule")
    history(engine, quiet, StepKind.ACTIVATION, *NOT_CHANGES)

    by_step = {(e.activation_id, e.step.kind): e.sequence for e in exported(engine)}
    assert by_step == {(both, StepKind.INSTALLATION): 2, (both, StepKind.ACTIVATION): 1, (quiet, StepKind.ACTIVATION): 0}


def test_contacts_are_read_once_a_customer_and_shared_by_its_events(engine: Engine) -> None:
    book = calendar_book.Book(engine)
    customer = book.customer("Many events")
    # the lists' order: designated, then technical, then the rest, each by name
    book.contact(customer, "zed", ContactRole.AUTHORISED)
    book.contact(customer, "Bea", ContactRole.SITE_TECHNICAL)
    book.contact(customer, "amy", ContactRole.DESIGNATED, ContactRole.AUTHORISED)
    book.contact(customer, "Abe", ContactRole.SITE_TECHNICAL)
    site = book.site(customer, "Many HQ")
    order = book.order(customer, datetime(2026, 12, 31).date())
    for day in (23, 24, 25, 26, 27):
        book.activation(
            customer, order, site, steps=[(StepKind.ACTIVATION, local(NY, f"2026-11-{day}T10:00"), StepStatus.CONFIRMED)]
        )
    lonely = book.customer("No contacts")
    lonely_site = book.site(lonely, "Lonely HQ")
    book.activation(
        lonely,
        book.order(lonely, datetime(2026, 12, 31).date()),
        lonely_site,
        steps=[(StepKind.ACTIVATION, local(NY, "2026-11-25T12:00"), StepStatus.CONFIRMED)],
    )

    events = exported(engine, chunk=2)  # three chunks: the customer's events span them all
    mine = [e for e in events if e.customer_name == "Many events"]
    assert len(mine) == 5
    assert [c.name for c in mine[0].contacts] == ["amy", "Abe", "Bea", "zed"]
    assert all(e.contacts is mine[0].contacts for e in mine), "read once, handed to every event"
    assert all(e.site == mine[0].site for e in mine)
    assert [e.contacts for e in events if e.customer_name == "No contacts"] == [()]


@pytest.mark.parametrize("kept", [1, 2, 1000])
def test_the_same_events_however_few_customers_are_remembered(engine: Engine, kept: int, monkeypatch: pytest.MonkeyPatch) -> None:
    book = calendar_book.Book(engine)
    for n, day in enumerate((23, 24, 25, 26, 27, 30)):
        event(book, local(NY, f"2026-11-{day}T10:00"), name=f"Customer {n % 4}")
    everything = exported(engine)
    monkeypatch.setattr(calendar_export, "CUSTOMERS_KEPT", kept)
    for chunk in (1, 2, 4):
        assert exported(engine, chunk) == everything
    assert [len(e.contacts) for e in everything] == [2] * 6


@pytest.mark.sqlite_only
def test_the_book_is_mapped_only_while_the_export_reads(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    book = calendar_book.Book(engine)
    for day in (23, 24, 25):
        event(book, local(NY, f"2026-11-{day}T10:00"), name=f"Mapped {day}")
    seen = []
    read = calendar_export._events

    def reading(connection: Connection, *args: Any) -> list[ExportEvent]:
        seen.append(connection.exec_driver_sql("PRAGMA mmap_size").scalar())
        return read(connection, *args)

    monkeypatch.setattr(calendar_export, "_events", reading)

    def mapped() -> int:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql("PRAGMA mmap_size").scalar() or 0)

    before = mapped()
    chunks = export_chunks(engine, START, END, chunk=1)
    assert len(next(chunks)) == 1
    with engine.connect() as connection:  # the pool's one connection is the export's: another is opened
        assert connection.exec_driver_sql("PRAGMA mmap_size").scalar() == before
    chunks.close()  # a reader that stopped early (`ccm export ics | head`)
    assert mapped() == before
    assert len(exported(engine)) == 3 and mapped() == before
    assert seen == [calendar_export.MAPPED_BYTES] * 2  # a chunk of the first export, the whole second
