"""People in the book: read, add (or rename, or change the role of), list.

On PostgreSQL also who the session is (`current_user`) and which of ccm's
group roles it holds: the grants, not this table, decide what it may
write; the table gives the name and the role people see.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import col, select

from ccm_tui.domain.people import Person, Role
from ccm_tui.errors import StoreError
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import PersonRow

# The group role each ccm role is, strongest first: a login in two is the stronger.
GROUP_ROLES: dict[Role, str] = {Role.LEAD: "ccm_lead", Role.MEMBER: "ccm_member", Role.ONCALL: "ccm_oncall"}


def _person(row: PersonRow) -> Person:
    return Person(login=row.login, name=row.name, role=Role(row.role))


def get_person(engine: Engine, login: str) -> Person | None:
    with read_session(engine) as session:
        row = session.get(PersonRow, login)
        return _person(row) if row is not None and row.active else None


def add_person(engine: Engine, person: Person) -> Person:
    """Insert or update (name, role, active again) the person with this login."""
    with write_session(engine) as session:
        row = session.get(PersonRow, person.login) or PersonRow(login=person.login, name="", role=person.role.value)
        row.name, row.role, row.active = person.name.strip(), person.role.value, True
        session.add(row)
    return person


def list_people(engine: Engine) -> list[Person]:
    with read_session(engine) as session:
        rows = session.exec(select(PersonRow).where(col(PersonRow.active)).order_by(col(PersonRow.login))).all()
        return [_person(row) for row in rows]


def session_person(engine: Engine) -> Person:
    """(PostgreSQL) who this connection is: `current_user`, named by `person`, its role by group membership.

    A superuser, or a login in none of ccm's groups (a book made before
    `ccm team init`, by its owner), is a lead: nothing is refused to it.
    """
    with read_session(engine) as session:
        login, superuser = (
            session.connection()
            .execute(text("SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"))
            .one()
        )
        held = {
            role
            for role, group in GROUP_ROLES.items()
            if session.connection()
            .execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :group) AND pg_has_role(current_user, :group, 'MEMBER')"
                ),
                {"group": group},
            )
            .scalar_one()
        }
        row = session.get(PersonRow, login)
    role = next((r for r in GROUP_ROLES if r in held), Role.LEAD)
    if superuser:
        role = Role.LEAD
    name = row.name if row is not None and row.active else ""
    return Person(login=str(login), name=name or str(login), role=role)


# -- the team's grants (PostgreSQL): the database, not Python, says who may write what --

# What on-call writes at night. A provider no-show moves a step's status and
# version (store/activations.move_step) and adds its history line; a note on
# an activation's history is a history line; each also adds a change-log entry.
ONCALL_INSERTS = ("activation_change", "change_log")
ONCALL_STEP_COLUMNS = ("status", "version")
# The book's own bookkeeping: members read it, only the lead (migrating) writes it.
_READ_ONLY_FOR_MEMBERS = ("person", "alembic_version")


def _names(names: Iterable[str]) -> str:
    # "order" is a table: every name is quoted
    return ", ".join(f'"{name}"' for name in names)


def _create_group(connection: Connection, group: str) -> None:
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}).first()
    if exists is None:
        connection.execute(text(f"CREATE ROLE {group} NOLOGIN"))


def grant_roles(engine: Engine) -> None:
    """Make ccm_lead, ccm_member and ccm_oncall (once) and give each its grants on this book's tables.

    Idempotent: every grant is first revoked, so running it again after a
    migration (a new table) leaves exactly these grants.
    """
    with engine.begin() as connection:
        tables = sorted(inspect(connection).get_table_names(schema="public"))
        sequences = sorted(inspect(connection).get_sequence_names(schema="public"))
        if "person" not in tables:
            raise StoreError("this database has no ccm book yet (no person table): migrate it first")
        groups = list(GROUP_ROLES.values())
        for group in groups:
            _create_group(connection, group)
        quoted, quoted_sequences = _names(tables), _names(sequences)
        everyone = ", ".join(groups)
        connection.execute(text(f"REVOKE ALL ON {quoted} FROM {everyone}"))
        if sequences:
            connection.execute(text(f"REVOKE ALL ON SEQUENCE {quoted_sequences} FROM {everyone}"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
        database = connection.dialect.identifier_preparer.quote(connection.execute(text("SELECT current_database()")).scalar_one())
        connection.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {everyone}"))
        # lead: everything, people included, but the change log stays append-only for every role
        connection.execute(text(f"GRANT ALL ON {quoted} TO ccm_lead"))
        connection.execute(text("REVOKE UPDATE, DELETE, TRUNCATE ON change_log FROM ccm_lead"))
        # member: reads and edits the book
        book = [t for t in tables if t not in (*_READ_ONLY_FOR_MEMBERS, "change_log")]
        connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {_names(book)} TO ccm_member"))
        connection.execute(text(f"GRANT SELECT ON {_names(_READ_ONLY_FOR_MEMBERS)} TO ccm_member"))
        connection.execute(text("GRANT SELECT, INSERT ON change_log TO ccm_member"))
        # oncall: reads everything; writes a no-show and a note
        connection.execute(text(f"GRANT SELECT ON {quoted} TO ccm_oncall"))
        connection.execute(text(f"GRANT INSERT ON {_names(ONCALL_INSERTS)} TO ccm_oncall"))
        connection.execute(text(f"GRANT UPDATE ({', '.join(ONCALL_STEP_COLUMNS)}) ON activation_step TO ccm_oncall"))
        if sequences:
            # an import advances the sequences past its explicit ids (setval): UPDATE
            connection.execute(text(f"GRANT ALL ON SEQUENCE {quoted_sequences} TO ccm_lead"))
            connection.execute(text(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {quoted_sequences} TO ccm_member"))
            mine = [s for s in sequences if s.rsplit("_", 2)[0] in ONCALL_INSERTS]  # change_log_seq_seq
            if mine:
                connection.execute(text(f"GRANT USAGE ON SEQUENCE {_names(mine)} TO ccm_oncall"))


def add_login(engine: Engine, person: Person) -> None:
    """(PostgreSQL) the login role (made if missing: LOGIN, no password), in its one ccm group, and its person row."""
    with engine.begin() as connection:
        name = connection.dialect.identifier_preparer.quote(person.login)
        exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": person.login}).first()
        if exists is None:
            connection.execute(text(f"CREATE ROLE {name} LOGIN"))
        for role, group in GROUP_ROLES.items():
            verb = "GRANT" if role is person.role else "REVOKE"
            connection.execute(text(f"{verb} {group} {'TO' if verb == 'GRANT' else 'FROM'} {name}"))
    add_person(engine, person)
