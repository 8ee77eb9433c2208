"""The checklist screen's list: upcoming activations, not-ready risks first,
then by their next step's start; paged and filtered in SQL.

"Upcoming" is an activation with a step on the calendar (requested,
confirmed or validated) from now on. The risks are found in SQL without
loading a checklist: one seek finds the largest outstanding customer
offset in the book, which bounds how soon an event must be to be at risk;
Python works out, per site calendar (zone, country, subdivision) and offset, the one
instant before which such an item is overdue (`overdue_before`); then one
grouped query takes each open step before the bound with its largest
outstanding customer blocking offset (an index seek per step) and keeps
the steps that start before their site's instant for that offset. The
rest of the list walks the steps' start index, a page at a time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, bindparam, case, exists, func, or_, text
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.checklist import Owner, Phase
from ccm_tui.domain.checklist_views import (
    RECENT_DAYS,
    UpcomingPage,
    UpcomingQuery,
    UpcomingRow,
)
from ccm_tui.domain.fees import FeeSchedule
from ccm_tui.domain.model import Region, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.readiness import (
    NO_CHECKLIST,
    Readiness,
    not_ready_cost,
    overdue_before,
)
from ccm_tui.domain.search_text import query_text
from ccm_tui.store.checklist_readiness import INSTALL_PHASES, OPEN_STEPS, Calendars, readiness_in
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    OUTSTANDING_CUSTOMER_BLOCKING,
    ActivationRow,
    ActivationStepRow,
    ChecklistItemRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)

_EVENT_PHASES = (Phase.BEFORE_ACTIVATION.value, Phase.DURING_CALL.value)
_OUTSTANDING = ("open", "blocked")
# Written to match ix_checklist_item_outstanding_due's predicate word for word.
_LARGEST_OUTSTANDING = text(f"SELECT max(due_offset_days) FROM checklist_item WHERE {OUTSTANDING_CUSTOMER_BLOCKING}")


def upcoming_page(
    engine: Engine,
    query: UpcomingQuery,
    now: datetime,
    business_hours: BusinessHours,
    schedule: FeeSchedule,
    *,
    with_total: bool = True,
) -> UpcomingPage:
    """One page; `with_total=False` leaves the count (the dearest part) to `count_upcoming`."""
    now_naive = to_naive_utc(now)
    calendars = Calendars(business_hours)
    matching = _matching(query.text)
    with read_session(engine) as session:
        risky = risky_upcoming(session, now, calendars, matching)
        total = _count_upcoming(session, now_naive, matching) if with_total else None
        start, stop = query.offset, query.offset + max(query.limit, 0)
        ids = risky[start:stop]
        if len(ids) < stop - start:
            rest_offset = max(0, start - len(risky))
            ids += _rest(session, now_naive, matching, risky, rest_offset, stop - start - len(ids))
        if not ids:
            return UpcomingPage(rows=(), total=total, at_risk=len(risky), offset=query.offset)
        details = _details(session, ids, _next_step(now_naive))
        readiness = readiness_in(session, ids, now, calendars)
    rows = _rows(ids, details, readiness, calendars, schedule)
    return UpcomingPage(rows=tuple(rows), total=total, at_risk=len(risky), offset=query.offset)


def count_upcoming(engine: Engine, text_filter: str, now: datetime) -> int:
    """How many activations are upcoming (matching the `/` text)."""
    with read_session(engine) as session:
        return _count_upcoming(session, to_naive_utc(now), _matching(text_filter))


def recent_page(engine: Engine, query: UpcomingQuery, now: datetime, business_hours: BusinessHours) -> UpcomingPage:
    """Activated in the last RECENT_DAYS days: those where traffic has not passed first, then latest first.

    A fortnight's activations are few: one query reads them all (id, start,
    traffic) and Python orders, counts and pages them.
    """
    now_naive = to_naive_utc(now)
    step = ActivationStepRow
    where = [
        col(step.kind) == StepKind.ACTIVATION.value,
        col(step.status) == StepStatus.COMPLETED.value,
        col(step.start_at) >= now_naive - timedelta(days=RECENT_DAYS),
        col(step.start_at) <= now_naive,
    ]
    matching = _matching(query.text)
    if matching is not None:
        where.append(col(step.customer_id).in_(matching))
    with read_session(engine) as session:
        found = session.exec(
            select(step.activation_id, step.start_at, step.id, col(ActivationRow.traffic_passed_at).is_(None))
            .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
            .where(*where)
        ).all()
        ordered = sorted(found, key=lambda r: (not r[3], -r[1].timestamp(), -r[2]))
        total, awaiting = len(found), sum(1 for r in found if r[3])
        ids = [r[0] for r in ordered[query.offset : query.offset + max(query.limit, 0)]]
        details = _details(session, ids, [col(step.kind) == StepKind.ACTIVATION.value])
        readiness = readiness_in(session, ids, now, Calendars(business_hours))
    rows = _rows(ids, details, readiness, Calendars(business_hours), None)
    return UpcomingPage(rows=tuple(rows), total=int(total), at_risk=int(awaiting), offset=query.offset)


def _rows(
    ids: list[int],
    details: dict[int, dict],
    readiness: dict[int, Readiness],
    calendars: Calendars,
    schedule: FeeSchedule | None,
) -> list[UpcomingRow]:
    rows = []
    for activation_id in ids:
        d = details.get(activation_id)
        if d is None:  # moved on between the queries (another writer)
            continue
        ready = readiness.get(activation_id, NO_CHECKLIST)
        cost = None
        if ready.at_risk and schedule is not None:
            cal = calendars(d["zone"], d["country"], d["subdivision"])
            cost = not_ready_cost(schedule, Region(d["region"]), [(d["site_id"], d["site_name"], cal, d["dispatch"])], d["ccd"])
        rows.append(
            UpcomingRow(
                activation_id=activation_id,
                customer_id=d["customer_id"],
                customer_name=d["customer_name"],
                account_number=d["account"],
                region=Region(d["region"]),
                site_name=d["site_name"],
                city=d["city"],
                zone=d["zone"],
                service=ServiceKind(d["service"]),
                step=StepKind(d["kind"]),
                start=to_utc(d["start_at"]),
                status=StepStatus(d["status"]),
                readiness=ready,
                cost=cost,
                traffic_passed=d["traffic"] is not None,
            )
        )
    return rows


def _matching(text_filter: str) -> Select | None:
    """The customers the `/` text matches (name, account, contact names, cities), or None."""
    folded = query_text(text_filter)
    if not folded:
        return None
    return select(CustomerRow.id).where(col(CustomerRow.search_text).contains(folded, autoescape=True))


def risky_steps(session: Session, now: datetime, calendars: Calendars, column: Any) -> SelectOfScalar[int] | None:
    """The open steps at not-ready risk (whenever they start) as a query of one id `column`; None when none can be.

    Every step it keeps has an outstanding customer blocking item that is
    overdue at its site (domain.readiness): the book's NR flag, the checklist's RISK.
    """
    largest = session.scalar(_LARGEST_OUTSTANDING)
    if largest is None:
        return None
    places = session.exec(select(SiteRow.timezone, SiteRow.country, SiteRow.subdivision).distinct()).all()
    if not places:
        return None
    # Per site calendar and offset, the instant before which an event's items with that offset are overdue;
    # it grows with the offset, so an event is late for the items from its site's smallest overdue offset up.
    thresholds = {
        (zone, country, sub): [to_naive_utc(overdue_before(now, calendars(zone, country, sub), m)) for m in range(largest + 1)]
        for zone, country, sub in places
    }
    horizon = max(bounds[-1] for bounds in thresholds.values())
    step, item = ActivationStepRow, ChecklistItemRow
    start = col(step.start_at)
    site_key = SiteRow.timezone + "|" + SiteRow.country + "|" + SiteRow.subdivision
    # The smallest offset overdue for this step at its site (NULL: none is, it starts too late).
    smallest_overdue = case(
        {"|".join(place): case(*((start < bound, m) for m, bound in enumerate(bounds))) for place, bounds in thresholds.items()},
        value=site_key,
    )

    # Per open step before the horizon, a few probes of ix_checklist_item_readiness (state, then phase,
    # then the offset from that one up) for an outstanding customer blocking item of its step's phases:
    # the installation's items count back from it, the others from the event.
    def overdue_item(phases: tuple[str, ...]) -> ColumnElement[bool]:
        return (
            select(item.id)  # the index's own column: covering, where SELECT * reads each item's row
            .where(
                col(item.activation_id) == step.activation_id,
                col(item.owner) == Owner.CUSTOMER.value,
                col(item.blocking) == True,  # noqa: E712 - "= 1": an index seek, where IS would scan
                col(item.state).in_(_OUTSTANDING),
                col(item.phase).in_(phases),
                col(item.due_offset_days) >= smallest_overdue,
            )
            .exists()
        )

    overdue = or_(
        and_(col(step.kind) == StepKind.INSTALLATION.value, overdue_item(INSTALL_PHASES)),
        and_(col(step.kind) == StepKind.ACTIVATION.value, overdue_item(_EVENT_PHASES)),
    )
    return (
        select(column)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(open_step(step), start < horizon, overdue)
    )


def risky_upcoming(session: Session, now: datetime, calendars: Calendars, matching: Select | None = None) -> list[int]:
    """Upcoming activations at not-ready risk, by their next step's start."""
    step = ActivationStepRow
    stmt = risky_steps(session, now, calendars, step.activation_id)
    if stmt is None:
        return []
    if matching is not None:
        stmt = stmt.where(col(step.customer_id).in_(matching))
    at_risk = set(session.exec(stmt).all())
    if not at_risk:
        return []
    nexts = session.exec(
        select(step.activation_id, func.min(step.start_at))
        .where(
            col(step.activation_id).in_(sorted(at_risk)), col(step.status).in_(OPEN_STEPS), col(step.start_at) >= to_naive_utc(now)
        )
        .group_by(col(step.activation_id))
    ).all()
    return [activation_id for activation_id, _ in sorted(nexts, key=lambda r: (r[1], r[0]))]


