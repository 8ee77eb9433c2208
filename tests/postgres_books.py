"""Throw-away PostgreSQL books for the tests, on the server CCM_TEST_PG names.

Each xdist worker migrates one template, and copies it once into the book
its tests share (`CREATE DATABASE ... TEMPLATE`); between two tests the
shared book is emptied (`WorkerBooks.empty_shared`), in a hundredth to a
tenth of a second, where a copy per test and its DROP (which waits for a
checkpoint) kept the server busy for more than the tests' own work. A test that changes what emptying does not restore (the
schema, the planner's statistics) takes a copy of its own, dropped after
it. Names carry the worker and a random part, so two runs on one server
never meet, and everything is dropped at the end. When no server answers,
`probe()` says so once (the probe is cached) and the PostgreSQL half of
the tests is skipped.
"""

from __future__ import annotations

import functools
import os
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
from psycopg import sql

# The project's machines run PostgreSQL 15 here, trust authentication.
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@functools.cache
def probe() -> str | None:
    """None when the server answers, else one line saying why the PostgreSQL tests are skipped."""
    try:
        with psycopg.connect(server_dsn(), connect_timeout=3):
            return None
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"no PostgreSQL server at {server_label()} ({first}); set CCM_TEST_PG to run the postgresql half"


def server_dsn() -> str:
    return os.environ.get("CCM_TEST_PG", DEFAULT_SERVER)


def database_dsn(database: str) -> str:
    return psycopg.conninfo.make_conninfo(server_dsn(), dbname=database)


def server_label() -> str:
    params = psycopg.conninfo.conninfo_to_dict(server_dsn())  # host and port only: never a password in a report
    return f"{params.get('host', 'localhost')}:{params.get('port', 5432)}"


def book_url(database: str) -> str:
    """The SQLAlchemy URL of `database` on the test server (psycopg driver)."""
    params = psycopg.conninfo.conninfo_to_dict(server_dsn())
    user = params.get("user", "")
    host = params.get("host", "")
    port = params.get("port", "")
    password = params.get("password")
    auth = f"{user}{':' + str(password) if password else ''}@" if user else ""
    return f"postgresql+psycopg://{auth}{host}{':' + str(port) if port else ''}/{database}"


def unique_name(prefix: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{prefix}_{worker}_{uuid.uuid4().hex[:12]}"


_admin_connections = threading.local()


def _admin() -> psycopg.Connection:
    """One connection per thread for CREATE and DROP: a new one costs more than the CREATE itself."""
    connection: psycopg.Connection | None = getattr(_admin_connections, "connection", None)
    if connection is None or connection.closed:
        connection = _admin_connections.connection = psycopg.connect(server_dsn(), autocommit=True)
    return connection


def create_database(name: str, template: str | None = None) -> None:
    # The default strategy (WAL_LOG) copies a small template in a fifth of a second; FILE_COPY's checkpoints take seconds.
    if template is None:
        _admin().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    else:
        _admin().execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))


def drop_database(name: str) -> None:
    # FORCE: a test that leaked a connection must not leave its database behind.
    _admin().execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# What a test may change that emptying the tables would not put back: tables, columns, defaults,
# constraints, indexes, triggers (and whether they fire), functions, schemas, grants, the revision.
_SCHEMA_PRINT = """
SELECT md5(string_agg(item, E'\\n' ORDER BY item)) FROM (
    SELECT format('relation %s.%s %s %s', n.nspname, c.relname, c.relkind, c.relacl) AS item
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname !~ '^(pg_|information_schema$)'
    UNION ALL
    SELECT format('column %s.%s %s %s %s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                  a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname !~ '^(pg_|information_schema$)' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE connamespace::regnamespace::text !~ '^(pg_|information_schema$)'
    UNION ALL
    SELECT format('index %s', pg_get_indexdef(i.indexrelid))
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname !~ '^(pg_|information_schema$)'
    UNION ALL
    SELECT format('trigger %s %s %s', tgrelid::regclass, tgname, tgenabled) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT format('function %s %s', p.oid::regprocedure, md5(p.prosrc))
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname !~ '^(pg_|information_schema$)'
    UNION ALL
    SELECT format('schema %s %s', nspname, nspacl) FROM pg_namespace WHERE nspname !~ '^pg_(toast_)?temp_'  -- a session's own
    UNION ALL
    SELECT format('revision %s', version_num) FROM alembic_version
) AS schema
"""

# The table a migration fills and a test never empties: alembic's own.
_KEPT = "alembic_version"


class SchemaChanged(AssertionError):
    """A test changed the shared book's schema: it needs a database of its own."""


