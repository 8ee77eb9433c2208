"""Throw-away PostgreSQL books for the tests, on the server CCM_TEST_PG names.

Each test gets its own database, made from a template migrated once per
xdist worker (`CREATE DATABASE ... TEMPLATE`, tens of milliseconds) and
dropped after it; names carry the worker and a random part, so two runs on
one server never meet. When no server answers, `server_url()` says so once
(the probe is cached) and the PostgreSQL half of the tests is skipped.
"""

from __future__ import annotations

import functools
import os
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress

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


# Every DROP DATABASE waits for a checkpoint; drops that wait together share one, so a few threads
# keep up with the tests where one fell behind (tests/store on PostgreSQL: 60 s with one, 33 s with eight).
DROP_THREADS = 8


class TemplateCopies:
    """Databases made from `template` one test ahead, and dropped behind, on background threads.

    A copy takes the server a twentieth of a second or so; a DROP DATABASE
    several times that, as it forces a checkpoint. Both are done while tests
    run, the drops on a thread of their own so that a test never waits for
    one. `close` drops whatever is left, the copy made ahead included.
    """

    def __init__(self, template: str) -> None:
        self._template = template
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-copies")
        self._dropper = ThreadPoolExecutor(max_workers=DROP_THREADS, thread_name_prefix="pg-drops")
        self._ahead: Future[str] | None = None
        self._drops: list[Future[None]] = []

    def _copy(self) -> str:
        name = unique_name("ccm_test")
        create_database(name, self._template)
        return name

    def take(self) -> str:
        """A fresh copy of the template, the test's alone until `give_back`."""
        ahead = self._ahead or self._worker.submit(self._copy)
        self._ahead = self._worker.submit(self._copy)
        return ahead.result()

    def give_back(self, name: str) -> None:
        self._drops.append(self._dropper.submit(drop_database, name))

    def close(self) -> None:
        if self._ahead is not None:
            with suppress(psycopg.Error):  # a copy that failed left nothing to drop
                self.give_back(self._ahead.result())
        self._worker.shutdown(wait=True)
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
