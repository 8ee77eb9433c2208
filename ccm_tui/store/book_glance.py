"""The book's first page by name, read before the ORM is imported.

Opening the book imports the ORM (SQLModel, SQLAlchemy and the tables:
about 0.4 s) before its first query, so the rows came long after the
first frame. A CCM who starts `ccm` wants to see customers: this reads the
first page in the book's opening order (name, then id: book_page's NAME
sort) with the sqlite3 driver alone, for a file whose schema is already
current, and nothing else. What else a row shows (next event, hours used,
flags) takes the rules and the ORM: it comes with the real page a moment
later, and until then the row says it is still being read (`pending`).

Nothing here writes: the file is opened read-only and any doubt (no file, an
older schema, a busy or foreign file) is None, and the book opens as before.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from ccm_tui.domain.book import BookPage, BookRow
from ccm_tui.domain.hours import hours_from_minutes
from ccm_tui.domain.model import Region
from ccm_tui.store.revisions import VERSION_TABLE, newest_revision

_PAGE = "SELECT id, name, account_number, region, ccm, hours_per_month_minutes FROM customer ORDER BY sort_name, id LIMIT ?"
_GLANCE_TIMEOUT_S = 0.05  # a writer holding the file: the glance gives way at once, the real open waits its turn


def first_page(path: Path, limit: int) -> BookPage | None:
    """The first `limit` customers by name and the book's count, or None if the file cannot say so plainly."""
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_GLANCE_TIMEOUT_S)) as db:
            versions = db.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
            if versions != [(newest_revision(),)]:
                return None  # a book to migrate first: its columns may not be these
            rows = db.execute(_PAGE, (limit,)).fetchall()
            (total,) = db.execute("SELECT count(*) FROM customer").fetchone()
    except (sqlite3.Error, ValueError):  # not a book, locked, or a code this ccm does not know
        return None
    return BookPage(
        rows=tuple(
            BookRow(
                customer_id=customer_id,
                name=name,
                account_number=account,
                region=Region(region),
                ccm=ccm,
                next_event=None,
                hours_used=hours_from_minutes(0),
                hours_package=hours_from_minutes(package_minutes),
                past_ccd=False,
                late_change_window=False,
                pending=True,
            )
            for customer_id, name, account, region, ccm, package_minutes in rows
        ),
        total=total,
        offset=0,
    )
