"""`ccm events`' listing in the store: the same events, judged the same way, as the calendar's lists,
read in batches (small ones here, so the batches and the queries between them are exercised on both
engines: a server-side cursor on PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import Region, StepStatus
from ccm_tui.domain.schedule import CalendarFilter, CcdState, StatusFilter
from ccm_tui.store import calendar_flags, checklist_readiness
from ccm_tui.store.calendar_events import events_between
from ccm_tui.store.calendar_listing import listing
from tests.store import calendar_book
from tests.store.calendar_book import event, local
from tests.store.test_checklists import NOW as RISK_NOW
from tests.store.test_checklists import RISK_CASES
from tests.store.test_checklists import Book as ChecklistBook

HOURS = BusinessHours()
NOW = calendar_book.NOW  # Friday 2026-11-20 15:30 in New York
START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)


def test_the_listing_judges_each_event_as_the_calendar_does(engine: Engine) -> None:
    book = calendar_book.Book(engine)
    ny = "America/New_York"
    event(book, local(ny, "2026-11-23T10:00"), StepStatus.REQUESTED, name="Monday, late")  # inside its late window
    event(book, local(ny, "2026-11-21T10:00"), name="Saturday")  # weekend: after hours
    event(book, local(ny, "2026-11-26T10:00"), name="Thanksgiving", ccd=date(2026, 11, 25))  # holiday, after its CCD
    event(book, local(ny, "2026-11-24T10:00"), name="Past CCD", ccd=date(2026, 11, 2))
    event(book, local(ny, "2026-11-25T10:00"), StepStatus.CANCELLED, name="Cancelled")
    sydney = "Australia/Sydney"
    event(book, local(sydney, "2026-11-30T19:00"), name="Sydney evening", region=Region.ASIA_PACIFIC, zone=sydney, country="AU")
    calendar_flags.derive_missing(engine, HOURS)

    listed = [e for batch in listing(engine, START, END, StatusFilter.ALL.statuses, NOW, HOURS, batch=2) for e in batch]
    calendar = events_between(engine, START, END, CalendarFilter(status=StatusFilter.ALL), NOW, HOURS).events
    # the calendar's list carries contacts (the listing has no use for them); all else is the same
    assert listed == [replace(e, contacts=()) for e in calendar]
    by_name = {e.customer_name: e for e in listed}
    assert by_name["Monday, late"].facts.late
    assert by_name["Saturday"].facts.on_call and by_name["Sydney evening"].facts.on_call
    assert by_name["Thanksgiving"].ccd_state is CcdState.AT_RISK and by_name["Thanksgiving"].facts.on_call
    assert by_name["Past CCD"].ccd_state is CcdState.PAST and by_name["Past CCD"].accrued is not None

    active = [e for batch in listing(engine, START, END, StatusFilter.ACTIVE.statuses, NOW, HOURS) for e in batch]
    assert "Cancelled" not in {e.customer_name for e in active} and len(active) == len(listed) - 1
    assert [e for batch in listing(engine, END, END, StatusFilter.ALL.statuses, NOW, HOURS) for e in batch] == []


def test_the_not_ready_risk_agrees_with_the_checklists(engine: Engine) -> None:
    # every case of the checklists' own risk table in one book, read through the listing in small batches
    book = ChecklistBook(engine)
    expected = {}
    for act_kw, item_kw, at_risk in RISK_CASES:
        activation = book.activation(**act_kw)
        book.item(activation, **item_kw)
        book.item(activation, owner="provider", state="done", days=0)
        expected[activation] = at_risk
    listed = [e for batch in listing(engine, START, END, StatusFilter.ALL.statuses, RISK_NOW, HOURS, batch=3) for e in batch]
    assert listed, "the cases have events to list"
    readiness = checklist_readiness.readiness_for(engine, list(expected), RISK_NOW, HOURS)
    for e in listed:
        assert e.facts.not_ready_risk is expected[e.activation.id] is readiness[e.activation.id].at_risk, e


def test_the_export_reads_in_chunks_with_contacts_on_both_engines(engine: Engine) -> None:
    from ccm_tui.store.calendar_export import export_chunks, site_zones

    book = calendar_book.Book(engine)
    ny = "America/New_York"
    for day, name in ((23, "First"), (24, "Second"), (25, "Third")):
        event(book, local(ny, f"2026-11-{day}T10:00"), name=name)
    event(book, local("Europe/London", "2026-11-26T10:00"), name="Fourth", zone="Europe/London", country="GB")
    chunks = list(export_chunks(engine, START, END, chunk=3))
    assert [len(c) for c in chunks] == [3, 1]
    exported = [e for chunk in chunks for e in chunk]
    assert [e.customer_name for e in exported] == ["First", "Second", "Third", "Fourth"]
    assert [c.name for c in exported[3].contacts] == ["Fourth designated", "Fourth technical"]
    assert exported[3].site.timezone == "Europe/London" and exported[0].sequence == 0
    assert site_zones(engine) == ["America/New_York", "Europe/London"]
