"""Empty a book's tables in one transaction (used to rebuild the demo)."""

from __future__ import annotations

from sqlalchemy import Engine, delete

from ccm_tui.store.engine import write_session
from ccm_tui.store.tables import metadata


def clear_book(engine: Engine) -> None:
    with write_session(engine) as session:
        for table in reversed(metadata.sorted_tables):
            session.execute(delete(table))
