"""Facts about the book file itself, as key/value text (e.g. the demo's anchor day)."""

from __future__ import annotations

from datetime import time

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


# A team book's business hours ("08:00-17:00", site local): the team's, not each person's config.
BUSINESS_HOURS = "business_hours"


def get_business_hours(engine: Engine) -> tuple[time, time] | None:
    """The hours the book holds (a team book: `ccm team init` stored them), or None for each person's own."""
    value = get_meta(engine, BUSINESS_HOURS)
    if not value:
        return None
    start, end = value.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def set_business_hours(engine: Engine, start: time, end: time) -> None:
    set_meta(engine, BUSINESS_HOURS, f"{start:%H:%M}-{end:%H:%M}")
