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

They are derived data, judged when a step is written: a step's move
(store/activations.py), the seeder, the demo and the CSV import judge the
rows they write with a `FlagJudge` (one SiteCalendar per place, each window
judged once per place), and record the business hours they used in
book_meta (`claim_basis`). Rows written otherwise (a site or CCD changed,
an undo) are left NULL and filled in by `derive_missing`, the safety net
the calendar runs before it reads: one probe of a partial index when
nothing is missing. Different hours in the settings make every row be
judged again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, literal_column, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ccm_tui.domain.after_hours import HoursFlag, after_hours_flags
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.store import tables
from ccm_tui.store.convert import to_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.sql_types import select_columns, table_of
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


def on_call_term() -> ColumnElement[bool]:
    """Worked after hours, on a weekend or on a public holiday at its site.

    Written word for word as the predicate of the partial index
    `ix_activation_step_on_call` (migration 0010), literal numbers and all:
    that is what lets SQLite and PostgreSQL see the index holds every such
    step (a bound parameter would hide it). Untyped, so SQLite gets the words
    alone: typed Boolean, SQLAlchemy wrote "... != 0 = 1" there (no native
    booleans), which hid the index and made on-call walk every open step.
    """
    return literal_column(tables.ON_CALL)


def hours_bits(flags: Iterable[HoursFlag]) -> int:
    bits = 0
    for flag in flags:
        bits |= _BITS[flag]
    return bits


def flags_from_bits(bits: int) -> frozenset[HoursFlag]:
    return frozenset(flag for flag, bit in _BITS.items() if bits & bit)


# The hours flags of each value the stored bits' low four can take, read once: a list's rows look them up.
HOURS_FLAGS = {bits: flags_from_bits(bits) for bits in range(16)}


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


Place = tuple[str, str, str]  # a site's zone, country and subdivision


class FlagJudge:
    """`step_flags` for many steps written at once, as stored (naive UTC).

    Windows start on the hour or half hour at a few hundred places, so a
    book's 240,000 steps are a few thousand distinct (place, window) pairs:
    each is judged once, and the local date (for "after the CCD") once per
    zone and start.
    """

    def __init__(self, hours: BusinessHours) -> None:
        self.hours = hours
        self._calendars: dict[Place, SiteCalendar] = {}
        self._hours_bits: dict[tuple[Place, datetime, datetime], int] = {}
        self._local_dates: dict[tuple[str, datetime], date] = {}

    def calendar(self, place: Place) -> SiteCalendar:
        cal = self._calendars.get(place)
        if cal is None:
            zone, country, subdivision = place
            cal = self._calendars[place] = SiteCalendar(zone, country, self.hours, subdivision)
        return cal

    def __call__(self, start_at: datetime, end_at: datetime | None, place: Place, ccd: date | None) -> int:
        """The bits `step_flags` gives the stored window [start_at, end_at) at `place`, for an order due on `ccd`."""
        finish = end_at if end_at is not None and end_at >= start_at else start_at
        key = (place, start_at, finish)
        bits = self._hours_bits.get(key)
        if bits is None:
            bits = self._hours_bits[key] = hours_bits(after_hours_flags(to_utc(start_at), to_utc(finish), self.calendar(place)))
        if ccd is not None:
            day_key = (place[0], start_at)
            local_day = self._local_dates.get(day_key)
            if local_day is None:
                local_day = self._local_dates[day_key] = self.calendar(place).local(to_utc(start_at)).date()
            if local_day > ccd:
                bits |= AFTER_CCD
        return bits

    def columns(self, start_at: datetime | None, end_at: datetime | None, place: Place, ccd: date | None) -> dict[str, Any]:
        """A step row's derived columns, as `derive_missing` would set them (none for a step with no window)."""
        if start_at is None:
            return {"calendar_flags": None, "ccd": None}
        return {"calendar_flags": self(start_at, end_at, place, ccd), "ccd": ccd}


_META = table_of(BookMetaRow)


def claim_basis(conn: Connection, hours: BusinessHours) -> FlagJudge | None:
    """The judge for steps written now with `hours`, recording them as the book's basis if it has none.

    None when the book's rows were judged with other hours: the rows are
    then left for `derive_missing`, which judges every row with the hours
    the calendar is read with.
    """
    wanted = basis(hours)
    stored = conn.execute(select_columns(_META.c.value).where(_META.c.key == BASIS_KEY)).scalar()
    if stored is None:
        conn.execute(insert(_META).values(key=BASIS_KEY, value=wanted))
    elif stored != wanted:
        return None
    return FlagJudge(hours)


def derive_missing(engine: Engine, hours: BusinessHours) -> int:
    """Fill in the derived columns wherever they are missing; how many rows were done.

    Cheap when nothing is missing (one probe of a partial index, a third of
    a millisecond on a 200,000-activation book), so the calendar calls it
    before it reads.
    """
    wanted = basis(hours)
    with read_session(engine) as session:
        stored = session.get(BookMetaRow, BASIS_KEY)
        missing = _any_missing(session)
    if stored is not None and stored.value == wanted and not missing:
        return 0
    with write_session(engine) as session:
        meta = session.get(BookMetaRow, BASIS_KEY)
        if meta is None or meta.value != wanted:
            # judged with other business hours: judge every row again
            session.exec(update(ActivationStepRow).values(calendar_flags=None))
            if meta is None:
                meta = BookMetaRow(key=BASIS_KEY, value=wanted)
            meta.value = wanted
            session.add(meta)
        done = judge_missing(session, FlagJudge(hours))
    return done


def judge_missing(session: Session, judge: FlagJudge) -> int:
    """Judge every step still missing its derived columns, in the caller's transaction; how many."""
    done = 0
    while batch := _missing_batch(session):
        updates = [
            {"id": step_id, "calendar_flags": judge(start_at, end_at, (zone, country, subdivision), ccd), "ccd": ccd}
            for step_id, start_at, end_at, zone, country, subdivision, ccd in batch
        ]
        session.execute(update(ActivationStepRow), updates)
        done += len(updates)
    return done


# Written out for SQLite's INDEXED BY, which SQLAlchemy's `with_hint` drops there: without it SQLite
# cannot see that the partial index is empty and walks the start index instead (tens of
# milliseconds before every calendar read of a 200,000-activation book). PostgreSQL picks the
# partial index by itself, once ANALYZE (autovacuum) has seen the derived columns filled in.
_PROBE = "SELECT 1 FROM activation_step{hint} WHERE " + tables.UNDERIVED + " LIMIT 1"


def _any_missing(session: Session) -> bool:
    """Whether some step's derived columns are still to be filled in: one probe of the partial index."""
    connection = session.connection()
    hint = " INDEXED BY ix_activation_step_flags_missing" if connection.dialect.name == "sqlite" else ""
    return connection.exec_driver_sql(_PROBE.format(hint=hint)).first() is not None


def count_missing(engine: Engine) -> int:
    """How many steps with a window still lack their derived columns (the benchmark says so)."""
    with read_session(engine) as session:
        connection = session.connection()
        hint = " INDEXED BY ix_activation_step_flags_missing" if connection.dialect.name == "sqlite" else ""
        sql = _PROBE.format(hint=hint).replace("SELECT 1", "SELECT count(*)").replace(" LIMIT 1", "")
        return int(connection.exec_driver_sql(sql).scalar_one())


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