class WorkerBooks:
    """One xdist worker's books: a template migrated once, the book its tests share, and copies of their own.

    `shared()` is the shared book, as the template was whenever a test
    starts: `empty_shared` deletes every row (the change log's too: its
    triggers do not fire for a session in replica role), restarts the
    sequences and vacuums the tables it emptied, then checks that the
    schema is the template's. The VACUUM gives the files back (an empty
    table has no pages), so a test's rows lie in the order it wrote them, as
    in a new database: with dead rows before them, the VACUUM ANALYZE of the
    demo and seed builds would free space that later inserts fill first, and
    an INSERT ... SELECT without ORDER BY would number rows otherwise.
    DELETE and VACUUM, not TRUNCATE: TRUNCATE makes new files for every
    table and index, and took 0.2-0.5 s against 0.01-0.1 s.

    `own()` is a fresh copy of the template for a test that changes the
    schema or reads the planner's statistics; it is dropped on a thread of
    its own (a DROP waits for a checkpoint). `close` drops everything.
    """

    def __init__(self, template: str) -> None:
        self._template = template
        with psycopg.connect(database_dsn(template), autocommit=True) as connection:
            self._print = self._schema_print(connection)
            self._tables = [
                name
                for (name,) in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
                if name != _KEPT
            ]
            self._sequences = [
                name for (name,) in connection.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
            ]
            filled = [
                t
                for t in self._tables
                if connection.execute(sql.SQL("SELECT EXISTS (SELECT FROM {})").format(sql.Identifier(t))).fetchone() == (True,)
            ]
        if filled:  # emptying would lose what the migrations put there
            raise AssertionError(f"the migrations fill {filled}: teach WorkerBooks.empty_shared to put those rows back")
        statements: list[sql.Composable] = [
            sql.SQL(
                "SET LOCAL session_replication_role = replica; SET LOCAL lock_timeout = '5s';"
                # A connection the test left behind is ended (and waited for): none must outlive its test.
                " SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid();"
            ),
            *(sql.SQL("DELETE FROM {};").format(sql.Identifier(t)) for t in self._tables),
        ]
        if self._sequences:
            restarts = (sql.SQL("setval({}, 1, false)").format(sql.Literal(s)) for s in self._sequences)
            statements.append(sql.SQL("SELECT {};").format(sql.SQL(", ").join(restarts)))
        self._empty = sql.SQL(" ").join(statements)
        self._shared: str | None = None
        self._connection: psycopg.Connection | None = None
        self._dropper = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pg-drops")
        self._drops: list[Future[None]] = []

    @staticmethod
    def _schema_print(connection: psycopg.Connection) -> str:
        row = connection.execute(_SCHEMA_PRINT).fetchone()
        assert row is not None
        return str(row[0])

    def shared(self) -> str:
        """The book the worker's tests share, made from the template at its first use."""
        if self._shared is None:
            name = unique_name("ccm_shared")
            create_database(name, self._template)
            self._shared = name
        return self._shared

    def _shared_connection(self) -> psycopg.Connection:
        if self._connection is None or self._connection.closed or self._connection.broken:
            self._connection = psycopg.connect(database_dsn(self.shared()), autocommit=True)
        return self._connection

    def empty_shared(self) -> None:
        """Put the shared book back as the template was; SchemaChanged when the test changed more than rows."""
        try:
            connection = self._shared_connection()
            emptied = self._delete_all(connection)
            if emptied:
                connection.execute(sql.SQL("VACUUM {}").format(sql.SQL(", ").join(map(sql.Identifier, emptied))))
            if self._schema_print(connection) != self._print:
                raise SchemaChanged(
                    "the test changed the shared PostgreSQL book's schema: mark it "
                    "@pytest.mark.own_database so that it gets a copy of its own"
                )
        except BaseException:
            self._forget_shared()  # the next test gets a fresh copy
            raise

    def _delete_all(self, connection: psycopg.Connection) -> list[str]:
        """Every row deleted and every sequence restarted, in one transaction; the tables that had rows."""
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute(self._empty)
            deleted: list[int] = []
            while True:
                if (cursor.statusmessage or "").startswith("DELETE"):
                    deleted.append(cursor.rowcount)
                if not cursor.nextset():
                    break
        assert len(deleted) == len(self._tables)
        return [table for table, rows in zip(self._tables, deleted, strict=True) if rows]

    def _forget_shared(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._shared is not None:
            self._drops.append(self._dropper.submit(drop_database, self._shared))
            self._shared = None

    def own(self) -> str:
        """A fresh copy of the template, the test's alone until `give_back`."""
        name = unique_name("ccm_test")
        create_database(name, self._template)
        return name

    def give_back(self, name: str) -> None:
        self._drops.append(self._dropper.submit(drop_database, name))

    def close(self) -> None:
        self._forget_shared()
        self._dropper.shutdown(wait=True)
        for drop in self._drops:
            drop.result()  # a database left behind is an error of the run, not a leftover for the next


@contextmanager
def scratch_database(prefix: str = "ccm_test", template: str | None = None) -> Iterator[str]:
    """A new database (from `template`, if given), dropped on the way out whatever happened."""
    name = unique_name(prefix)
    create_database(name, template)
    try:
        yield name
    finally:
        drop_database(name)