def _upcoming_filter(step: type[ActivationStepRow], now_naive: datetime, matching: Select | None) -> list[ColumnElement[bool]]:
    where = [col(step.status).in_(OPEN_STEPS), col(step.start_at) >= now_naive]
    if matching is not None:
        where.append(col(step.customer_id).in_(matching))
    return where


def open_step(step: Any) -> ColumnElement[bool]:
    """The step is open, its statuses written out as literals: the predicate of ix_activation_step_open, which
    SQLite and PostgreSQL can only prove from the same words (bound parameters would hide them)."""
    return col(step.status).in_(bindparam("open_steps", OPEN_STEPS, expanding=True, literal_execute=True))


def _count_upcoming(session: Session, now_naive: datetime, matching: Select | None) -> int:
    step = ActivationStepRow
    if matching is not None:  # the customers' steps (ix_activation_step_customer_start), few
        stmt = select(func.count(func.distinct(step.activation_id))).where(*_upcoming_filter(step, now_naive, matching))
        return int(session.exec(stmt).one())
    # The whole book: the open steps in activation order (ix_activation_step_open, covering), an activation
    # counted once when its latest open step is still to come; counting distinct ids in start order would
    # sort a hundred thousand of them first.
    upcoming = (
        select(step.activation_id)
        .where(open_step(step))
        .group_by(col(step.activation_id))
        .having(func.max(step.start_at) >= now_naive)
        .subquery()
    )
    return int(session.exec(select(func.count()).select_from(upcoming)).one())


