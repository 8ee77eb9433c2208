"""A session that may not write: the database's refusal, worded for people.

What a session may write is decided by the database: PostgreSQL's grants
(an on-call login), a SQLite file opened `?mode=ro`, or a PostgreSQL
session with `default_transaction_read_only`. Python never checks first; it
only turns the refusal into `ReadOnlyBook` ("read-only: on-call"), so the UI
and the CLI show one line instead of a driver's error.
"""

from __future__ import annotations

import logging
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from ccm_tui.errors import ReadOnlyBook, StoreError

_SQLITE_READONLY = 8
_PG_INSUFFICIENT_PRIVILEGE = "42501"
_PG_READ_ONLY_TRANSACTION = "25006"

# Why each read-only engine is so ("on-call", "file", ""): the words of the refusal.
_WHY: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def mark_read_only(engine: Engine, why: str) -> None:
    _WHY[engine] = why


def read_only_why(engine: Engine) -> str | None:
    """None: the session may write (as far as we know); else why it may not."""
    return _WHY.get(engine)


def is_refusal(error: BaseException) -> bool:
    """The database refused a write as not allowed (not busy, not broken)."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == _SQLITE_READONLY
    return getattr(cause, "sqlstate", None) in (_PG_INSUFFICIENT_PRIVILEGE, _PG_READ_ONLY_TRANSACTION)


@contextmanager
def refusal_as_read_only(engine: Engine) -> Iterator[None]:
    try:
        yield
    except (DBAPIError, sqlite3.OperationalError) as error:
        if is_refusal(error):
            raise ReadOnlyBook(read_only_why(engine) or "") from error
        raise


def sqlite_read_only_url(path: Path) -> str:
    """The book's file opened `?mode=ro`: SQLite itself refuses every write."""
    return f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true"


def open_read_only(url: str, path: Path | None) -> Engine:
    """An engine on which the database refuses every write: a `mode=ro` file, or a read-only PostgreSQL session."""
    from ccm_tui.store.engine import make_engine  # the engine module uses this one's refusal_as_read_only

    if path is not None:
        if not path.is_file():
            raise StoreError(f"{path} does not exist (or is not a file); a read-only open makes no new book")
        return make_engine(sqlite_read_only_url(path))
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_connection: Any, _record: object) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_connection.commit()

    return engine


# A refused statement inside psycopg's pipeline (SQLAlchemy's multi-row insert) is logged
# again as the pipeline closes; the refusal is already ReadOnlyBook's one line.
logging.getLogger("psycopg").addHandler(logging.NullHandler())
