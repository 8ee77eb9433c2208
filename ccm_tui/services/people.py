"""Who is acting, what the session may write, and the team's people.

Opening a book settles both: on PostgreSQL the person is the login
(`current_user`), named and given a role by the `person` table and ccm's
group roles; on SQLite it is the operating-system user named in
config.toml. A session is read-only when the database will refuse its
writes: an on-call login, a book file ccm may not write (opened
`?mode=ro`), or `ccm --read-only`.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

from ccm_tui.book_location import BookLocation
from ccm_tui.config import Settings
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.people import ONCALL_WHY, WRITABLE, Access, Person, Role
from ccm_tui.errors import StoreError
from ccm_tui.store import history_notes, meta, people
from ccm_tui.store.activations import Actor
from ccm_tui.store.engine import BookUnavailable, Engine, make_engine
from ccm_tui.store.read_only import mark_read_only, open_read_only

if TYPE_CHECKING:
    from ccm_tui.services import Services

TEAM_NEEDS_POSTGRESQL = "a team book needs PostgreSQL: give its URL (ccm --db postgresql://host/dbname team ...)"


def open_engine(book: BookLocation) -> tuple[Engine, Access]:
    """The book's engine, read-only if asked (--read-only) or if its file may not be written."""
    if book.read_only:
        return _read_only(book, ""), Access(read_only=True)
    try:
        return make_engine(book.url), WRITABLE
    except BookUnavailable as error:
        if error.reason != "read-only" or book.path is None:
            raise
    return _read_only(book, "file"), Access(read_only=True, why="file")


def _read_only(book: BookLocation, why: str) -> Engine:
    engine = open_read_only(book.url, book.path)
    mark_read_only(engine, why)
    return engine


def settle_actor(engine: Engine, settings: Settings, access: Access) -> tuple[Person, Access]:
    """Who acts in this session, and (an on-call login) what it may write."""
    if engine.dialect.name != "postgresql":
        person = local_person(settings)
        if not access.read_only and settings.ccm_name.strip() and people.get_person(engine, person.login) != person:
            people.add_person(engine, person)  # the people table names the local user too
        return person, access
    person = people.session_person(engine)
    if person.role is Role.ONCALL and not access.read_only:
        mark_read_only(engine, ONCALL_WHY)  # the grants refuse the rest: say why in one word
        access = Access(read_only=True, why=ONCALL_WHY)
    return person, access


def local_person(settings: Settings) -> Person:
    """On a personal SQLite book: the operating-system user, named as config.toml says."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container), no LOGNAME/USER
        login = "ccm"
    return Person(login=login, name=settings.ccm_name.strip() or login, role=Role.LEAD)


def remember_local_name(engine: Engine, settings: Settings, name: str) -> Person:
    """(SQLite) the name asked at the first start, in `person` (config.toml is written by the caller)."""
    person = Person(login=local_person(settings).login, name=name.strip(), role=Role.LEAD)
    return people.add_person(engine, person)


# -- the team (PostgreSQL only) ------------------------------------------------------


def team_init(engine: Engine, hours: BusinessHours) -> None:
    """Group roles and grants on a migrated team book (the caller opened, so migrated, it), and its business hours.

    The hours go into the book: after-hours flags and late-change fees must be
    the same for everyone in the team, whatever each person's config.toml says.
    """
    if engine.dialect.name != "postgresql":
        raise StoreError(TEAM_NEEDS_POSTGRESQL)
    people.grant_roles(engine)
    meta.set_business_hours(engine, hours.start, hours.end)


def team_add(engine: Engine, person: Person) -> None:
    if engine.dialect.name != "postgresql":
        raise StoreError(TEAM_NEEDS_POSTGRESQL)
    people.add_login(engine, person)


def team_list(engine: Engine) -> list[Person]:
    if engine.dialect.name != "postgresql":
        raise StoreError(TEAM_NEEDS_POSTGRESQL)
    return people.list_people(engine)


# -- what on-call writes besides a no-show ------------------------------------------


def add_history_note(services: Services, step_id: int, note: str) -> None:
    """A note on the step's activation history (its status unchanged), by the session's person; on-call may write it."""
    person = services.actor
    actor = Actor(who=person.author, now=services.now(), hours=services.business_hours, person=person)
    history_notes.add_note(services.engine, step_id, note, actor)
