"""Contacts: add, edit with a version check, mark reviewed; the book's `/` text follows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import ContactRole, Region
from ccm_tui.domain.validation import ContactInput, CustomerInput
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store import tables
from ccm_tui.store.book_page import book_page
from ccm_tui.store.contacts import add_contact, mark_reviewed, update_contact
from ccm_tui.store.customer_detail import customer_detail
from ccm_tui.store.customers import add_customer
from ccm_tui.store.engine import read_session
from tests.actors import ACTOR, AT

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
DESIGNATED = frozenset({ContactRole.DESIGNATED})


@pytest.fixture
def people(engine):
    return engine  # a migrated book of its own, on each engine (tests/store/conftest.py)


@pytest.fixture
def acme(people):
    return add_customer(people, CustomerInput("Acme", "NA-1", Region.NORTH_AMERICA, "Dana", Decimal(8), ""), NOW, actor=ACTOR)


def matching(engine, text):
    return [r.name for r in book_page(engine, BookQuery(text=text), NOW, date(2026, 3, 1), BusinessHours()).rows]


def contact_rows(engine):
    with read_session(engine) as session:
        return [r.model_dump() for r in session.exec(select(tables.ContactRow))]


def test_add_contact_round_trips_and_is_searchable(people, acme):
    roles = frozenset({ContactRole.SITE_TECHNICAL, ContactRole.BILLING})
    made = add_contact(
        people, acme.id, ContactInput("Ana Ortiz", roles, "+1 555 0100", "ana@acme.test", date(2026, 1, 5)), actor=ACTOR, now=AT
    )
    assert (made.customer_id, made.name, made.roles, made.version) == (acme.id, "Ana Ortiz", roles, 1)
    assert (made.phone, made.email, made.last_reviewed) == ("+1 555 0100", "ana@acme.test", date(2026, 1, 5))
    assert customer_detail(people, acme.id, NOW, date(2026, 3, 1)).contacts == (made,)
    assert contact_rows(people)[0]["roles"] == "billing,technical"
    assert matching(people, "ortiz") == ["Acme"]


def test_add_contact_to_a_missing_customer_is_not_found(people, acme):
    with pytest.raises(NotFound):
        add_contact(people, acme.id + 1, ContactInput("Ana", DESIGNATED, "", "", None), actor=ACTOR, now=AT)
    assert contact_rows(people) == []


def test_update_contact_bumps_version_and_refreshes_search(people, acme):
    made = add_contact(people, acme.id, ContactInput("Ana", DESIGNATED, "", "", None), actor=ACTOR, now=AT)
    saved = update_contact(people, made.id, 1, ContactInput("Beatriz", frozenset(), "555 0101 22", "", None), actor=ACTOR, now=AT)
    assert (saved.name, saved.roles, saved.phone, saved.version) == ("Beatriz", frozenset(), "555 0101 22", 2)
    assert matching(people, "beatriz") == ["Acme"]
    assert matching(people, "ana") == []


def test_stale_contact_edit_writes_nothing(people, acme):
    made = add_contact(people, acme.id, ContactInput("Ana", DESIGNATED, "", "", None), actor=ACTOR, now=AT)
    update_contact(people, made.id, 1, ContactInput("Ana B", DESIGNATED, "", "", None), actor=ACTOR, now=AT)
    before = contact_rows(people)
    with pytest.raises(StaleEdit):
        update_contact(people, made.id, 1, ContactInput("Lost", DESIGNATED, "", "", None), actor=ACTOR, now=AT)
    assert contact_rows(people) == before
    assert matching(people, "lost") == []


def test_mark_reviewed_sets_the_day_and_makes_open_edits_stale(people, acme):
    made = add_contact(people, acme.id, ContactInput("Ana", DESIGNATED, "", "", None), actor=ACTOR, now=AT)
    reviewed = mark_reviewed(people, made.id, date(2026, 3, 9), actor=ACTOR, now=AT)
    assert (reviewed.last_reviewed, reviewed.version, reviewed.name) == (date(2026, 3, 9), 2, "Ana")
    with pytest.raises(StaleEdit):
        update_contact(people, made.id, made.version, ContactInput("Ana", DESIGNATED, "", "", None), actor=ACTOR, now=AT)


def test_missing_contacts_are_not_found(people, acme):
    with pytest.raises(NotFound):
        update_contact(people, 99, 1, ContactInput("Ana", DESIGNATED, "", "", None), actor=ACTOR, now=AT)
    with pytest.raises(NotFound):
        mark_reviewed(people, 99, date(2026, 3, 9), actor=ACTOR, now=AT)
