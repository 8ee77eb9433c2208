"""Undo and redo on both engines: the record as it was, the undo itself in the log, and refusals that write nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.changes import CREATED, REMOVED, ChangeEntry, Entity
from ccm_tui.domain.model import Region, StepStatus, TaskCategory
from ccm_tui.domain.status import Action
from ccm_tui.domain.undo import REDO, UNDO
from ccm_tui.domain.validation import ContactInput, CustomerInput, SiteInput, TimeEntryInput
from ccm_tui.store import change_log, contacts, customers, sites, time_entries
from ccm_tui.store.activations import Actor, move_step
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ActivationChangeRow, ActivationStepRow, ContactRow, CustomerRow
from ccm_tui.store.undo import _ROWS, UndoRefused, turn_back, undo_state_of
from tests.store.test_change_log import (
    DANA,
    NOW,
    Book,
    _add_agenda_item,
    _add_contact,
    _add_site,
    _checklist_item,
    _close_incident,
    _edit_contact,
    _edit_customer,
    _edit_site,
    _import_activation,
    _log_time,
    _minutes,
    _remove_agenda_item,
    _set_cadence,
)
from tests.store.test_change_log import book as book

SAM = DANA.__class__(login="sam", name="Sam Okafor", role=DANA.role)
HOURS = BusinessHours()


def actor(person: Any = DANA) -> Actor:
    return Actor(who=person.author, now=NOW, hours=HOURS, person=person)


def undo(engine: Engine, person: Any = DANA) -> str:
    change = undo_state_of(engine, person.login).undo
    if change is None:
        raise UndoRefused("nothing to undo")
    return turn_back(engine, change, UNDO, actor(person))


def redo(engine: Engine, person: Any = DANA) -> str:
    change = undo_state_of(engine, person.login).redo
    if change is None:
        raise UndoRefused("nothing to redo")
    return turn_back(engine, change, REDO, actor(person))


def record(engine: Engine, entity: Entity, record_id: int) -> dict[str, Any] | None:
    """The record's editable fields as the book holds them (None: not in the book)."""
    with read_session(engine) as session:
        row = session.get(_ROWS[entity], record_id)
        return None if row is None else {k: change_log.plain(v) for k, v in change_log.fields_of(row).items()}


def last_entry(engine: Engine) -> ChangeEntry:
    return change_log.since(engine, 0)[-1]


def _remove_contact(b: Book) -> int:
    made = _add_contact(b)
    contacts.remove_contact(b.engine, made, 1, actor=DANA, now=NOW)
    return made


def _remove_site(b: Book) -> int:
    made = _add_site(b)
    sites.remove_site(b.engine, made, 1, actor=DANA, now=NOW)
    return made


def _correct_time(b: Book) -> int:
    made = _log_time(b)
    data = TimeEntryInput(date(2026, 11, 23), Decimal("2.25"), TaskCategory.RELATIONSHIP, "call, and the notes")
    time_entries.update_time_entry(b.engine, made, None, data, DANA, NOW)
    return made


def _remove_time(b: Book) -> int:
    made = _log_time(b)
    time_entries.remove_time_entry(b.engine, made, None, DANA, NOW)
    return made


CASES: list[tuple[str, Callable[[Book], int], Entity]] = [
    ("contact removed", _remove_contact, Entity.CONTACT),
    ("site removed", _remove_site, Entity.SITE),
    ("time corrected", _correct_time, Entity.TIME_ENTRY),
    ("time removed", _remove_time, Entity.TIME_ENTRY),
    ("customer changed", _edit_customer, Entity.CUSTOMER),
    ("review cadence set", _set_cadence, Entity.CUSTOMER),
    ("contact created", _add_contact, Entity.CONTACT),
    ("contact changed", _edit_contact, Entity.CONTACT),
    ("site created", _add_site, Entity.SITE),
    ("site changed", _edit_site, Entity.SITE),
    ("time logged", _log_time, Entity.TIME_ENTRY),
    ("incident closed", _close_incident, Entity.INCIDENT),
    ("agenda item added", _add_agenda_item, Entity.AGENDA_ITEM),
    ("minutes taken", _minutes, Entity.AGENDA_ITEM),
    ("agenda item removed", _remove_agenda_item, Entity.AGENDA_ITEM),
    ("checklist item blocked", _checklist_item, Entity.CHECKLIST_ITEM),
]


