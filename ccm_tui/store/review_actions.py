"""A service review draft's action items: adding, rewording, marking done,
and removing one (a carried one is marked done instead).

A completed review is history: every write here refuses it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from ccm_tui.domain.review_inputs import ActionInput
from ccm_tui.domain.service_review import ActionItem
from ccm_tui.errors import NotFound, StoreError
from ccm_tui.store.engine import write_session
from ccm_tui.store.review_drafts import lock_draft
from ccm_tui.store.reviews import action_from_row
from ccm_tui.store.tables import ActionItemRow


def add_action(engine: Engine, review_id: int, data: ActionInput) -> ActionItem:
    with write_session(engine) as session:
        lock_draft(session, review_id)
        row = ActionItemRow(review_id=review_id, text=data.text, owner=data.owner, due=data.due)
        session.add(row)
        session.flush()
        return action_from_row(row)


def _action(session: Session, action_id: int) -> ActionItemRow:
    row = session.get(ActionItemRow, action_id, with_for_update=True)
    if row is None:
        raise NotFound("action item", action_id)
    lock_draft(session, row.review_id)
    return row


def update_action(engine: Engine, action_id: int, data: ActionInput) -> ActionItem:
    with write_session(engine) as session:
        row = _action(session, action_id)
        row.text, row.owner, row.due = data.text, data.owner, data.due
        session.add(row)
        session.flush()
        return action_from_row(row)


def set_action_done(engine: Engine, action_id: int, done: bool, day: date) -> ActionItem:
    with write_session(engine) as session:
        row = _action(session, action_id)
        row.done = done
        row.done_on = day if done else None
        session.add(row)
        session.flush()
        return action_from_row(row)


def remove_action(engine: Engine, action_id: int) -> None:
    """Remove an action added on this draft; one carried from a past review is marked done instead."""
    with write_session(engine) as session:
        row = _action(session, action_id)
        if row.carried_from_id is not None:
            raise StoreError("this action was carried from an earlier review; mark it done (space) rather than remove it")
        session.delete(row)
