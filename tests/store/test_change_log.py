"""The change log: every write of a record people edit leaves one entry, by its author, in its transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.changes import CHANGED, CREATED, IMPORTED, REMOVED, ChangeEntry, Entity
from ccm_tui.domain.checklist import ItemState, Owner, Phase
from ccm_tui.domain.checklist_input import AdhocItemInput
from ccm_tui.domain.imports import ImportMode
from ccm_tui.domain.incidents import IncidentKind
from ccm_tui.domain.model import ContactRole, Region, ReviewKind, TaskCategory
from ccm_tui.domain.people import Person, Role
from ccm_tui.domain.review_inputs import ActionInput, AgendaItemInput, IncidentInput
from ccm_tui.domain.reviews import ReviewCadence
from ccm_tui.domain.service_review import NewAgendaItem
from ccm_tui.domain.status import Action
from ccm_tui.domain.validation import ContactInput, CustomerInput, SiteInput, TimeEntryInput
from ccm_tui.store import (
    change_log,
    checklists,
    contacts,
    customers,
    incidents,
    review_actions,
    review_cadence,
    review_drafts,
    sites,
    time_entries,
)
from ccm_tui.store.activations import Actor, move_step
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.imports import folder_files, import_csv
from ccm_tui.store.tables import ActivationStepRow, CustomerRow

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "book"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DANA = Person(login="dana", name="Dana Whitfield", role=Role.MEMBER)
IMPORTER = Person(login="lee", name="Lee Import", role=Role.LEAD)


@dataclass
class Book:
    engine: Engine
    customer_id: int


@pytest.fixture
def book(engine: Engine) -> Book:
    made = customers.add_customer(
        engine, CustomerInput("Acme", "NA-9001", Region.NORTH_AMERICA, "Dana", Decimal(8), ""), NOW, actor=DANA
    )
    return Book(engine, made.id)


def entries(engine: Engine) -> list[ChangeEntry]:
    return change_log.since(engine, 0)


def latest(engine: Engine) -> ChangeEntry:
    found = entries(engine)
    assert found, "an entry was written"
    return found[-1]


# -- one entry per write, with the fields that differ ------------------------------------------


def _edit_customer(b: Book) -> int:
    customers.update_customer(
        b.engine,
        b.customer_id,
        1,
        CustomerInput("Acme Ltd", "NA-9001", Region.NORTH_AMERICA, "Dana", Decimal(8), ""),
        NOW,
        actor=DANA,
    )
    return b.customer_id


def _add_contact(b: Book) -> int:
    data = ContactInput("Ana Ortiz", frozenset({ContactRole.DESIGNATED}), "555 0100", "", None)
    return contacts.add_contact(b.engine, b.customer_id, data, actor=DANA, now=NOW).id


def _edit_contact(b: Book) -> int:
    made = contacts.add_contact(
        b.engine, b.customer_id, ContactInput("Ana", frozenset(), "555 0100", "", None), actor=DANA, now=NOW
    )
    contacts.update_contact(b.engine, made.id, 1, ContactInput("Ana", frozenset(), "555 0199", "", None), actor=DANA, now=NOW)
    return made.id


def _add_site(b: Book) -> int:
    data = SiteInput("HQ", "1 Main St", "Boston", "US", "America/New_York")
    return sites.add_site(b.engine, b.customer_id, data, actor=DANA, now=NOW).id


def _edit_site(b: Book) -> int:
    made = _add_site(b)
    data = SiteInput("HQ", "1 Main St", "Cambridge", "US", "America/New_York")
    sites.update_site(b.engine, made, 1, data, actor=DANA, now=NOW)
    return made


def _log_time(b: Book) -> int:
    data = TimeEntryInput(date(2026, 11, 23), Decimal("1.5"), TaskCategory.RELATIONSHIP, "call")
    return time_entries.log_time(b.engine, b.customer_id, data, DANA, NOW).id


def _log_incident(b: Book) -> int:
    data = IncidentInput(IncidentKind.INCIDENT, 2, "Outage", NOW - timedelta(hours=2), None)
    return incidents.log_incident(b.engine, b.customer_id, data, DANA, NOW).id


def _close_incident(b: Book) -> int:
    made = _log_incident(b)
    incidents.close_incident(b.engine, made, NOW, DANA)
    return made


def _review(b: Book) -> int:
    items = [NewAgendaItem(section="Relationship", text="Calls", key="proactive_calls", contact_ids=())]
    return review_drafts.create_review(
        b.engine, b.customer_id, ReviewKind.MONTHLY, date(2026, 11, 20), items, actor=DANA, now=NOW
    ).id


def _add_agenda_item(b: Book) -> int:
    review = _review(b)
    return review_drafts.add_item(b.engine, review, AgendaItemInput("Relationship", "SD-WAN", ()), actor=DANA, now=NOW).id


def _minutes(b: Book) -> int:
    item = _add_agenda_item(b)
    review_drafts.set_minutes(b.engine, item, "agreed", actor=DANA, now=NOW)
    return item


def _remove_agenda_item(b: Book) -> int:
    item = _add_agenda_item(b)
    review_drafts.remove_item(b.engine, item, actor=DANA, now=NOW)
    return item


def _move_agenda_item(b: Book) -> int:
    review = _review(b)
    review_drafts.add_item(b.engine, review, AgendaItemInput("Relationship", "SD-WAN", ()), actor=DANA, now=NOW)
    last = review_drafts.add_item(b.engine, review, AgendaItemInput("Relationship", "Roadmap", ()), actor=DANA, now=NOW)
    assert review_drafts.move_item(b.engine, last.id, -1, actor=DANA, now=NOW)
    return last.id


def _set_cadence(b: Book) -> int:
    review_cadence.set_cadence(b.engine, b.customer_id, ReviewCadence.QUARTERLY, actor=DANA, now=NOW)
    return b.customer_id


def _action_done(b: Book) -> int:
    review = _review(b)
    action = review_actions.add_action(b.engine, review, ActionInput("Send the report", "Dana", None), actor=DANA, now=NOW)
    review_actions.set_action_done(b.engine, action.id, True, date(2026, 11, 24), actor=DANA, now=NOW)
    return action.id


def _checklist_item(b: Book) -> int:
    activation = _import_activation(b)
    data = AdhocItemInput("Rack space", Owner.CUSTOMER, Phase.BEFORE_INSTALLATION, 5, True)
    item = checklists.add_item(b.engine, activation, data, NOW, DANA)
    checklists.set_state(b.engine, item.id, 1, ItemState.BLOCKED, "landlord", NOW, DANA)
    return item.id


def _import_activation(b: Book) -> int:
    import_csv(b.engine, folder_files(FIXTURES), ImportMode.ALL_OR_NOTHING, NOW, IMPORTER)
    with read_session(b.engine) as session:
        step = session.exec(select(ActivationStepRow).order_by(ActivationStepRow.id)).first()  # type: ignore[arg-type]
        assert step is not None
        return step.activation_id


CASES: list[tuple[str, Callable[[Book], int], Entity, str, dict[str, list[object]]]] = [
    ("customer changed", _edit_customer, Entity.CUSTOMER, CHANGED, {"name": ["Acme", "Acme Ltd"]}),
    ("contact created", _add_contact, Entity.CONTACT, CREATED, {"name": [None, "Ana Ortiz"], "phone": [None, "555 0100"]}),
    ("contact changed", _edit_contact, Entity.CONTACT, CHANGED, {"phone": ["555 0100", "555 0199"]}),
    ("site created", _add_site, Entity.SITE, CREATED, {"name": [None, "HQ"], "city": [None, "Boston"]}),
    ("site changed", _edit_site, Entity.SITE, CHANGED, {"city": ["Boston", "Cambridge"]}),
    ("time logged", _log_time, Entity.TIME_ENTRY, CREATED, {"minutes": [None, 90], "who": [None, "Dana Whitfield"]}),
    ("incident logged", _log_incident, Entity.INCIDENT, CREATED, {"summary": [None, "Outage"], "severity": [None, 2]}),
    ("incident closed", _close_incident, Entity.INCIDENT, CHANGED, {"closed_at": [None, NOW.isoformat()]}),
    ("review created", _review, Entity.REVIEW, CREATED, {"kind": [None, "monthly"], "status": [None, "draft"]}),
    ("agenda item added", _add_agenda_item, Entity.AGENDA_ITEM, CREATED, {"text": [None, "SD-WAN"]}),
    ("minutes taken", _minutes, Entity.AGENDA_ITEM, CHANGED, {"minutes": ["", "agreed"]}),
    ("agenda item removed", _remove_agenda_item, Entity.AGENDA_ITEM, REMOVED, {"text": ["SD-WAN", None]}),
    ("agenda item moved", _move_agenda_item, Entity.AGENDA_ITEM, "moved", {"place": [3, 2]}),
    ("review cadence set", _set_cadence, Entity.CUSTOMER, CHANGED, {"review_cadence": ["monthly", "quarterly"]}),
    ("action done", _action_done, Entity.ACTION_ITEM, CHANGED, {"done": [False, True], "done_on": [None, "2026-11-24"]}),
    ("checklist item blocked", _checklist_item, Entity.CHECKLIST_ITEM, "blocked", {"state": ["open", "blocked"]}),
]


@pytest.mark.parametrize(("change", "entity", "action", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_write_leaves_one_entry_with_what_changed(book: Book, change, entity, action, expected) -> None:  # type: ignore[no-untyped-def]
    before = len(entries(book.engine))
    record_id = change(book)
    mine = [e for e in entries(book.engine)[before:] if e.entity is entity and e.entity_id == record_id]
    entry = mine[-1]
    assert (entry.action, entry.author, entry.author_name, entry.at) == (action, "dana", "Dana Whitfield", NOW)
    # the checklist's activation is an imported customer's; every other record is Acme's
    assert entry.customer_id == book.customer_id or entity is Entity.CHECKLIST_ITEM
    for name, pair in expected.items():
        assert list(entry.changes[name]) == pair, name


def test_an_edit_that_changes_nothing_writes_nothing(book: Book) -> None:
    data = CustomerInput("Acme", "NA-9001", Region.NORTH_AMERICA, "Dana", Decimal(8), "")
    before = len(entries(book.engine))
    saved = customers.update_customer(book.engine, book.customer_id, 1, data, NOW, actor=DANA)
    assert len(entries(book.engine)) == before
    # nor a new version: a form opened by someone else is not stale over it (nobody's change to name)
    assert saved.version == 1
    customers.update_customer(book.engine, book.customer_id, 1, data, NOW, actor=DANA)


def test_an_import_logs_one_entry_per_record_it_created_or_changed(book: Book) -> None:
    first = import_csv(book.engine, folder_files(FIXTURES), ImportMode.ALL_OR_NOTHING, NOW, IMPORTER)
    created = sum(f.created for f in first.files)
    imported = [e for e in entries(book.engine) if e.action == IMPORTED]
    steps = [e for e in imported if e.entity is Entity.ACTIVATION_STEP]
    assert len(imported) - len(steps) == created - sum(f.created for f in first.files if f.kind.value == "activations")
    assert {(e.author, e.author_name) for e in imported} == {("lee", "Lee Import")}
    assert {e.reason for e in imported} >= {"customers.csv", "activations.csv"}
    again = import_csv(book.engine, folder_files(FIXTURES), ImportMode.ALL_OR_NOTHING, NOW, IMPORTER)
    assert sum(f.updated for f in again.files) == 0
    assert len(entries(book.engine)) == len(imported) + 1  # unchanged records: no entries (the +1 is Acme's creation)


def test_a_step_moved_by_the_calendar_is_logged_beside_its_history(book: Book) -> None:
    _import_activation(book)
    with read_session(book.engine) as session:
        step = session.exec(select(ActivationStepRow).where(ActivationStepRow.status == "validated")).first()
        assert step is not None and step.id is not None
        step_id, version, customer_id = step.id, step.version, step.customer_id
    move_step(
        book.engine,
        step_id,
        version,
        Action.COMPLETE,
        Actor(DANA.author, NOW + timedelta(days=5), BusinessHours(), DANA),
        reason="up",
    )
    entry = change_log.last_change(book.engine, Entity.ACTIVATION_STEP, step_id)
    assert entry is not None
    assert (entry.action, entry.author, entry.customer_id, entry.reason) == ("complete", "dana", customer_id, "up")
    assert entry.changes["status"] == ("validated", "completed")


# -- atomic, refused without an author, append-only, growing ---------------------------------


def test_a_rolled_back_change_leaves_no_entry(book: Book) -> None:
    before = len(entries(book.engine))
    with pytest.raises(RuntimeError), write_session(book.engine) as session:
        row = session.get(CustomerRow, book.customer_id)
        assert row is not None
        change_log.record(
            session, DANA, NOW, Entity.CUSTOMER, book.customer_id, book.customer_id, CHANGED, {"name": "a"}, {"name": "b"}
        )
        session.flush()
        raise RuntimeError("the change failed after its entry was added")
    assert len(entries(book.engine)) == before


@pytest.mark.parametrize("who", [Person(login="", name=""), Person(login="  ", name="Dana")])
def test_a_change_without_its_author_is_refused(book: Book, who: Person) -> None:
    data = CustomerInput("Other", "NA-9002", Region.NORTH_AMERICA, "", Decimal(1), "")
    with pytest.raises(ValueError, match="author"):
        customers.add_customer(book.engine, data, NOW, actor=who)
    with read_session(book.engine) as session:
        assert session.exec(select(CustomerRow).where(CustomerRow.account_number == "NA-9002")).first() is None


@pytest.mark.parametrize("statement", ["UPDATE change_log SET author = 'x'", "DELETE FROM change_log"])
def test_the_log_refuses_update_and_delete(book: Book, statement: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), write_session(book.engine) as session:
        session.connection().execute(text(statement))
    assert [e.author for e in entries(book.engine)] == ["dana"]


def test_seq_only_grows_and_since_reads_what_came_after(book: Book) -> None:
    first = latest(book.engine).seq
    _add_contact(book)
    _add_site(book)
    later = change_log.since(book.engine, first)
    assert [e.entity for e in later] == [Entity.CONTACT, Entity.SITE]
    assert first < later[0].seq < later[1].seq


def test_customer_timeline_pages_newest_first(book: Book) -> None:
    for n in range(5):
        contacts.add_contact(book.engine, book.customer_id, ContactInput(f"C{n}", frozenset(), "", "", None), actor=DANA, now=NOW)
    page = change_log.customer_timeline(book.engine, book.customer_id, 3)
    assert [e.changes["name"][1] for e in page] == ["C4", "C3", "C2"]
    rest = change_log.customer_timeline(book.engine, book.customer_id, 3, before_seq=page[-1].seq)
    assert [e.changes["name"][1] for e in rest] == ["C1", "C0", "Acme"]
    assert change_log.customer_timeline(book.engine, book.customer_id + 1, 3) == []


def test_stream_reads_the_whole_log_in_order(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(change_log, "_STREAM_BATCH", 2)
    for _ in range(4):
        _log_time(book)
    seqs = [e.seq for e in change_log.stream(book.engine)]
    assert len(seqs) == 5 and seqs == sorted(seqs)


def test_a_book_rebuilt_from_nothing_starts_an_empty_log_and_stays_append_only(book: Book) -> None:
    from ccm_tui.store.reset import clear_book

    last = latest(book.engine).seq
    clear_book(book.engine)
    assert entries(book.engine) == []
    made = customers.add_customer(book.engine, CustomerInput("New", "NA-1", Region.EMEA, "", Decimal(1), ""), NOW, actor=DANA)
    assert latest(book.engine).seq > last and latest(book.engine).entity_id == made.id
    with pytest.raises(DatabaseError, match="append-only"), write_session(book.engine) as session:
        session.connection().execute(text("DELETE FROM change_log"))


NAMED = {
    "customer changed": "Acme Ltd",
    "contact created": "Ana Ortiz",
    "contact changed": "Ana",
    "site created": "HQ",
    "site changed": "HQ",
    "agenda item added": "SD-WAN",
    "agenda item removed": "",  # gone: the timeline can only give its number
    "action done": "Send the report",
    "checklist item blocked": "Rack space",
    "incident logged": "Outage",
}


@pytest.mark.parametrize(("change", "entity"), [c[1:3] for c in CASES], ids=[c[0] for c in CASES])
def test_the_timeline_names_each_record_as_it_is_now(
    book: Book, change: Callable[[Book], int], entity: Entity, request: pytest.FixtureRequest
) -> None:
    record_id = change(book)
    case = request.node.callspec.id.split("-")[-1]
    last = change_log.last_change(book.engine, entity, record_id)
    assert last is not None and last.customer_id is not None  # (an imported activation is another customer's)
    timeline = change_log.customer_timeline(book.engine, last.customer_id, 50)
    shown = [e for e in timeline if (e.entity, e.entity_id) == (entity, record_id)]
    assert shown, "the change is on the customer's timeline"
    if case in NAMED:
        assert {e.record for e in shown} == {NAMED[case]}
    else:
        assert all(e.record for e in shown), "a record that still exists is named"


def test_a_step_on_the_timeline_is_named_by_its_site_and_kind(book: Book) -> None:
    _import_activation(book)
    with read_session(book.engine) as session:
        step = session.exec(select(ActivationStepRow).where(ActivationStepRow.status == "validated")).first()
        assert step is not None and step.id is not None
        step_id, version = step.id, step.version
    move_step(
        book.engine,
        step_id,
        version,
        Action.COMPLETE,
        Actor(DANA.author, NOW + timedelta(days=5), BusinessHours(), DANA),
        reason="up",
    )
    customer_id = change_log.last_change(book.engine, Entity.ACTIVATION_STEP, step_id)
    assert customer_id is not None and customer_id.customer_id is not None
    entry, *_older = [
        e
        for e in change_log.customer_timeline(book.engine, customer_id.customer_id, 50)
        if e.entity_id == step_id and e.entity == Entity.ACTIVATION_STEP
    ]
    site, kind = entry.record.split(" · ")
    assert site and kind in {"installation", "activation"}