def _rest(
    session: Session,
    now_naive: datetime,
    matching: Select | None,
    risky: list[int],
    offset: int,
    limit: int,
) -> list[int]:
    """Upcoming activations not at risk, by next step start: each at its earliest open step from now."""
    if limit <= 0:
        return []
    step = aliased(ActivationStepRow)
    other = aliased(ActivationStepRow)
    earlier = exists().where(
        col(other.activation_id) == step.activation_id,
        col(other.status).in_(OPEN_STEPS),
        col(other.start_at) >= now_naive,
        or_(col(other.start_at) < step.start_at, and_(col(other.start_at) == step.start_at, col(other.id) < step.id)),
    )
    stmt = select(step.activation_id).where(*_upcoming_filter(step, now_naive, matching), ~earlier)
    if risky:
        stmt = stmt.where(col(step.activation_id).not_in(risky))
    stmt = stmt.order_by(col(step.start_at), col(step.id)).offset(offset).limit(limit)
    return list(session.exec(stmt).all())


def _next_step(now_naive: datetime) -> list:
    step = ActivationStepRow
    return [col(step.status).in_(OPEN_STEPS), col(step.start_at) >= now_naive]


def _details(session: Session, ids: list[int], step_where: list) -> dict[int, dict]:
    """What a row shows, with the earliest of the activation's steps that `step_where` picks."""
    rows = session.exec(
        select_columns(
            ActivationRow.id,
            ActivationRow.customer_id,
            ActivationRow.service,
            ActivationRow.field_dispatch,
            ActivationRow.site_id,
            CustomerRow.name,
            CustomerRow.account_number,
            CustomerRow.region,
            SiteRow.name,
            SiteRow.city,
            SiteRow.timezone,
            SiteRow.country,
            OrderRow.ccd,
            ActivationRow.traffic_passed_at,
            SiteRow.subdivision,
        )
        .join(CustomerRow, col(CustomerRow.id) == ActivationRow.customer_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .where(col(ActivationRow.id).in_(ids))
    ).all()
    found = {
        r[0]: {
            "customer_id": r[1],
            "service": r[2],
            "dispatch": r[3],
            "site_id": r[4],
            "customer_name": r[5],
            "account": r[6],
            "region": r[7],
            "site_name": r[8],
            "city": r[9],
            "zone": r[10],
            "country": r[11],
            "ccd": r[12],
            "traffic": r[13],
            "subdivision": r[14],
        }
        for r in rows
    }
    step = ActivationStepRow
    steps = session.exec(
        select_columns(step.activation_id, step.kind, step.start_at, step.status, step.id)
        .where(col(step.activation_id).in_(ids), *step_where)
        .order_by(col(step.start_at).desc(), col(step.id).desc())
    ).all()
    for activation_id, kind, start_at, status, _ in steps:  # the earliest comes last and wins
        if activation_id in found:
            found[activation_id] |= {"kind": kind, "start_at": start_at, "status": status}
    return {i: d for i, d in found.items() if "kind" in d}
