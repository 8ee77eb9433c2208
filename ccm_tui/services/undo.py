"""UndoService: `u` turns back the session's person's last change, `ctrl+r` puts it again.

The stack is the change log's (domain.undo): it holds across sessions, as
lazygit's undo reads the reflog, and the undo is itself a change with its
author, so the timeline shows who undid what.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from ccm_tui.domain.undo import REDO, UNDO
from ccm_tui.store import activations, change_log, undo
from ccm_tui.store.undo import UndoRefused

if TYPE_CHECKING:
    from ccm_tui.services import Services

__all__ = ["UndoRefused", "UndoService", "one_change"]


def one_change() -> AbstractContextManager[None]:
    """Writes made inside, one transaction each (a bulk action's rows), are undone and redone together."""
    return change_log.one_change()


class UndoService:
    def __init__(self, services: Services) -> None:
        self._services = services

    def _actor(self) -> activations.Actor:
        s = self._services
        return activations.Actor(who=s.actor.author, now=s.now(), hours=s.business_hours, person=s.actor)

    def undo(self) -> str:
        """Undo the person's last change; what was undone ("changed contact Jane Doe"). UndoRefused says why not."""
        change = undo.undo_state_of(self._services.engine, self._services.actor.login).undo
        if change is None:
            raise UndoRefused("nothing of yours to undo")
        return undo.turn_back(self._services.engine, change, UNDO, self._actor())

    def redo(self) -> str:
        """Put back the person's last undone change; what was redone. UndoRefused says why not."""
        change = undo.undo_state_of(self._services.engine, self._services.actor.login).redo
        if change is None:
            raise UndoRefused("nothing undone to redo")
        return undo.turn_back(self._services.engine, change, REDO, self._actor())
