"""Undo and redo: turn one change back, in one transaction, recorded as a change itself.

Which change is `domain.undo`'s (the person's stack, read from the log);
this module reads the person's latest entries and writes the change back:
a field record gets its fields as they were (a creation is removed, a
removal is made again under its old id), a step moves back to its status
and window. Every record must still be as the change left it: if someone
changed it since, nothing is written and the refusal says so. The entries
written say "undo" (or "redo") and the change they turned back, so the
change log keeps who undid what, when.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from ccm_tui.domain.action_inputs import WindowInput
from ccm_tui.domain.changes import CHANGED, CREATED, REMOVED, ChangeEntry, Entity, Plain
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.status import CannotReinstate, reinstated
from ccm_tui.domain.undo import REDO, UNDO, Change, UndoState, changes_of, describe, step_action, undo_state, why_not
from ccm_tui.errors import NotFound
from ccm_tui.store import change_log
from ccm_tui.store.activations import Actor, record_change, set_window
from ccm_tui.store.blocking_offsets import refresh_blocking_offsets
from ccm_tui.store.calendar_flags import forget_site
from ccm_tui.store.change_names import with_record_names
from ccm_tui.store.contacts import contact_in_use
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.customers import refresh_search_text
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.sites import site_in_use
from ccm_tui.store.sql_types import table_of
from ccm_tui.store.tables import (
    ActionItemRow,
    ActivationRow,
    ActivationStepRow,
    AgendaItemRow,
    ChangeLogRow,
    ChecklistChangeRow,
    ChecklistItemRow,
    ContactRow,
    CustomerRow,
    IncidentRow,
    OrderRow,
    ServiceReviewRow,
    SiteRow,
    TimeEntryRow,
)

# How far back `u` looks: a person's latest entries (an import's thousands end the stack anyway).
WINDOW = 400

_ROWS: dict[Entity, type[SQLModel]] = {
    Entity.CUSTOMER: CustomerRow,
    Entity.CONTACT: ContactRow,
    Entity.SITE: SiteRow,
    Entity.TIME_ENTRY: TimeEntryRow,
    Entity.CHECKLIST_ITEM: ChecklistItemRow,
    Entity.AGENDA_ITEM: AgendaItemRow,
    Entity.ACTION_ITEM: ActionItemRow,
    Entity.INCIDENT: IncidentRow,
}


class UndoRefused(ValueError):
    """Nothing to undo or redo, or the change cannot be turned back; the message says why."""


def undo_state_of(engine: Engine, login: str) -> UndoState:
    """What `u` and `ctrl+r` would turn back for the person `login`, names read for the message."""
    stmt = select(ChangeLogRow).where(ChangeLogRow.author == login).order_by(col(ChangeLogRow.seq).desc()).limit(WINDOW)
    with read_session(engine) as session:
        entries = [change_log.entry_from_row(row) for row in session.exec(stmt).all()]
        state = undo_state(changes_of(entries))
        named = [_named(session, change) for change in (state.undo, state.redo)]
    return UndoState(named[0], named[1])


def _named(session: Session, change: Change | None) -> Change | None:
    return None if change is None else Change(tuple(with_record_names(session, change.entries)))


def turn_back(engine: Engine, change: Change, kind: str, actor: Actor) -> str:
    """Undo (kind UNDO) or redo (REDO) `change`; a line saying what was turned back."""
    why = why_not(change)
    if why is not None:
        raise UndoRefused(why)
    try:
        _turn_back(engine, change, kind, actor)
    except IntegrityError:  # made again beside a record that took its name (a site's, an account number)
        raise UndoRefused("a record with the same name or number is in the book now; nothing was undone") from None
    return describe(change)


def _turn_back(engine: Engine, change: Change, kind: str, actor: Actor) -> None:
    with write_session(engine) as session:
        change_log.reverting(session, change.txn)
        if session.exec(
            select(func.count()).where(ChangeLogRow.reverts == change.txn, ChangeLogRow.author == actor.author.login)
        ).one():
            raise UndoRefused(f"that change was already {'undone' if kind == UNDO else 'redone'}")
        for entry in reversed(change.entries):
            if entry.entity is Entity.ACTIVATION_STEP:
                _step_back(session, entry, kind, actor)
            else:
                _fields_back(session, entry, kind, actor)


# -- a step: its status and window as they were -----------------------------------------
def _step_back(session: Session, entry: ChangeEntry, kind: str, actor: Actor) -> None:
    step = session.get(ActivationStepRow, entry.entity_id, with_for_update=True)
    if step is None:
        raise UndoRefused("the activation is no longer in the book")
    status_was, status_now = entry.changes.get("status", (None, None))
    if status_now is None or step.status != status_now:
        raise _changed_since(entry)
    before = StepStatus(step.status)
    old_start = to_utc(step.start_at)
    target = StepStatus(str(status_was))
    moved = "start" in entry.changes
    if moved:
        start_was, start_now = entry.changes["start"]
        if _instant(start_now) != old_start:
            raise _changed_since(entry)
        _move_window(session, step, _instant(start_was), actor)
    if before is StepStatus.CANCELLED:  # an undone cancellation is a reinstatement, by its rule
        try:
            plan = reinstated(StepKind(step.kind), before, target, to_utc(step.start_at), actor.now)
        except CannotReinstate as refused:
            raise UndoRefused(str(refused)) from None
        target = plan.status
        if not plan.keeps_window:  # its window passed meanwhile: to be requested again
            _move_window(session, step, None, actor)
            moved = True
    step.status = target.value
    step.version += 1
    session.add(step)
    record_change(
        session,
        step,
        kind,
        before,
        actor,
        from_start=old_start if moved else None,
        to_start=to_utc(step.start_at) if moved else None,
        reason=f"{kind} {step_action(entry)}",
    )


def _move_window(session: Session, step: ActivationStepRow, start: datetime | None, actor: Actor) -> None:
    if start is None:
        step.start_at = step.end_at = None
        step.calendar_flags = None
        return
    current_start, current_end = to_utc(step.start_at), to_utc(step.end_at)
    length = current_end - current_start if current_start is not None and current_end is not None else timedelta(0)
    set_window(session, step, WindowInput(start, start + length, ""), actor.hours)


def _instant(value: Plain) -> datetime | None:
    if value in (None, ""):
        return None
    return to_utc(datetime.fromisoformat(str(value)))


# -- a record with fields: as it was, or gone, or back ------------------------------------
def _fields_back(session: Session, entry: ChangeEntry, kind: str, actor: Actor) -> None:
    row_type = _ROWS[entry.entity]
    columns = {column.name: column for column in table_of(row_type).columns}
    unknown = [name for name in entry.changes if name not in columns]
    if unknown:
        raise UndoRefused(f"“{entry.action}” of a {entry.entity.label} is not undone with u")
    row = session.get(row_type, entry.entity_id, with_for_update=True)
    reason = kind
    if entry.action == CREATED:  # made: remove it, if it is as it was made and nothing uses it
        if row is None:
            raise UndoRefused(f"the {entry.entity.label} is gone already")
        _require_as_left(row, entry)
        _refuse_if_used(session, entry)
        before = change_log.fields_of(row)
        customer_id = entry.customer_id
        session.delete(row)
        session.flush()
        _after(session, entry, customer_id, None, actor, reason, before)
        change_log.record(
            session, actor.author, actor.now, entry.entity, entry.entity_id, customer_id, REMOVED, before, {}, reason
        )
    elif entry.action == REMOVED:  # removed: make it again, under its old id while that is free
        # (SQLite hands the largest id out again once its row is gone: another record may hold it now)
        values = {name: _value(columns[name], was) for name, (was, _now) in entry.changes.items()}
        if "customer_id" in columns and entry.customer_id is not None:
            values["customer_id"] = entry.customer_id
        stamp = to_naive_utc(actor.now)
        values.update({name: stamp for name in ("created_at", "updated_at") if name in columns and name not in values})
        if "sort_name" in columns:
            values.setdefault("sort_name", "")  # derived below, from the row's name
        row = row_type(**values) if row is not None else row_type(id=entry.entity_id, **values)
        session.add(row)
        session.flush()
        _after(session, entry, entry.customer_id, row, actor, reason)
        change_log.record(
            session,
            actor.author,
            actor.now,
            entry.entity,
            getattr(row, "id"),  # noqa: B009 - every record here has an id; the old one, or a new one
            entry.customer_id,
            CREATED,
            {},
            change_log.fields_of(row),
            reason,
        )
    else:  # changed: the fields as they were
        if row is None:
            raise UndoRefused(f"the {entry.entity.label} has been removed since")
        _require_as_left(row, entry)
        before = change_log.fields_of(row)
        for name, (was, _now) in entry.changes.items():
            setattr(row, name, _value(columns[name], was))
        if hasattr(row, "version"):
            row.version += 1
        session.add(row)
        session.flush()
        _after(session, entry, entry.customer_id, row, actor, reason, before)
        change_log.record(
            session,
            actor.author,
            actor.now,
            entry.entity,
            entry.entity_id,
            entry.customer_id,
            CHANGED,
            before,
            change_log.fields_of(row),
            reason,
        )


def _require_as_left(row: SQLModel, entry: ChangeEntry) -> None:
    """Each field the change wrote still holds what it wrote: no one has changed the record since."""
    columns = {column.name: column for column in table_of(type(row)).columns}
    for name, (_was, now) in entry.changes.items():
        if not _same(getattr(row, name), _value(columns[name], now)):
            raise _changed_since(entry)


def _same(held: Any, logged: Any) -> bool:
    if held in (None, "") and logged in (None, ""):
        return True
    if isinstance(held, datetime) and isinstance(logged, datetime):
        return to_utc(held) == to_utc(logged)  # the log may keep an aware time, the column a naive UTC one
    return change_log.plain(held) == change_log.plain(logged)


def _refuse_if_used(session: Session, entry: ChangeEntry) -> None:
    why: str | None = None
    if entry.entity is Entity.CONTACT:
        why = contact_in_use(session, entry.entity_id)
    elif entry.entity is Entity.SITE:
        why = site_in_use(session, entry.entity_id)
    elif entry.entity is Entity.CUSTOMER:
        held = [label for label, row_type in _CUSTOMER_RECORDS if _count(session, row_type, entry.entity_id)]
        why = f"the customer has {', '.join(held)} now" if held else None
    if why:
        raise UndoRefused(why)


_CUSTOMER_RECORDS: tuple[tuple[str, type[SQLModel]], ...] = (
    ("contacts", ContactRow),
    ("sites", SiteRow),
    ("orders", OrderRow),
    ("activations", ActivationRow),
    ("time logged", TimeEntryRow),
    ("reviews", ServiceReviewRow),
    ("incidents", IncidentRow),
)


def _count(session: Session, row_type: type[SQLModel], customer_id: int) -> int:
    return session.exec(select(func.count()).where(getattr(row_type, "customer_id") == customer_id)).one()  # noqa: B009 - each of these rows has one


def _after(
    session: Session,
    entry: ChangeEntry,
    customer_id: int | None,
    row: SQLModel | None,
    actor: Actor,
    reason: str,
    before: dict[str, Any] | None = None,
) -> None:
    """What else a write of this record keeps: the customer's `/` text, a site's flags, a checklist's history and
    its activation's offsets (`before`: the record's fields before the write, for one removed)."""
    if entry.entity is Entity.CUSTOMER and isinstance(row, CustomerRow):
        row.updated_at = to_naive_utc(actor.now)
        refresh_search_text(session, entry.entity_id)
    elif entry.entity in (Entity.CONTACT, Entity.SITE) and customer_id is not None:
        refresh_search_text(session, customer_id)
        if entry.entity is Entity.SITE and row is not None:
            forget_site(session, entry.entity_id)
    elif entry.entity is Entity.CHECKLIST_ITEM and isinstance(row, ChecklistItemRow):
        row.updated_at = to_naive_utc(actor.now)
        row.updated_by = actor.author.author
        assert row.id is not None
        session.add(
            ChecklistChangeRow(
                item_id=row.id,
                activation_id=row.activation_id,
                at=to_naive_utc(actor.now),
                who=actor.author.author,
                from_state=(before or {}).get("state"),
                to_state=row.state,
                note=reason,
            )
        )
    if entry.entity is Entity.CHECKLIST_ITEM:
        activation_id = row.activation_id if isinstance(row, ChecklistItemRow) else (before or {}).get("activation_id")
        if activation_id is not None:
            session.flush()
            refresh_blocking_offsets(session.connection(), [activation_id])


def _changed_since(entry: ChangeEntry) -> UndoRefused:
    return UndoRefused(f"the {entry.entity.label} was changed since; nothing was undone")


def _value(column: Any, value: Plain) -> Any:
    """A logged value as its column holds it."""
    if value is None:
        return None
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    if kind is datetime:  # naive UTC, as the columns keep it
        return to_naive_utc(to_utc(datetime.fromisoformat(str(value))))
    if kind is date:
        return date.fromisoformat(str(value))
    if kind is Decimal:
        return Decimal(str(value))
    if kind is bool:
        return bool(value)
    if kind is int:
        return int(value)
    return value


__all__ = ["REDO", "UNDO", "NotFound", "UndoRefused", "turn_back", "undo_state_of"]
