"""Corrections on a fresh book, both engines: contacts and sites removed (or refused while in
use), time entries edited and removed; each write with its change-log entry, each refusal
writing nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select, update

from ccm_tui.domain.changes import CHANGED, REMOVED, Entity
from ccm_tui.domain.model import ContactRole, ServiceKind, StepKind, StepStatus, TaskCategory
from ccm_tui.domain.validation import ContactInput, SiteInput, TimeEntryInput
from ccm_tui.errors import InUse, NotFound, StaleEdit
from ccm_tui.store import change_log, tables
from ccm_tui.store.contacts import add_contact, contact_in_use, remove_contact
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.sites import add_site, remove_site, site_in_use
from ccm_tui.store.time_entries import log_time, remove_time_entry, update_time_entry
from tests.actors import ACTOR, AT
from tests.store.calendar_book import NOW, Book

S = StepStatus
LATER = NOW + timedelta(days=10)


@pytest.fixture
def book(engine: Engine) -> Book:
    return Book(engine)


def log_count(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(tables.ChangeLogRow)) or 0


def search_text(engine: Engine, customer_id: int) -> str:
    with read_session(engine) as session:
        row = session.get(tables.CustomerRow, customer_id)
        assert row is not None
        return row.search_text


def ann(book: Book, customer: int) -> int:
    return add_contact(
        book.engine,
        customer,
        ContactInput("Ann Quist", frozenset({ContactRole.DESIGNATED}), "+1 212 555 0199", "ann@acme.test", None),
        actor=ACTOR,
        now=AT,
    ).id


def history_naming(engine: Engine, activation_id: int, contact_id: int, action: str) -> None:
    with write_session(engine) as session:
        session.add(
            tables.ActivationChangeRow(
                activation_id=activation_id,
                step_kind=StepKind.ACTIVATION.value,
                at=NOW.replace(tzinfo=None),
                who="Alex Morgan",
                action=action,
                from_status=S.CONFIRMED.value,
                to_status=S.VALIDATED.value,
                contact_id=contact_id,
            )
        )


# -- contacts -----------------------------------------------------------------------------------


def test_a_contact_nobody_uses_is_removed_with_its_fields_in_the_log(book: Book) -> None:
    customer = book.customer("Acme")
    contact_id = ann(book, customer)
    assert "ann quist" in search_text(book.engine, customer)
    removed = remove_contact(book.engine, contact_id, 1, actor=ACTOR, now=AT)
    assert removed.name == "Ann Quist"
    with read_session(book.engine) as session:
        assert session.get(tables.ContactRow, contact_id) is None
    assert "ann quist" not in search_text(book.engine, customer)  # no longer found by `/`
    entry = change_log.last_change(book.engine, Entity.CONTACT, contact_id)
    assert entry is not None
    assert (entry.action, entry.customer_id, entry.author) == (REMOVED, customer, ACTOR.login)
    assert entry.changes == {
        "name": ("Ann Quist", None),
        "roles": ("designated", None),
        "phone": ("+1 212 555 0199", None),
        "email": ("ann@acme.test", None),
    }


def test_removing_a_contact_checks_the_version_shown(book: Book) -> None:
    contact_id = ann(book, book.customer("Acme"))
    entries = log_count(book.engine)
    with pytest.raises(StaleEdit):
        remove_contact(book.engine, contact_id, 2, actor=ACTOR, now=AT)
    with pytest.raises(NotFound):
        remove_contact(book.engine, contact_id + 100, 1, actor=ACTOR, now=AT)
    assert log_count(book.engine) == entries


@pytest.mark.parametrize(
    ("named_as", "words"),
    [
        ("ip_letter_contact", "the IP configuration letter went to them"),
        ("validate", "they validated its date"),
        ("reminder_5bd", "they were reminded of its date"),
    ],
)
def test_a_contact_an_activation_in_progress_names_is_kept(book: Book, named_as: str, words: str) -> None:
    customer = book.customer("Acme")
    contact_id = ann(book, customer)
    order = book.order(customer, date(2026, 12, 31), (ServiceKind.MRS,))
    activation, _ = book.activation(
        customer, order, book.site(customer, "HQ"), ServiceKind.MRS, steps=[(StepKind.ACTIVATION, LATER, S.VALIDATED)]
    )
    if named_as == "ip_letter_contact":
        with write_session(book.engine) as session:
            session.execute(update(tables.ActivationRow).values(ip_letter_contact_id=contact_id))
    else:
        history_naming(book.engine, activation, contact_id, named_as)
    entries = log_count(book.engine)
    with read_session(book.engine) as session:
        reason = contact_in_use(session, contact_id)
    assert reason == f"Ann Quist is named by the MRS activation at HQ (order ORD-0002), which is not finished: {words}"
    with pytest.raises(InUse, match="which is not finished"):
        remove_contact(book.engine, contact_id, 1, actor=ACTOR, now=AT)
    assert log_count(book.engine) == entries
    with read_session(book.engine) as session:
        assert session.get(tables.ContactRow, contact_id) is not None


def test_a_finished_activation_does_not_hold_its_contacts(book: Book) -> None:
    customer = book.customer("Acme")
    contact_id = ann(book, customer)
    order = book.order(customer, date(2026, 12, 31))
    steps = [(StepKind.INSTALLATION, NOW - timedelta(days=9), S.COMPLETED), (StepKind.ACTIVATION, NOW, S.CANCELLED)]
    activation, _ = book.activation(customer, order, book.site(customer, "HQ"), steps=steps)
    history_naming(book.engine, activation, contact_id, "validate")
    with read_session(book.engine) as session:
        assert contact_in_use(session, contact_id) is None
    remove_contact(book.engine, contact_id, 1, actor=ACTOR, now=AT)
    with read_session(book.engine) as session:  # the history row stays, without the contact
        assert [r.contact_id for r in session.scalars(select(tables.ActivationChangeRow))] == [None]


# -- sites --------------------------------------------------------------------------------------


def test_a_site_without_activations_is_removed_with_its_fields_in_the_log(book: Book) -> None:
    customer = book.customer("Acme")
    site = add_site(
        book.engine, customer, SiteInput("Depot", "3 rue de la Gare", "Lyon", "FR", "Europe/Paris"), actor=ACTOR, now=AT
    )
    assert "lyon" in search_text(book.engine, customer)
    with pytest.raises(StaleEdit):
        remove_site(book.engine, site.id, 2, actor=ACTOR, now=AT)
    remove_site(book.engine, site.id, 1, actor=ACTOR, now=AT)
    assert "lyon" not in search_text(book.engine, customer)
    entry = change_log.last_change(book.engine, Entity.SITE, site.id)
    assert entry is not None
    assert (entry.action, entry.customer_id) == (REMOVED, customer)
    assert entry.changes == {
        "name": ("Depot", None),
        "address": ("3 rue de la Gare", None),
        "city": ("Lyon", None),
        "country": ("FR", None),
        "timezone": ("Europe/Paris", None),
    }


@pytest.mark.parametrize("status", [S.VALIDATED, S.COMPLETED, S.CANCELLED])
def test_a_site_with_any_activation_is_kept(book: Book, status: StepStatus) -> None:
    customer = book.customer("Acme")
    site = book.site(customer, "HQ")
    for day in (date(2026, 12, 31), date(2027, 1, 31)):
        book.activation(customer, book.order(customer, day), site, steps=[(StepKind.ACTIVATION, LATER, status)])
    entries = log_count(book.engine)
    with read_session(book.engine) as session:
        reason = site_in_use(session, site)
    assert reason == "HQ has 2 activations (orders ORD-0002, ORD-0003): removing the site would delete them and their history"
    with pytest.raises(InUse, match="would delete them"):
        remove_site(book.engine, site, 1, actor=ACTOR, now=AT)
    assert log_count(book.engine) == entries
    with read_session(book.engine) as session:
        assert session.scalar(select(func.count()).select_from(tables.ActivationRow)) == 2


# -- time entries -------------------------------------------------------------------------------


def test_a_time_entry_is_corrected_and_removed_with_log_entries(book: Book) -> None:
    customer = book.customer("Acme")
    logged = log_time(
        book.engine, customer, TimeEntryInput(date(2026, 11, 2), Decimal("1.5"), TaskCategory.FINANCE, "call"), ACTOR, AT
    )
    fixed = update_time_entry(
        book.engine, logged.id, logged, TimeEntryInput(date(2026, 11, 3), Decimal("2"), TaskCategory.FINANCE, "call"), ACTOR, AT
    )
    assert (fixed.day, fixed.hours, fixed.who) == (date(2026, 11, 3), Decimal("2.00"), ACTOR.author)
    entry = change_log.last_change(book.engine, Entity.TIME_ENTRY, logged.id)
    assert entry is not None
    assert (entry.action, entry.customer_id) == (CHANGED, customer)
    assert entry.changes == {"day": ("2026-11-02", "2026-11-03"), "minutes": (90, 120)}
    entries = log_count(book.engine)
    # what the CCM was shown is checked: a form opened on the old entry is stale
    with pytest.raises(StaleEdit):
        update_time_entry(
            book.engine, logged.id, logged, TimeEntryInput(date(2026, 11, 3), Decimal("3"), TaskCategory.FINANCE, ""), ACTOR, AT
        )
    with pytest.raises(StaleEdit):
        remove_time_entry(book.engine, logged.id, logged, ACTOR, AT)
    # a save that changes nothing writes nothing
    same = TimeEntryInput(fixed.day, fixed.hours, fixed.category, fixed.note)
    assert update_time_entry(book.engine, logged.id, fixed, same, ACTOR, AT) == fixed
    assert log_count(book.engine) == entries
    remove_time_entry(book.engine, logged.id, fixed, ACTOR, AT)
    with read_session(book.engine) as session:
        assert session.get(tables.TimeEntryRow, logged.id) is None
    entry = change_log.last_change(book.engine, Entity.TIME_ENTRY, logged.id)
    assert entry is not None
    assert entry.action == REMOVED
    assert entry.changes == {
        "day": ("2026-11-03", None),
        "minutes": (120, None),
        "category": ("finance", None),
        "note": ("call", None),
        "who": (ACTOR.author, None),
    }
    with pytest.raises(NotFound):
        remove_time_entry(book.engine, logged.id, None, ACTOR, AT)
