"""Checklist readiness and the not-ready risk, per activation and per customer.

Readiness and the not-ready risk come from SQL aggregates per activation
(GROUP BY activation_id over ix_checklist_item_readiness): done and
required counts, and the outstanding customer blocking items per step and
due offset. Python then compares each offset with the one instant from
which it is overdue at that site (`domain.readiness.overdue_before`), so no
checklist is ever loaded to judge it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, bindparam, case, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.checklist import INSTALLATION_PHASES, ItemState, Owner, Phase
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.readiness import (
    NO_CHECKLIST,
    Readiness,
    overdue_before,
    risk_reason,
)
from ccm_tui.store.convert import to_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import in_ids, select_columns
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ChecklistItemRow,
    SiteRow,
)

OPEN_STEPS = tuple(s.value for s in StepStatus if s.open)
INSTALL_PHASES = tuple(p.value for p in INSTALLATION_PHASES)
_OUTSTANDING = (ItemState.OPEN.value, ItemState.BLOCKED.value)
_TROUBLESHOOTING = Phase.AFTER_ACTIVATION.value


class Calendars:
    """Site calendars by (zone, country, subdivision), made once per query (their zones: `zone_info`)."""

    def __init__(self, hours: BusinessHours) -> None:
        self.hours = hours
        self._found: dict[tuple[str, str, str], SiteCalendar] = {}

    def __call__(self, zone: str, country: str, subdivision: str) -> SiteCalendar:
        key = (zone, country, subdivision)
        cal = self._found.get(key)
        if cal is None:
            cal = self._found[key] = SiteCalendar(zone, country, self.hours, subdivision)
        return cal


@dataclass(frozen=True, slots=True)
class OpenStep:
    kind: StepKind
    start: datetime  # UTC
    cal: SiteCalendar


def readiness_for(
    engine: Engine, activation_ids: Sequence[int], now: datetime, business_hours: BusinessHours
) -> dict[int, Readiness]:
    """Readiness of each activation (one without items: 0 of 0, no risk)."""
    with read_session(engine) as session:
        return readiness_in(session, activation_ids, now, Calendars(business_hours))


def readiness_in(session: Session, activation_ids: Sequence[int], now: datetime, calendars: Calendars) -> dict[int, Readiness]:
    ids = list(dict.fromkeys(activation_ids))
    if not ids:
        return {}
    connection = session.connection()
    # Core rows (the connection): the ORM's row handling cost more than the query
    counts = connection.execute(readiness_counts(ids)).all()
    steps = _open_steps(session, ids, calendars)
    found = readiness_from(counts, risks_of(connection, steps, now) if steps else {})
    return {i: found.get(i, NO_CHECKLIST) for i in ids}


def readiness_counts(among: Sequence[int] | SelectOfScalar[Any]) -> Select[*tuple[Any, ...]]:
    """Done and required items (troubleshooting aside) of the activations `among` (ids, or a SELECT of ids) with items."""
    item = ChecklistItemRow
    counted = col(item.phase) != _TROUBLESHOOTING
    return (
        select(
            item.activation_id,
            func.sum(case((and_(counted, col(item.state) == ItemState.DONE.value), 1), else_=0)),
            func.sum(case((and_(counted, col(item.state) != ItemState.NOT_APPLICABLE.value), 1), else_=0)),
        )
        .where(col(item.activation_id).in_(among))
        .group_by(col(item.activation_id))
    )


def readiness_from(counts: Iterable[Sequence[Any]], risks: Mapping[int, str]) -> dict[int, Readiness]:
    """Readiness by activation from `readiness_counts`' rows and the reasons of those at risk (`risks_of`)."""
    found = {}
    for activation_id, done, required in counts:
        overdue = risks.get(activation_id)
        found[activation_id] = Readiness(
            done=int(done or 0),
            required=int(required or 0),
            at_risk=overdue is not None,
            risk_reason=overdue or "",
        )
    return found


