"""BookService: the customer book's door for the UI and the CLI.

It binds the clock (pages and details count this month's hours and the
next event from now), the business hours and the CCM's name (whom logged
time is recorded as), so a screen asks "the page for this query" or "save
this contact" and nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccm_tui.domain.book import BookPage, BookQuery, CustomerDetail, CustomerHit
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
    contacts,
    customer_detail,
    customers,
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

    def get_customer(self, customer_id: int) -> Customer:
        return customer_detail.get_customer(self._services.engine, customer_id)

    def customer_detail(self, customer_id: int) -> CustomerDetail:
        s = self._services
        return customer_detail.customer_detail(s.engine, customer_id, s.now(), month_start(s.today()))

    # -- writing ------------------------------------------------------------------
    def add_customer(self, data: CustomerInput) -> Customer:
        return customers.add_customer(self._services.engine, data, self._services.now())

    def update_customer(self, customer_id: int, version: int, data: CustomerInput) -> Customer:
        return customers.update_customer(self._services.engine, customer_id, version, data, self._services.now())

    def add_contact(self, customer_id: int, data: ContactInput) -> Contact:
        return contacts.add_contact(self._services.engine, customer_id, data)

    def update_contact(self, contact_id: int, version: int, data: ContactInput) -> Contact:
        return contacts.update_contact(self._services.engine, contact_id, version, data)

    def mark_contact_reviewed(self, contact_id: int) -> Contact:
        return contacts.mark_reviewed(self._services.engine, contact_id, self._services.today())

    def add_site(self, customer_id: int, data: SiteInput) -> Site:
        return sites.add_site(self._services.engine, customer_id, data)

    def update_site(self, site_id: int, version: int, data: SiteInput) -> Site:
        return sites.update_site(self._services.engine, site_id, version, data)

    def log_time(self, customer_id: int, data: TimeEntryInput) -> TimeEntry:
        return time_entries.log_time(self._services.engine, customer_id, data, self._services.settings.ccm_name)