@pytest.mark.parametrize(("change", "entity"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_undo_puts_the_record_back_and_redo_puts_the_change_again(book: Book, change, entity) -> None:  # type: ignore[no-untyped-def]
    record_id = change(book)
    done = last_entry(book.engine)
    after = record(book.engine, entity, record_id)

    undo(book.engine)
    undone = record(book.engine, entity, record_id)
    if done.action == CREATED:
        assert undone is None
    elif done.action == REMOVED:
        assert undone is not None and all(undone[name] == was for name, (was, _) in done.changes.items())
    else:
        assert undone is not None
        for name, (was, _now) in done.changes.items():
            assert undone[name] == was or (undone[name] in (None, "") and was in (None, "")), name
    entry = last_entry(book.engine)
    assert (entry.author, entry.reason, entry.reverts) == ("dana", UNDO, done.txn)

    redo(book.engine)
    assert record(book.engine, entity, record_id) == after
    assert (last_entry(book.engine).reason, last_entry(book.engine).reverts) == (REDO, entry.txn)


def test_undo_redo_undo_again_and_a_new_change_ends_redo(book: Book) -> None:
    contact_id = _edit_contact(book)  # created, then the phone changed to 555 0199
    phone = lambda: record(book.engine, Entity.CONTACT, contact_id)["phone"]  # type: ignore[index]  # noqa: E731
    assert undo(book.engine) == "changed contact Ana" and phone() == "555 0100"
    assert redo(book.engine) == "changed contact Ana" and phone() == "555 0199"
    undo(book.engine)
    undo(book.engine)  # then the creation: the contact is gone
    assert record(book.engine, Entity.CONTACT, contact_id) is None
    redo(book.engine)
    assert phone() == "555 0100"
    _add_contact(book)  # a new change: nothing left to redo
    with pytest.raises(UndoRefused):
        redo(book.engine)


def test_someone_elses_later_edit_is_never_overwritten(book: Book) -> None:
    contact_id = _edit_contact(book)
    with read_session(book.engine) as session:
        version = session.get(ContactRow, contact_id).version  # type: ignore[union-attr]
    contacts.update_contact(
        book.engine, contact_id, version, ContactInput("Ana", frozenset(), "555 0777", "", None), actor=SAM, now=NOW
    )
    entries = len(change_log.since(book.engine, 0))
    with pytest.raises(UndoRefused, match="changed since"):
        undo(book.engine)
    assert record(book.engine, Entity.CONTACT, contact_id)["phone"] == "555 0777"  # type: ignore[index]
    assert len(change_log.since(book.engine, 0)) == entries  # nothing written
    undo(book.engine, SAM)  # Sam's own undo is Sam's change
    assert record(book.engine, Entity.CONTACT, contact_id)["phone"] == "555 0199"  # type: ignore[index]


def test_undone_names_come_back_to_the_customers_search_text(book: Book) -> None:
    _add_contact(book)  # Ana Ortiz
    undo(book.engine)
    with read_session(book.engine) as session:
        assert "ortiz" not in session.get(CustomerRow, book.customer_id).search_text  # type: ignore[union-attr]
    redo(book.engine)
    with read_session(book.engine) as session:
        assert "ortiz" in session.get(CustomerRow, book.customer_id).search_text  # type: ignore[union-attr]


def test_a_step_moves_back_with_a_history_line(book: Book) -> None:
    activation_id = _import_activation(book)
    with read_session(book.engine) as session:
        step = session.exec(
            select(ActivationStepRow).where(
                ActivationStepRow.activation_id == activation_id,
                ActivationStepRow.kind == "installation",
                ActivationStepRow.status == StepStatus.CONFIRMED.value,
            )
        ).one()
        contact = session.exec(select(ContactRow).where(ContactRow.customer_id == step.customer_id)).first()
    assert step.id is not None and contact is not None
    move_step(book.engine, step.id, step.version, Action.VALIDATE, actor(), contact_id=contact.id)
    assert undo(book.engine).startswith("validate")
    with read_session(book.engine) as session:
        now = session.get(ActivationStepRow, step.id)
        assert now is not None and now.status == StepStatus.CONFIRMED.value
        history = session.exec(
            select(ActivationChangeRow).where(ActivationChangeRow.activation_id == activation_id).order_by(ActivationChangeRow.id)  # type: ignore[arg-type]
        ).all()
    assert (history[-1].action, history[-1].from_status, history[-1].to_status) == ("undo", "validated", "confirmed")
    assert history[-1].reason == "undo validate"
    redo(book.engine)
    with read_session(book.engine) as session:
        assert session.get(ActivationStepRow, step.id).status == StepStatus.VALIDATED.value  # type: ignore[union-attr]


def test_what_cannot_be_undone_writes_nothing(book: Book) -> None:
    _import_activation(book)  # by Lee: Dana has nothing of hers after her customer
    lee = DANA.__class__(login="lee", name="Lee Import", role=DANA.role)
    entries = len(change_log.since(book.engine, 0))
    with pytest.raises(UndoRefused, match="import"):
        undo(book.engine, lee)
    assert len(change_log.since(book.engine, 0)) == entries


def test_a_new_customer_with_records_is_not_undone(book: Book) -> None:
    other = customers.add_customer(
        book.engine, CustomerInput("Bolt", "NA-9002", Region.NORTH_AMERICA, "Dana", Decimal(8), ""), NOW, actor=SAM
    )
    contacts.add_contact(book.engine, other.id, ContactInput("Ben", frozenset(), "1", "", None), actor=DANA, now=NOW)
    undo(book.engine, DANA)  # Dana's contact goes
    contacts.add_contact(book.engine, other.id, ContactInput("Bea", frozenset(), "1", "", None), actor=DANA, now=NOW)
    with pytest.raises(UndoRefused, match="contacts"):
        undo(book.engine, SAM)  # Sam's customer has Dana's contact now
    assert record(book.engine, Entity.CUSTOMER, other.id) is not None


def test_a_removed_site_whose_name_was_taken_since_is_refused_not_crashed(book: Book) -> None:
    _remove_site(book)  # HQ, removed
    sites.add_site(
        book.engine, book.customer_id, SiteInput("HQ", "2 Side St", "Boston", "US", "America/New_York"), actor=SAM, now=NOW
    )
    entries = len(change_log.since(book.engine, 0))
    with pytest.raises(UndoRefused, match="same name"):
        undo(book.engine)  # Dana's removal: making HQ again would clash with Sam's new HQ
    assert len(change_log.since(book.engine, 0)) == entries
