"""A service review draft's action items: adding, rewording, marking done,
and removing one (a carried one is marked done instead).

A completed review is history: every write here refuses it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from ccm_tui.domain.changes import CHANGED, CREATED, REMOVED, Entity
from ccm_tui.domain.people import Person
from ccm_tui.domain.review_inputs import ActionInput
from ccm_tui.domain.service_review import ActionItem
from ccm_tui.errors import NotFound, StoreError
from ccm_tui.store import change_log
from ccm_tui.store.engine import write_session
from ccm_tui.store.review_drafts import lock_draft
from ccm_tui.store.reviews import action_from_row
from ccm_tui.store.tables import ActionItemRow


def add_action(engine: Engine, review_id: int, data: ActionInput, *, actor: Person, now: datetime) -> ActionItem:
    with write_session(engine) as session:
        customer_id = lock_draft(session, review_id).customer_id
        row = ActionItemRow(review_id=review_id, text=data.text, owner=data.owner, due=data.due)
        session.add(row)
        session.flush()
        action = action_from_row(row)
        change_log.record(session, actor, now, Entity.ACTION_ITEM, action.id, customer_id, CREATED, {}, change_log.fields_of(row))
        return action


def _action(session: Session, action_id: int) -> tuple[ActionItemRow, int]:
    """The action and its review's customer, the draft locked."""
    row = session.get(ActionItemRow, action_id, with_for_update=True)
    if row is None:
        raise NotFound("action item", action_id)
    return row, lock_draft(session, row.review_id).customer_id


def update_action(engine: Engine, action_id: int, data: ActionInput, *, actor: Person, now: datetime) -> ActionItem:
    with write_session(engine) as session:
        row, customer_id = _action(session, action_id)
        before = change_log.fields_of(row)
        row.text, row.owner, row.due = data.text, data.owner, data.due
        session.add(row)
        session.flush()
        change_log.record(
            session, actor, now, Entity.ACTION_ITEM, action_id, customer_id, CHANGED, before, change_log.fields_of(row)
        )
        return action_from_row(row)


def set_action_done(engine: Engine, action_id: int, done: bool, day: date, *, actor: Person, now: datetime) -> ActionItem:
    with write_session(engine) as session:
        row, customer_id = _action(session, action_id)
        before = change_log.fields_of(row)
        row.done = done
        row.done_on = day if done else None
        session.add(row)
        session.flush()
        change_log.record(
            session, actor, now, Entity.ACTION_ITEM, action_id, customer_id, CHANGED, before, change_log.fields_of(row)
        )
        return action_from_row(row)


def remove_action(engine: Engine, action_id: int, *, actor: Person, now: datetime) -> None:
    """Remove an action added on this draft; one carried from a past review is marked done instead."""
    with write_session(engine) as session:
        row, customer_id = _action(session, action_id)
        if row.carried_from_id is not None:
            raise StoreError("this action was carried from an earlier review; mark it done (space) rather than remove it")
        before = change_log.fields_of(row)
        session.delete(row)
        change_log.record(session, actor, now, Entity.ACTION_ITEM, action_id, customer_id, REMOVED, before, {})
