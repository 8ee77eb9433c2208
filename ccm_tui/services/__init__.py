"""The one door from the UI and the CLI into the book.

`Services` binds the engine, the settings and the clock, and holds one
service per feature (`book`, `calendar`, `checklists`, `agenda`,
`exchange`), so a screen asks `services.book.book_page(query)` and never
thinks about SQL, UTC or which month it is. Opening a book imports the
ORM (`open_book`): the app does it in a worker after the first frame, and
this package itself imports none of it, so a light door such as
`services/glance.py` costs the first frame nothing.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ccm_tui import locations
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import Clock
from ccm_tui.config import Settings
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.people import WRITABLE, Access, Person

if TYPE_CHECKING:
    from ccm_tui.services.agenda import AgendaService
    from ccm_tui.services.book import BookService
    from ccm_tui.services.calendar import CalendarService
    from ccm_tui.services.checklists import ChecklistService
    from ccm_tui.services.exchange import ExchangeService
    from ccm_tui.services.undo import UndoService
    from ccm_tui.services.watch import WatchService
    from ccm_tui.store.engine import Engine
    from ccm_tui.store.migrate import MigrationResult


class Services:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        clock: Clock,
        actor: Person | None = None,
        access: Access = WRITABLE,
        book_hours: tuple[time, time] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock
        # a team book's business hours, the same for everyone in it; else config.toml's (business_hours)
        self.book_hours = book_hours
        # who is acting: every write of this session is theirs (the change log's author)
        if actor is None:
            from ccm_tui.services.people import local_person

            actor = local_person(settings)
        self.actor = actor
        # what the database will let this session write: the UI shows only that
        self.access = access

    # -- time, as the CCM sees it -------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.now().astimezone(ZoneInfo(self.settings.time_zone)).date()

    def book_mark(self) -> int:
        """Where the book's change log stands: while it has not moved, what was read at this mark is the book's."""
        from ccm_tui.store import change_log

        return change_log.last_seq(self.engine)

    @property
    def business_hours(self) -> BusinessHours:
        """After-hours flags and fees count from these: the book's if it holds them, else config.toml's."""
        start, end = self.book_hours or (self.settings.business_start, self.settings.business_end)
        return BusinessHours(start=start, end=end)

    # -- one service per feature: each holds its rules' doors and binds what they need --
    @functools.cached_property
    def book(self) -> BookService:
        from ccm_tui.services.book import BookService

        return BookService(self)

    @functools.cached_property
    def calendar(self) -> CalendarService:
        from ccm_tui.services.calendar import CalendarService

        return CalendarService(self)

    @functools.cached_property
    def checklists(self) -> ChecklistService:
        from ccm_tui.services.checklists import ChecklistService

        return ChecklistService(self)

    @functools.cached_property
    def agenda(self) -> AgendaService:
        from ccm_tui.services.agenda import AgendaService

        return AgendaService(self)

    @functools.cached_property
    def exchange(self) -> ExchangeService:
        from ccm_tui.services.exchange import ExchangeService

        return ExchangeService(self)

    @functools.cached_property
    def undo(self) -> UndoService:
        from ccm_tui.services.undo import UndoService

        return UndoService(self)

    @functools.cached_property
    def watch(self) -> WatchService:
        from ccm_tui.services.watch import WatchService

        return WatchService(self)


def open_book(book: BookLocation, settings: Settings, clock: Clock) -> tuple[Services, MigrationResult | None]:
    """Open (creating or upgrading) the book; the demo is rebuilt when stale.

    Who acts and what the session may write are settled here (services/people.py).
    """
    from ccm_tui.services.people import open_engine, settle_actor
    from ccm_tui.store import meta
    from ccm_tui.store.migrate import upgrade

    engine, access = open_engine(book)
    result = upgrade(engine, book.path, locations.backups_dir(), clock.now())
    actor, access = settle_actor(engine, settings, access)
    if book.demo and not settings.ccm_name.strip():
        from ccm_tui.store.demo_settings import load_demo_settings

        # The demo book is its CCM's: "my customers", the CCM column and the timeline say so.
        actor = dataclasses.replace(actor, name=load_demo_settings().demo_user)
    services = Services(engine, settings, clock, actor, access, meta.get_business_hours(engine))
    if book.demo and not access.read_only:
        from ccm_tui.store.demo import build_demo_book, demo_is_current
        from ccm_tui.store.reset import clear_book

        if not demo_is_current(engine, services.today()):
            clear_book(engine)
            build_demo_book(engine, services.today(), services.now(), services.business_hours)
    return services, result
