"""Which schema revision a book is at, and which the migrations reach, without importing Alembic.

Opening a book that is already current is the common start; importing
Alembic to learn so costs a tenth of a second before the first row shows.
`migrate.upgrade` asks here first and turns to Alembic only when there is
something to do (or the files do not say plainly).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the book's first glance (store/book_glance.py) asks for the head before SQLAlchemy is imported
    from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"

_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(?:None|[\"']([^\"']*)[\"'])", re.MULTILINE)


@cache
def newest_revision(script_location: Path | None = None) -> str | None:
    """The head as the migration files name it, read without importing Alembic.

    The one revision no other names as its `down_revision`; None when the files
    do not say plainly (a merge, a branch, a computed value): Alembic decides then.
    `test_migrate_head` holds it equal to Alembic's head.
    """
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in sorted(((script_location or MIGRATIONS_DIR) / "versions").glob("*.py")):
        found = {name: value for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8"))}
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            downs.add(found["down_revision"])
    heads = revisions - downs
    return next(iter(heads)) if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The book's revision, read with one query (None for an empty database)."""
    from sqlalchemy import inspect

    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").all()
    return rows[0][0] if len(rows) == 1 else None
