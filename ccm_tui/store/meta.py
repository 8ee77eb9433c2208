"""Facts about the book file itself, as key/value text (e.g. the demo's anchor day)."""

from __future__ import annotations

from sqlalchemy import Engine

from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import BookMetaRow


def get_meta(engine: Engine, key: str) -> str | None:
    with read_session(engine) as session:
        row = session.get(BookMetaRow, key)
        return None if row is None else row.value


def set_meta(engine: Engine, key: str, value: str) -> None:
    """Insert or replace the value under `key`."""
    with write_session(engine) as session:
        session.merge(BookMetaRow(key=key, value=value))
