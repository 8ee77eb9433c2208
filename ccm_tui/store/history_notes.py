"""A note on an activation's history: what on-call (or anyone) saw or did, with no change of status.

It is one history line (action "note", the status unchanged, the note as
its reason) and its change-log entry: the only rows it writes, which is
why an on-call login may write it (see store/people.grant_roles).
"""

from __future__ import annotations

from sqlalchemy import Engine

from ccm_tui.domain.model import StepStatus
from ccm_tui.errors import NotFound
from ccm_tui.store.activations import Actor, record_change
from ccm_tui.store.engine import write_session
from ccm_tui.store.tables import ActivationStepRow

NOTE_ACTION = "note"
MAX_NOTE = 1000  # activation_change.reason's width


def add_note(engine: Engine, step_id: int, note: str, actor: Actor) -> None:
    text = note.strip()
    if not text:
        raise ValueError("the note is empty")
    if len(text) > MAX_NOTE:
        raise ValueError(f"the note is {len(text)} characters long; at most {MAX_NOTE}")
    with write_session(engine) as session:
        step = session.get(ActivationStepRow, step_id)
        if step is None:
            raise NotFound("activation step", step_id)
        record_change(session, step, NOTE_ACTION, StepStatus(step.status), actor, reason=text)
