"""The calendar's derived step columns: `calendar_flags` and `ccd`.

The month grid counts, per day, the events worked after hours and those
whose order is past or at risk of its commitment date. Judging that needs
each step's site (zone, country) and order (CCD): on a 200,000-activation
book, joining those for a month costs half a second. So each step carries
them pre-judged, and the month is counted from one index with no join:

- `calendar_flags`: bits for after hours, weekend and public holiday at the
  site (the domain's `after_hours_flags`), and "the event's local date is
  after the order's CCD";
- `ccd`: the order's commitment date (past-CCD depends on today, so it is
  compared at query time).

They are derived data: every write of a step's window here sets them, and
rows written by others (the demo, the seeder) are left NULL and filled in
by `derive_missing` before the calendar reads. The business hours they were
judged with are kept in book_meta; different hours in the settings make
every row be judged again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from ccm_tui.domain.after_hours import HoursFlag, after_hours_flags
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.store.convert import to_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    BookMetaRow,
    OrderRow,
    SiteRow,
)

AFTER_HOURS = 1
WEEKEND = 2
HOLIDAY = 4
AFTER_CCD = 8
ON_CALL = AFTER_HOURS | WEEKEND | HOLIDAY
_BITS = {HoursFlag.AFTER_HOURS: AFTER_HOURS, HoursFlag.WEEKEND: WEEKEND, HoursFlag.HOLIDAY: HOLIDAY}
BASIS_KEY = "calendar_flags_basis"
_BATCH = 5000


def hours_bits(flags: Iterable[HoursFlag]) -> int:
    bits = 0
    for flag in flags:
        bits |= _BITS[flag]
    return bits


def flags_from_bits(bits: int) -> frozenset[HoursFlag]:
    return frozenset(flag for flag, bit in _BITS.items() if bits & bit)


def step_flags(start: datetime, end: datetime | None, cal: SiteCalendar, ccd: date | None) -> int:
    """The bits for a window at a site, for an order due on `ccd`."""
    finish = end if end is not None and end >= start else start
    bits = hours_bits(after_hours_flags(start, finish, cal))
    if ccd is not None and cal.local(start).date() > ccd:
        bits |= AFTER_CCD
    return bits


def basis(hours: BusinessHours) -> str:
    # "country": each site's own working week and its subdivision's holidays (revision 0005)
    days = "country" if hours.weekdays is None else "".join(str(d) for d in sorted(hours.weekdays))
    return f"{hours.start:%H:%M}-{hours.end:%H:%M} days {days}"


def derive_missing(engine: Engine, hours: BusinessHours) -> int:
    """Fill in the derived columns wherever they are missing; how many rows were done.

    Cheap when nothing is missing (one probe of a partial index), so the
    calendar calls it before it reads.
    """
    wanted = basis(hours)
    with read_session(engine) as session:
        stored = session.get(BookMetaRow, BASIS_KEY)
        missing = _any_missing(session)
    if stored is not None and stored.value == wanted and not missing:
        return 0
    done = 0
    with write_session(engine) as session:
        meta = session.get(BookMetaRow, BASIS_KEY)
        if meta is None or meta.value != wanted:
            # judged with other business hours: judge every row again
            session.exec(update(ActivationStepRow).values(calendar_flags=None))
            if meta is None:
                meta = BookMetaRow(key=BASIS_KEY, value=wanted)
            meta.value = wanted
            session.add(meta)
        while batch := _missing_batch(session):
            calendars: dict[tuple[str, str, str], SiteCalendar] = {}
            updates = []
            for step_id, start_at, end_at, zone, country, subdivision, ccd in batch:
                cal = calendars.get((zone, country, subdivision))
                if cal is None:
                    cal = calendars[zone, country, subdivision] = SiteCalendar(zone, country, hours, subdivision)
                bits = step_flags(to_utc(start_at), to_utc(end_at), cal, ccd)
                updates.append({"id": step_id, "calendar_flags": bits, "ccd": ccd})
            session.execute(update(ActivationStepRow), updates)
            done += len(updates)
    return done


# Written out for SQLite's INDEXED BY, which SQLAlchemy's `with_hint` drops there: without it SQLite
# cannot see that the partial index is empty and walks the start index instead (tens of
# milliseconds before every calendar read of a 200,000-activation book). PostgreSQL picks the
# partial index by itself, once ANALYZE (autovacuum) has seen the derived columns filled in.
_PROBE = "SELECT 1 FROM activation_step{hint} WHERE calendar_flags IS NULL AND start_at IS NOT NULL LIMIT 1"


def _any_missing(session: Session) -> bool:
    """Whether some step's derived columns are still to be filled in: one probe of the partial index."""
    connection = session.connection()
    hint = " INDEXED BY ix_activation_step_flags_missing" if connection.dialect.name == "sqlite" else ""
    return connection.exec_driver_sql(_PROBE.format(hint=hint)).first() is not None


def _missing_batch(session: Session) -> list[tuple[int, datetime, datetime | None, str, str, str, date | None]]:
    step = ActivationStepRow
    rows = session.exec(
        select_columns(step.id, step.start_at, step.end_at, SiteRow.timezone, SiteRow.country, SiteRow.subdivision, OrderRow.ccd)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .where(col(step.calendar_flags).is_(None), col(step.start_at).is_not(None))
        .limit(_BATCH)
    ).all()
    return [tuple(r) for r in rows]


def forget_site(session: Session, site_id: int) -> None:
    """After a site's zone, country or subdivision changes: its steps are judged again on the next read."""
    activations = select(ActivationRow.id).where(ActivationRow.site_id == site_id)
    session.exec(
        update(ActivationStepRow).where(col(ActivationStepRow.activation_id).in_(activations)).values(calendar_flags=None)
    )


def forget_order(session: Session, order_id: int) -> None:
    """After an order's CCD changes: its steps are judged again on the next read."""
    activations = select(ActivationRow.id).where(ActivationRow.order_id == order_id)
    session.exec(
        update(ActivationStepRow).where(col(ActivationStepRow.activation_id).in_(activations)).values(calendar_flags=None)
    )