def activations_at_risk(
    session: Session, open_steps: Mapping[int, Sequence[tuple[StepKind, datetime, SiteCalendar]]], now: datetime
) -> set[int]:
    """Of the activations given with their open steps (kind, start, site calendar), those at not-ready risk.

    `readiness_in`'s `at_risk`, for long lists whose caller has read the
    steps already: no counts, no reasons, and one row per activation and step
    (`largest_offsets`) rather than one per offset.
    """
    wanted = [a for a, steps in open_steps.items() if steps]
    if not wanted:
        return set()
    found = set()
    for (activation_id, kind), offset in largest_offsets(session, wanted).items():
        for step_kind_, start, cal in open_steps[activation_id]:
            if step_kind_.value == kind and start < overdue_before(now, cal, offset):
                found.add(activation_id)
                break
    return found


def largest_offsets(session: Session, activation_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """The largest due offset of each activation's outstanding customer blocking items, by activation id and
    the step (its stored kind) they are due before: the first to fall overdue, since `overdue_before` grows
    with the offset. Activations with none are left out."""
    item = ChecklistItemRow
    step_kind = _step_of_phase().label("step")
    # Core rows (the session's connection): for a month's listing the ORM's row handling cost more than the query
    connection = session.connection()
    rows = connection.execute(
        select(item.activation_id, step_kind, func.max(item.due_offset_days))
        .where(in_ids(item.activation_id, activation_ids), outstanding_customer_blocking())
        .group_by(col(item.activation_id), step_kind)
    ).all()
    return {(activation_id, kind): offset for activation_id, kind, offset in rows}


def at_risk_among(session: Session, activation_ids: Sequence[int], now: datetime, calendars: Calendars) -> set[int]:
    """Of the activations given, those at not-ready risk: `readiness_in`'s `at_risk` alone.

    A list that only marks the risk (the on-call view's few hundred events)
    skips the counts, the reasons and their texts: its steps read, then one
    row per activation and step from `activations_at_risk`.
    """
    ids = list(dict.fromkeys(activation_ids))
    if not ids:
        return set()
    steps = _open_steps(session, ids, calendars)
    return activations_at_risk(session, {a: [(s.kind, s.start, s.cal) for s in found] for a, found in steps.items()}, now)


def _open_steps(session: Session, ids: Sequence[int], calendars: Calendars) -> dict[int, list[OpenStep]]:
    """The activations' steps still on the calendar (with a window), with their site's calendar."""
    step = ActivationStepRow
    rows = session.exec(
        select_columns(step.activation_id, step.kind, step.start_at, SiteRow.timezone, SiteRow.country, SiteRow.subdivision)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(col(step.activation_id).in_(ids), col(step.status).in_(OPEN_STEPS), col(step.start_at).is_not(None))
    ).all()
    found: dict[int, list[OpenStep]] = defaultdict(list)
    for activation_id, kind, start_at, zone, country, subdivision in rows:
        found[activation_id].append(OpenStep(StepKind(kind), to_utc(start_at), calendars(zone, country, subdivision)))
    return found


def _step_of_phase() -> ColumnElement[str]:
    item = ChecklistItemRow
    return case((col(item.phase).in_(INSTALL_PHASES), StepKind.INSTALLATION.value), else_=StepKind.ACTIVATION.value)


def outstanding_customer_blocking() -> ColumnElement[bool]:
    item = ChecklistItemRow
    return and_(
        col(item.owner) == Owner.CUSTOMER.value,
        col(item.blocking) == True,  # noqa: E712 - "= 1" seeks ix_checklist_item_readiness, IS would not
        col(item.state).in_(_OUTSTANDING),
        col(item.phase) != _TROUBLESHOOTING,
    )


def _pending() -> Select[*tuple[Any, ...]]:
    """Outstanding customer blocking items per activation, step and due offset, of the activations `ids`."""
    item = ChecklistItemRow
    step_kind = _step_of_phase().label("step")
    return (
        select(item.activation_id, step_kind, item.due_offset_days, func.count())
        .where(col(item.activation_id).in_(bindparam("ids", expanding=True)), outstanding_customer_blocking())
        .group_by(col(item.activation_id), step_kind, col(item.due_offset_days))
    )


def _first_texts() -> Select[*tuple[Any, ...]]:
    item = ChecklistItemRow
    return (
        select(item.activation_id, item.phase, item.due_offset_days, item.text)
        .where(col(item.activation_id).in_(bindparam("ids", expanding=True)), outstanding_customer_blocking())
        .order_by(col(item.activation_id), col(item.due_offset_days).desc(), col(item.position), col(item.id))
    )


# Built once: an export asks for each batch, and a statement built per call is garbage for the cyclic collector
_PENDING, _FIRST_TEXTS = _pending(), _first_texts()


def _risks(session: Session, ids: Sequence[int], now: datetime, calendars: Calendars) -> dict[int, str]:
    """The reason each activation at risk is, by activation id (the others are left out)."""
    steps = _open_steps(session, ids, calendars)
    if not steps:
        return {}
    return risks_of(session.connection(), steps, now)


def risks_of(connection: Connection, steps: Mapping[int, Sequence[OpenStep]], now: datetime) -> dict[int, str]:
    """`_risks` of the activations whose open steps are given (an export passes those it holds already)."""
    pending = connection.execute(_PENDING, {"ids": list(steps)}).all()
    overdue: dict[int, dict[StepKind, tuple[int, int]]] = defaultdict(dict)  # -> (count, largest offset)
    for activation_id, kind, offset, count in pending:
        step = next((s for s in steps[activation_id] if s.kind.value == kind), None)
        if step is None or step.start >= overdue_before(now, step.cal, offset):
            continue
        total, largest = overdue[activation_id].get(step.kind, (0, -1))
        overdue[activation_id][step.kind] = (total + count, max(largest, offset))
    if not overdue:
        return {}
    firsts = _first_overdue_texts(connection, overdue)
    reasons = {}
    for activation_id, per_step in overdue.items():
        # the earlier step first: the installation before the event
        kind = min(per_step, key=lambda k: 0 if k is StepKind.INSTALLATION else 1)
        count = sum(c for c, _ in per_step.values())
        reasons[activation_id] = risk_reason(kind, count, firsts.get((activation_id, kind), ""))
    return reasons


def _first_overdue_texts(
    connection: Connection, overdue: Mapping[int, Mapping[StepKind, tuple[int, int]]]
) -> dict[tuple[int, StepKind], str]:
    """The most overdue item's text (largest offset, then template order), per activation and step."""
    rows = connection.execute(_FIRST_TEXTS, {"ids": list(overdue)}).all()
    firsts: dict[tuple[int, StepKind], str] = {}
    for activation_id, phase, offset, text in rows:
        kind = Phase(phase).step
        known = overdue[activation_id].get(kind)
        if known is not None and offset == known[1]:
            firsts.setdefault((activation_id, kind), text)
    return firsts


def customers_at_risk(session: Session, customer_ids: Sequence[int], now: datetime, business_hours: BusinessHours) -> set[int]:
    """The customers (of those given) with an activation at not-ready risk."""
    if not customer_ids:
        return set()
    step = ActivationStepRow
    rows = session.exec(
        select(step.activation_id, step.customer_id)
        .where(
            col(step.customer_id).in_(customer_ids),
            col(step.status).in_(OPEN_STEPS),
            col(step.start_at).is_not(None),
        )
        .distinct()
    ).all()
    owner = {activation_id: customer_id for activation_id, customer_id in rows}
    if not owner:
        return set()
    risks = _risks(session, list(owner), now, Calendars(business_hours))
    return {owner[a] for a in risks}
