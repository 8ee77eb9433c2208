"""BookService: the customer book's door for the UI and the CLI.

It binds the clock (pages and details count this month's hours and the
next event from now), the business hours and the CCM's name (whom logged
time is recorded as), so a screen asks "the page for this query" or "save
this contact" and nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccm_tui.domain.book import BookPage, BookQuery, CustomerDetail, CustomerHit
from ccm_tui.domain.book_search import PER_KIND, BookHit
from ccm_tui.domain.ccm_filter import CcmFilter, ccm_choices, spellings_of
from ccm_tui.domain.changes import ChangeEntry, Entity
from ccm_tui.domain.hours import month_start
from ccm_tui.domain.model import Contact, Customer, Site, TimeEntry
from ccm_tui.domain.validation import (
    ContactInput,
    CustomerInput,
    SiteInput,
    TimeEntryInput,
)
from ccm_tui.store import (
    book_page,
    book_search,
    calendar,
    change_log,
    contacts,
    customer_detail,
    customers,
    people,
    sites,
    time_entries,
)

if TYPE_CHECKING:
    from ccm_tui.services import Services


class BookService:
    def __init__(self, services: Services) -> None:
        self._services = services

    # -- reading ------------------------------------------------------------------
    def book_page(self, query: BookQuery) -> BookPage:
        s = self._services
        return book_page.book_page(s.engine, query, s.now(), month_start(s.today()), s.business_hours)

    def find_customers(self, text: str, limit: int = 20) -> list[CustomerHit]:
        return book_page.find_customers(self._services.engine, text, limit)

    def find_in_book(self, text: str, per_kind: int = PER_KIND) -> list[BookHit]:
        """Contacts (name, phone, e-mail), cities, orders and activations holding `text`, any case or accents."""
        return book_search.find_in_book(self._services.engine, text, per_kind)

    def get_customer(self, customer_id: int) -> Customer:
        return customer_detail.get_customer(self._services.engine, customer_id)

    def customer_detail(self, customer_id: int) -> CustomerDetail:
        s = self._services
        return customer_detail.customer_detail(s.engine, customer_id, s.now(), month_start(s.today()))

    # -- whose customers ------------------------------------------------------------
    def ccm_choices(self) -> list[str]:
        """The CCMs to pick from (a filter, the form's suggestions): the people's names and those customers name."""
        engine = self._services.engine
        return ccm_choices((person.name for person in people.list_people(engine)), calendar.ccm_names(engine))

    def my_customers(self) -> CcmFilter:
        """The session's person's customers: their CCM is the person's name or login, in any case."""
        actor = self._services.actor
        spellings = spellings_of((actor.name, actor.login), calendar.ccm_names(self._services.engine))
        return CcmFilter(actor.author, spellings, mine=True)

    def customers_of(self, name: str) -> CcmFilter:
        """The customers whose CCM is `name` in any case; a person of that name owns those under their login too."""
        engine = self._services.engine
        logins = [p.login for p in people.list_people(engine) if p.name.casefold() == name.strip().casefold()]
        return CcmFilter(name.strip(), spellings_of((name, *logins), calendar.ccm_names(engine)))

    # -- writing ------------------------------------------------------------------
    def add_customer(self, data: CustomerInput) -> Customer:
        s = self._services
        return customers.add_customer(s.engine, data, s.now(), actor=s.actor)

    def update_customer(self, customer_id: int, version: int, data: CustomerInput) -> Customer:
        s = self._services
        return customers.update_customer(s.engine, customer_id, version, data, s.now(), actor=s.actor)

    def add_contact(self, customer_id: int, data: ContactInput) -> Contact:
        s = self._services
        return contacts.add_contact(s.engine, customer_id, data, actor=s.actor, now=s.now())

    def update_contact(self, contact_id: int, version: int, data: ContactInput) -> Contact:
        s = self._services
        return contacts.update_contact(s.engine, contact_id, version, data, actor=s.actor, now=s.now())

    def mark_contact_reviewed(self, contact_id: int) -> Contact:
        s = self._services
        return contacts.mark_reviewed(s.engine, contact_id, s.today(), actor=s.actor, now=s.now())

    def contact_in_use(self, contact_id: int) -> str | None:
        """Why the contact cannot be removed now (an activation in progress names it), or None."""
        return contacts.removal_refusal(self._services.engine, contact_id)

    def remove_contact(self, contact_id: int, version: int) -> Contact:
        """Remove the contact shown at `version`; InUse, saying why, while an activation in progress names it."""
        s = self._services
        return contacts.remove_contact(s.engine, contact_id, version, actor=s.actor, now=s.now())

    def add_site(self, customer_id: int, data: SiteInput) -> Site:
        s = self._services
        return sites.add_site(s.engine, customer_id, data, actor=s.actor, now=s.now())

    def update_site(self, site_id: int, version: int, data: SiteInput) -> Site:
        s = self._services
        return sites.update_site(s.engine, site_id, version, data, actor=s.actor, now=s.now())

    def site_in_use(self, site_id: int) -> str | None:
        """Why the site cannot be removed now (activations are at it), or None."""
        return sites.removal_refusal(self._services.engine, site_id)

    def remove_site(self, site_id: int, version: int) -> Site:
        """Remove the site shown at `version`; InUse, saying why, while any activation is at it."""
        s = self._services
        return sites.remove_site(s.engine, site_id, version, actor=s.actor, now=s.now())

    def log_time(self, customer_id: int, data: TimeEntryInput) -> TimeEntry:
        s = self._services
        return time_entries.log_time(s.engine, customer_id, data, s.actor, s.now())

    def update_time_entry(self, seen: TimeEntry, data: TimeEntryInput) -> TimeEntry:
        """Correct the entry as shown (`seen`); StaleEdit if someone changed it since."""
        s = self._services
        return time_entries.update_time_entry(s.engine, seen.id, seen, data, s.actor, s.now())

    def remove_time_entry(self, seen: TimeEntry) -> TimeEntry:
        """Remove the entry as shown (`seen`); StaleEdit if someone changed it since."""
        s = self._services
        return time_entries.remove_time_entry(s.engine, seen.id, seen, s.actor, s.now())

    # -- the change log -----------------------------------------------------------
    def customer_timeline(self, customer_id: int, limit: int, before_seq: int | None = None) -> list[ChangeEntry]:
        """What happened to the customer and its records, newest first, `limit` entries before `before_seq`."""
        return change_log.customer_timeline(self._services.engine, customer_id, limit, before_seq)

    def last_change(self, entity: Entity, entity_id: int) -> ChangeEntry | None:
        return change_log.last_change(self._services.engine, entity, entity_id)
