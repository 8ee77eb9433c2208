"""Activation checklists: made from templates, items ticked or added, and
an item's history.

Every state change writes a checklist_change row in the same transaction.
Readiness is read in `checklist_readiness`; one activation's checklist as
its screen shows it in `activation_checklist`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from ccm_tui.domain.changes import CREATED, Entity
from ccm_tui.domain.checklist import (
    ChecklistChange,
    ChecklistItem,
    ChecklistTemplate,
    ItemSource,
    ItemState,
    Owner,
    Phase,
)
from ccm_tui.domain.checklist_input import AdhocItemInput
from ccm_tui.domain.model import ServiceKind
from ccm_tui.domain.people import Person
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store import change_log
from ccm_tui.store.blocking_offsets import refresh_blocking_offsets
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import ActivationRow, ChecklistChangeRow, ChecklistItemRow

# -- making a checklist ----------------------------------------------------------------


def create_from_templates(session: Session, activation_id: int, templates: Mapping[ServiceKind, ChecklistTemplate]) -> int:
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
    refresh_blocking_offsets(session.connection(), [activation_id])
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
    actor: Person,
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
        before = change_log.fields_of(row)
        stamp = to_naive_utc(now)
        who = actor.author
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
                from_state=before["state"],
                to_state=state.value,
                note=note,
            )
        )
        after = change_log.fields_of(row)
        change_log.record(
            session,
            actor,
            now,
            Entity.CHECKLIST_ITEM,
            item_id,
            _customer_of(session, row.activation_id),
            state.value,
            before,
            after,
            note,
        )
        session.flush()
        refresh_blocking_offsets(session.connection(), [row.activation_id])
        return item_from_row(row)


def add_item(engine: Engine, activation_id: int, data: AdhocItemInput, now: datetime, actor: Person) -> ChecklistItem:
    """An ad-hoc item, after the activation's others; its creation is its first history line."""
    with write_session(engine) as session:
        activation = session.get(ActivationRow, activation_id)
        if activation is None:
            raise NotFound("activation", activation_id)
        who = actor.author
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
        change_log.record(
            session, actor, now, Entity.CHECKLIST_ITEM, row.id, activation.customer_id, CREATED, {}, change_log.fields_of(row)
        )
        refresh_blocking_offsets(session.connection(), [activation_id])
        return item_from_row(row)


def _customer_of(session: Session, activation_id: int) -> int | None:
    activation = session.get(ActivationRow, activation_id)
    return activation.customer_id if activation is not None else None


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
