"""Activation checklists: made from templates, ticked, and read as readiness.

Readiness and the not-ready risk come from SQL aggregates per activation
(GROUP BY activation_id over ix_checklist_item_readiness): done and
required counts, and the outstanding customer blocking items per step and
due offset. Python then compares each offset with the one instant from
which it is overdue at that site (`domain.readiness.overdue_before`), so no
checklist is ever loaded to judge it. Every state change writes a
checklist_change row in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, case, func
from sqlmodel import Session, col, select

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.checklist import (
    INSTALLATION_PHASES,
    ChecklistChange,
    ChecklistItem,
    ChecklistTemplate,
    ItemSource,
    ItemState,
    Owner,
    Phase,
    item_due_date,
    sort_items,
    visible_phases,
)
from ccm_tui.domain.checklist_input import AdhocItemInput
from ccm_tui.domain.checklist_views import ActivationChecklist, ChecklistLine
from ccm_tui.domain.fees import FeeSchedule
from ccm_tui.domain.model import Region, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.readiness import (
    NO_CHECKLIST,
    Readiness,
    is_overdue,
    not_ready_cost,
    overdue_before,
    risk_reason,
)
from ccm_tui.store.convert import (
    activation_from_row,
    contact_from_row,
    site_from_row,
    step_from_row,
    to_naive_utc,
    to_utc,
)
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ChecklistChangeRow,
    ChecklistItemRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)

OPEN_STEPS = tuple(s.value for s in StepStatus if s.open)
_INSTALL_PHASES = tuple(p.value for p in INSTALLATION_PHASES)
_OUTSTANDING = (ItemState.OPEN.value, ItemState.BLOCKED.value)
_TROUBLESHOOTING = Phase.AFTER_ACTIVATION.value


# -- making a checklist ----------------------------------------------------------------


def create_from_templates(
    session: Session, activation_id: int, templates: Mapping[ServiceKind, ChecklistTemplate]
) -> int:
    """Give the activation its template's items, in the caller's transaction.

    Runs inside another write (the calendar's request of a window) and is
    safe to repeat: an activation that already has template items keeps
    them, ticks and all. Returns how many items were made. A new item has
    no history yet: its first line is its first change.
    """
    activation = session.get(ActivationRow, activation_id)
    if activation is None:
        raise NotFound("activation", activation_id)
    template = templates.get(ServiceKind(activation.service))
    if template is None:
        return 0
    already = session.exec(
        select(func.count())
        .select_from(ChecklistItemRow)
        .where(ChecklistItemRow.activation_id == activation_id, ChecklistItemRow.source == ItemSource.TEMPLATE.value)
    ).one()
    if already:
        return 0
    for position, item in enumerate(template.items, start=1):
        session.add(
            ChecklistItemRow(
                activation_id=activation_id,
                phase=item.phase.value,
                position=position,
                text=item.text,
                owner=item.owner.value,
                due_offset_days=item.due_business_days,
                blocking=item.blocking,
                source=ItemSource.TEMPLATE.value,
            )
        )
    session.flush()
    return len(template.items)


def create_checklist(engine: Engine, activation_id: int, templates: Mapping[ServiceKind, ChecklistTemplate]) -> int:
    """`create_from_templates` in a transaction of its own."""
    with write_session(engine) as session:
        return create_from_templates(session, activation_id, templates)


# -- changing items ------------------------------------------------------------------------


def item_from_row(row: ChecklistItemRow) -> ChecklistItem:
    assert row.id is not None
    return ChecklistItem(
        id=row.id,
        activation_id=row.activation_id,
        phase=Phase(row.phase),
        position=row.position,
        text=row.text,
        owner=Owner(row.owner),
        due_business_days=row.due_offset_days,
        blocking=row.blocking,
        state=ItemState(row.state),
        note=row.note,
        source=ItemSource(row.source),
        version=row.version,
        updated_at=to_utc(row.updated_at),
        updated_by=row.updated_by,
    )


def set_state(
    engine: Engine,
    item_id: int,
    expected_version: int,
    state: ItemState,
    note: str,
    now: datetime,
    who: str,
) -> ChecklistItem:
    """Move an item to `state` (with its note), as read at `expected_version`.

    The history row says from what to what, who, when and the note. A
    blocked item keeps its note until it moves on; done and reopened items
    keep the last note unless a new one is given.
    """
    with write_session(engine) as session:
        row = session.get(ChecklistItemRow, item_id, with_for_update=True)
        if row is None:
            raise NotFound("checklist item", item_id)
        if row.version != expected_version:
            raise StaleEdit("checklist item", item_id)
        before = row.state
        stamp = to_naive_utc(now)
        row.state = state.value
        if note or state is ItemState.BLOCKED:
            row.note = note
        row.version += 1
        row.updated_at = stamp
        row.updated_by = who
        session.add(row)
        session.add(
            ChecklistChangeRow(
                item_id=item_id,
                activation_id=row.activation_id,
                at=stamp,
                who=who,
                from_state=before,
                to_state=state.value,
                note=note,
            )
        )
        session.flush()
        return item_from_row(row)


def add_item(engine: Engine, activation_id: int, data: AdhocItemInput, now: datetime, who: str) -> ChecklistItem:
    """An ad-hoc item, after the activation's others; its creation is its first history line."""
    with write_session(engine) as session:
        if session.get(ActivationRow, activation_id) is None:
            raise NotFound("activation", activation_id)
        last = session.exec(
            select(func.max(ChecklistItemRow.position)).where(ChecklistItemRow.activation_id == activation_id)
        ).one()
        stamp = to_naive_utc(now)
        row = ChecklistItemRow(
            activation_id=activation_id,
            phase=data.phase.value,
            position=(last or 0) + 1,
            text=data.text,
            owner=data.owner.value,
            due_offset_days=data.due_business_days,
            blocking=data.blocking,
            source=ItemSource.ADHOC.value,
            updated_at=stamp,
            updated_by=who,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        session.add(
            ChecklistChangeRow(
                item_id=row.id,
                activation_id=activation_id,
                at=stamp,
                who=who,
                from_state=None,
                to_state=ItemState.OPEN.value,
                note="added",
            )
        )
        return item_from_row(row)


def item_history(engine: Engine, item_id: int) -> list[ChecklistChange]:
    """Every change to the item, oldest first."""
    with read_session(engine) as session:
        rows = session.exec(
            select(ChecklistChangeRow)
            .where(ChecklistChangeRow.item_id == item_id)
            .order_by(col(ChecklistChangeRow.at), col(ChecklistChangeRow.id))
        ).all()
    return [
        ChecklistChange(
            id=r.id or 0,
            item_id=r.item_id,
            activation_id=r.activation_id,
            at=to_utc(r.at),
            who=r.who,
            from_state=ItemState(r.from_state) if r.from_state else None,
            to_state=ItemState(r.to_state),
            note=r.note,
        )
        for r in rows
    ]


# -- readiness -----------------------------------------------------------------------------


class Calendars:
    """Site calendars by (zone, country, subdivision), made once per query."""

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
class _OpenStep:
    kind: StepKind
    start: datetime  # UTC
    cal: SiteCalendar


def readiness_for(
    engine: Engine, activation_ids: Sequence[int], now: datetime, business_hours: BusinessHours
) -> dict[int, Readiness]:
    """Readiness of each activation (one without items: 0 of 0, no risk)."""
    with read_session(engine) as session:
        return readiness_in(session, activation_ids, now, Calendars(business_hours))


def readiness_in(
    session: Session, activation_ids: Sequence[int], now: datetime, calendars: Calendars
) -> dict[int, Readiness]:
    ids = list(dict.fromkeys(activation_ids))
    if not ids:
        return {}
    item = ChecklistItemRow
    counted = col(item.phase) != _TROUBLESHOOTING
    counts = session.exec(
        select(
            item.activation_id,
            func.sum(case((and_(counted, col(item.state) == ItemState.DONE.value), 1), else_=0)),
            func.sum(case((and_(counted, col(item.state) != ItemState.NOT_APPLICABLE.value), 1), else_=0)),
        )
        .where(col(item.activation_id).in_(ids))
        .group_by(col(item.activation_id))
    ).all()
    risks = _risks(session, ids, now, calendars)
    found = {}
    for activation_id, done, required in counts:
        overdue = risks.get(activation_id)
        found[activation_id] = Readiness(
            done=int(done or 0),
            required=int(required or 0),
            at_risk=overdue is not None,
            risk_reason=overdue or "",
        )
    return {i: found.get(i, NO_CHECKLIST) for i in ids}


def _open_steps(session: Session, ids: Sequence[int], calendars: Calendars) -> dict[int, list[_OpenStep]]:
    """The activations' steps still on the calendar (with a window), with their site's calendar."""
    step = ActivationStepRow
    rows = session.exec(
        select(step.activation_id, step.kind, step.start_at, SiteRow.timezone, SiteRow.country, SiteRow.subdivision)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(col(step.activation_id).in_(ids), col(step.status).in_(OPEN_STEPS), col(step.start_at).is_not(None))
    ).all()
    found: dict[int, list[_OpenStep]] = defaultdict(list)
    for activation_id, kind, start_at, zone, country, subdivision in rows:
        found[activation_id].append(_OpenStep(StepKind(kind), to_utc(start_at), calendars(zone, country, subdivision)))
    return found


def _step_of_phase():  # type: ignore[no-untyped-def]
    item = ChecklistItemRow
    return case((col(item.phase).in_(_INSTALL_PHASES), StepKind.INSTALLATION.value), else_=StepKind.ACTIVATION.value)


def _outstanding_customer_blocking():  # type: ignore[no-untyped-def]
    item = ChecklistItemRow
    return and_(
        col(item.owner) == Owner.CUSTOMER.value,
        col(item.blocking) == True,  # noqa: E712 - "= 1" seeks ix_checklist_item_readiness, IS would not
        col(item.state).in_(_OUTSTANDING),
        col(item.phase) != _TROUBLESHOOTING,
    )


def _risks(session: Session, ids: Sequence[int], now: datetime, calendars: Calendars) -> dict[int, str]:
    """The reason each activation at risk is, by activation id (the others are left out)."""
    steps = _open_steps(session, ids, calendars)
    if not steps:
        return {}
    item = ChecklistItemRow
    step_kind = _step_of_phase().label("step")
    pending = session.exec(
        select(item.activation_id, step_kind, item.due_offset_days, func.count())
        .where(col(item.activation_id).in_(list(steps)), _outstanding_customer_blocking())
        .group_by(col(item.activation_id), step_kind, col(item.due_offset_days))
    ).all()
    overdue: dict[int, dict[StepKind, tuple[int, int]]] = defaultdict(dict)  # -> (count, largest offset)
    for activation_id, kind, offset, count in pending:
        step = next((s for s in steps[activation_id] if s.kind.value == kind), None)
        if step is None or step.start >= overdue_before(now, step.cal, offset):
            continue
        total, largest = overdue[activation_id].get(step.kind, (0, -1))
        overdue[activation_id][step.kind] = (total + count, max(largest, offset))
    if not overdue:
        return {}
    firsts = _first_overdue_texts(session, overdue)
    reasons = {}
    for activation_id, per_step in overdue.items():
        # the earlier step first: the installation before the event
        kind = min(per_step, key=lambda k: 0 if k is StepKind.INSTALLATION else 1)
        count = sum(c for c, _ in per_step.values())
        reasons[activation_id] = risk_reason(kind, count, firsts.get((activation_id, kind), ""))
    return reasons


def _first_overdue_texts(
    session: Session, overdue: Mapping[int, Mapping[StepKind, tuple[int, int]]]
) -> dict[tuple[int, StepKind], str]:
    """The most overdue item's text (largest offset, then template order), per activation and step."""
    item = ChecklistItemRow
    rows = session.exec(
        select(item.activation_id, item.phase, item.due_offset_days, item.text)
        .where(col(item.activation_id).in_(list(overdue)), _outstanding_customer_blocking())
        .order_by(col(item.activation_id), col(item.due_offset_days).desc(), col(item.position), col(item.id))
    ).all()
    firsts: dict[tuple[int, StepKind], str] = {}
    for activation_id, phase, offset, text in rows:
        kind = Phase(phase).step
        known = overdue[activation_id].get(kind)
        if known is not None and offset == known[1]:
            firsts.setdefault((activation_id, kind), text)
    return firsts


def customers_at_risk(
    session: Session, customer_ids: Sequence[int], now: datetime, business_hours: BusinessHours
) -> set[int]:
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


# -- one activation's checklist --------------------------------------------------------------


def activation_checklist(
    engine: Engine,
    activation_id: int,
    now: datetime,
    business_hours: BusinessHours,
    schedule: FeeSchedule,
) -> ActivationChecklist:
    """The activation with its items, due dates in the site's calendar, readiness and risk cost."""
    calendars = Calendars(business_hours)
    with read_session(engine) as session:
        found = session.exec(
            select(ActivationRow, SiteRow, CustomerRow.name, CustomerRow.account_number, CustomerRow.region, OrderRow)
            .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
            .join(CustomerRow, col(CustomerRow.id) == ActivationRow.customer_id)
            .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
            .where(ActivationRow.id == activation_id)
        ).first()
        if found is None:
            raise NotFound("activation", activation_id)
        activation_row, site_row, customer_name, account_number, region, order_row = found
        step_rows = session.exec(select(ActivationStepRow).where(ActivationStepRow.activation_id == activation_id)).all()
        items = session.exec(select(ChecklistItemRow).where(ChecklistItemRow.activation_id == activation_id)).all()
        contacts = session.exec(
            select(ContactRow).where(ContactRow.customer_id == activation_row.customer_id).order_by(col(ContactRow.id))
        ).all()
        readiness = readiness_in(session, [activation_id], now, calendars)[activation_id]
    activation = activation_from_row(activation_row, [step_from_row(s) for s in step_rows])
    site = site_from_row(site_row)
    cal = calendars(site.timezone, site.country, site.subdivision)
    people = [contact_from_row(c) for c in contacts]
    letter_contact = next((c for c in people if c.id == activation_row.ip_letter_contact_id), None)
    technical = letter_contact or next((c for c in people if "technical" in {r.value for r in c.roles}), None)
    lines = []
    for item in sort_items([item_from_row(r) for r in items]):
        step = activation.step(item.phase.step)
        start = step.start if step is not None else None
        due = item_due_date(start, item.due_business_days, cal) if start is not None else None
        late = (
            start is not None
            and step is not None
            and step.status.open
            and item.state.outstanding
            and is_overdue(start, item.due_business_days, now, cal)
        )
        lines.append(ChecklistLine(item=item, due=due, overdue=bool(late)))
    cost = None
    if readiness.at_risk:
        sites = [(site.id, site.name, cal, activation.field_dispatch)]
        cost = not_ready_cost(schedule, Region(region), sites, order_row.ccd)
    activated = (act := activation.step(StepKind.ACTIVATION)) is not None and act.status is StepStatus.COMPLETED
    return ActivationChecklist(
        activation=activation,
        customer_name=customer_name,
        account_number=account_number,
        region=Region(region),
        site=site,
        order_number=order_row.number,
        ccd=order_row.ccd,
        ip_letter_contact=letter_contact,
        technical_contact=technical,
        lines=tuple(lines),
        phases=visible_phases(activation.service, activated),
        readiness=readiness,
        cost=cost,
    )
