"""Empty a book's tables in one transaction (used to rebuild the demo)."""

from __future__ import annotations

from sqlalchemy import Engine, delete

from ccm_tui.store import change_log
from ccm_tui.store.engine import write_session
from ccm_tui.store.tables import metadata


def clear_book(engine: Engine) -> None:
    with write_session(engine) as session:
        for table in reversed(metadata.sorted_tables):
            if table.name == change_log.ChangeLogRow.__tablename__:  # append-only: emptied through its own door
                change_log.forget_all(session)
            else:
                session.execute(delete(table))
