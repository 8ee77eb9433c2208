"""`ccm team`: a team's book on PostgreSQL, its roles and its people.

`ccm team init URL` (a lead, once; again after an upgrade) migrates the
database, makes the group roles ccm_lead, ccm_member and ccm_oncall with
their grants, and stores the lead's business hours as the team's; `ccm team add LOGIN --name "..." --role ROLE` makes or grants
a login; `ccm team list` shows who is in the team. The grants are what
enforce the roles: PostgreSQL refuses what a role may not write.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ccm_tui.book_location import BookLocation, BookLocationError
from ccm_tui.cli.common import CliError, Context, Parsers

if TYPE_CHECKING:
    from ccm_tui.services import Services

ROLES = ("lead", "member", "oncall")
TEAM_NEEDS_POSTGRESQL = "a team book needs PostgreSQL: give its URL, as in ccm --db postgresql://host/dbname team ..."


def register(parsers: Parsers) -> None:
    team = parsers.commands.add_parser(
        "team",
        help="a team's shared book on PostgreSQL: roles and people; see `ccm team --help`",
        description="A team's shared book on PostgreSQL. The roles are PostgreSQL grants: the database enforces them.",
    )
    commands = team.add_subparsers(dest="team_command", metavar="COMMAND", required=True)
    init = commands.add_parser(
        "init",
        help="make URL a team book: its schema, and the roles ccm_lead, ccm_member, ccm_oncall with their grants",
        description="Run once by a lead (a PostgreSQL role that may create roles), and again after upgrading ccm.",
    )
    init.add_argument("url", metavar="URL", help="the team book's database, as postgresql://host/dbname")
    init.set_defaults(handler=run_init)
    add = commands.add_parser(
        "add",
        help="add a person: their login (made if missing, without password) in the group of their role",
        description="The login gets no password here: set its authentication in pg_hba.conf or its ~/.pgpass.",
    )
    add.add_argument("login", metavar="LOGIN", help="the PostgreSQL login the person connects as")
    add.add_argument("--name", required=True, help="the display name, as the header and the change log show it")
    add.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="lead: everything; member: edits the book; oncall: reads, records a provider no-show and a note",
    )
    add.set_defaults(handler=run_add)
    list_ = commands.add_parser("list", help="print each person's login, name and role")
    list_.set_defaults(handler=run_list)


def _open(ctx: Context, book: BookLocation | None) -> Services:
    """The team book, migrated; a SQLite file (or no book named) gets one line and nothing is made."""
    if book is None or ctx.demo or not book.url.startswith("postgresql"):
        raise CliError(TEAM_NEEDS_POSTGRESQL)
    from ccm_tui.services import open_book

    services, _ = open_book(book, ctx.settings, ctx.clock)
    return services


def run_init(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.domain.calendar import BusinessHours
    from ccm_tui.services.people import team_init

    try:
        book = BookLocation.parse(args.url)
    except BookLocationError as error:
        raise CliError(str(error)) from None
    services = _open(ctx, book)
    hours = BusinessHours(ctx.settings.business_start, ctx.settings.business_end)
    team_init(services.engine, hours)
    print(f"{book.label}: schema at the newest revision; roles ccm_lead, ccm_member, ccm_oncall granted")
    print(
        f"business hours {hours.start:%H:%M}-{hours.end:%H:%M} site time, the team's from now on"
        " (business_start/business_end in your config.toml; run init again to change them)"
    )
    return 0


def run_add(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.domain.people import Person, Role
    from ccm_tui.services.people import team_add

    if not args.name.strip():
        raise CliError("--name must not be blank: it is how the change log names the person")
    services = _open(ctx, ctx.db)
    person = Person(login=args.login, name=args.name.strip(), role=Role(args.role))
    team_add(services.engine, person)
    print(f"{person.login}: {person.name}, {person.role.label}")
    return 0


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.services.people import team_list

    services = _open(ctx, ctx.db)
    people = team_list(services.engine)
    width = max((len(p.login) for p in people), default=5)
    for person in people:
        print(f"{person.login:<{width}}  {person.name:<30}  {person.role.label}")
    return 0
