"""The one door from the UI and the CLI into the book.

`Services` binds the engine, the settings and the clock, so a screen asks
"the book page for this query" and never thinks about SQL, UTC or which
month it is. Importing this module imports the ORM: the app does it in a
worker after the first frame.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ccm_tui import locations
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import Clock
from ccm_tui.config import Settings
from ccm_tui.domain.book import BookPage, BookQuery, CustomerDetail, CustomerHit
from ccm_tui.domain.calendar import BusinessHours
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
from ccm_tui.store.engine import make_engine
from ccm_tui.store.migrate import MigrationResult, upgrade

if TYPE_CHECKING:
    from ccm_tui.services.agenda import AgendaService
    from ccm_tui.services.calendar import CalendarService
    from ccm_tui.services.checklists import ChecklistService
    from ccm_tui.services.exchange import ExchangeService


class Services:
    def __init__(self, engine: Engine, settings: Settings, clock: Clock) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock

    # -- time, as the CCM sees it -------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.now().astimezone(ZoneInfo(self.settings.time_zone)).date()

    @property
    def business_hours(self) -> BusinessHours:
        return BusinessHours(start=self.settings.business_start, end=self.settings.business_end)

    # -- the customer book --------------------------------------------------------
    def book_page(self, query: BookQuery) -> BookPage:
        return book_page.book_page(self.engine, query, self.now(), month_start(self.today()), self.business_hours)

    def find_customers(self, text: str, limit: int = 20) -> list[CustomerHit]:
        return book_page.find_customers(self.engine, text, limit)

    def get_customer(self, customer_id: int) -> Customer:
        return customer_detail.get_customer(self.engine, customer_id)

    def customer_detail(self, customer_id: int) -> CustomerDetail:
        return customer_detail.customer_detail(self.engine, customer_id, self.now(), month_start(self.today()))

    def add_customer(self, data: CustomerInput) -> Customer:
        return customers.add_customer(self.engine, data, self.now())

    def update_customer(self, customer_id: int, version: int, data: CustomerInput) -> Customer:
        return customers.update_customer(self.engine, customer_id, version, data, self.now())

    def add_contact(self, customer_id: int, data: ContactInput) -> Contact:
        return contacts.add_contact(self.engine, customer_id, data)

    def update_contact(self, contact_id: int, version: int, data: ContactInput) -> Contact:
        return contacts.update_contact(self.engine, contact_id, version, data)

    def mark_contact_reviewed(self, contact_id: int) -> Contact:
        return contacts.mark_reviewed(self.engine, contact_id, self.today())

    def add_site(self, customer_id: int, data: SiteInput) -> Site:
        return sites.add_site(self.engine, customer_id, data)

    def update_site(self, site_id: int, version: int, data: SiteInput) -> Site:
        return sites.update_site(self.engine, site_id, version, data)

    def log_time(self, customer_id: int, data: TimeEntryInput) -> TimeEntry:
        return time_entries.log_time(self.engine, customer_id, data, self.settings.ccm_name)

    # -- the activation calendar (issue 3) -------------------------------------------
    @functools.cached_property
    def calendar(self) -> CalendarService:
        from ccm_tui.services.calendar import CalendarService

        return CalendarService(self)

    # -- pre-activation checklists (issue 4) ----------------------------------------
    @functools.cached_property
    def checklists(self) -> ChecklistService:
        from ccm_tui.services.checklists import ChecklistService

        return ChecklistService(self)

    # -- service reviews (issue 5) ------------------------------------------------
    @functools.cached_property
    def agenda(self) -> AgendaService:
        from ccm_tui.services.agenda import AgendaService

        return AgendaService(self)

    # -- import and export (issue 6) ------------------------------------------------
    @functools.cached_property
    def exchange(self) -> ExchangeService:
        from ccm_tui.services.exchange import ExchangeService

        return ExchangeService(self)


def open_book(book: BookLocation, settings: Settings, clock: Clock) -> tuple[Services, MigrationResult | None]:
    """Open (creating or upgrading) the book; the demo is rebuilt when stale."""
    engine = make_engine(book.url)
    result = upgrade(engine, book.path, locations.backups_dir(), clock.now())
    services = Services(engine, settings, clock)
    if book.demo:
        from ccm_tui.store.demo import build_demo_book, demo_is_current
        from ccm_tui.store.reset import clear_book

        if not demo_is_current(engine, services.today()):
            clear_book(engine)
            build_demo_book(engine, services.today(), services.now())
    return services, result
