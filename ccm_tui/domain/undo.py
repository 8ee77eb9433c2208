"""Undo and redo, read from the change log: which change `u` turns back, which `ctrl+r` puts again.

A change is what one transaction wrote (one user action: a cancellation of
an event across three sites is one change of three entries). An undo is a
change of its own, recorded with the reason "undo" and the change it turned
back; a redo turns back an undo. Read oldest first, a person's changes are
a stack, as in an editor: a new change clears what could be redone.

Only the person's own changes count; someone else's later edit of the same
record makes the undo refuse (the store checks the record is as the change
left it), never overwrite theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ccm_tui.domain.changes import CHANGED, CREATED, IMPORTED, REMOVED, ChangeEntry, Entity

UNDO, REDO = "undo", "redo"

# A status move of a step undone by moving it back: the rest write more than the step
# (a completed activation can complete its order; a request makes the checklist;
# reminders, notes, letters and traffic are history lines) and are corrected by a new action.
STEP_MOVES_UNDONE = frozenset({"confirm", "validate", "no_show", "not_ready", "reschedule", "cancel", UNDO, REDO})
# Records whose fields, creation and removal undo writes back as they were.
FIELD_RECORDS = frozenset(
    {
        Entity.CUSTOMER,
        Entity.CONTACT,
        Entity.SITE,
        Entity.TIME_ENTRY,
        Entity.CHECKLIST_ITEM,
        Entity.AGENDA_ITEM,
        Entity.ACTION_ITEM,
        Entity.INCIDENT,
    }
)


@dataclass(frozen=True)
class Change:
    """One user action: the entries one transaction wrote, oldest first."""

    entries: tuple[ChangeEntry, ...]

    @property
    def txn(self) -> str:
        return self.entries[0].txn

    @property
    def kind(self) -> str:
        """UNDO, REDO, or "" for a change made by hand."""
        first = self.entries[0]
        if not first.reverts:
            return ""
        word = first.reason.split(" ", 1)[0]
        return word if word in (UNDO, REDO) else ""

    @property
    def reverts(self) -> str:
        return self.entries[0].reverts


@dataclass(frozen=True)
class UndoState:
    undo: Change | None  # what `u` turns back
    redo: Change | None  # what `ctrl+r` puts again


def changes_of(entries: Iterable[ChangeEntry]) -> list[Change]:
    """Entries (in any order) grouped by transaction, the changes oldest first."""
    groups: dict[str, list[ChangeEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.seq):
        groups.setdefault(entry.txn or f"#{entry.seq}", []).append(entry)
    return [Change(tuple(group)) for group in groups.values()]


def undo_state(changes: Sequence[Change]) -> UndoState:
    """The stack after one person's changes, oldest first (the window may start mid-history)."""
    done: list[Change] = []
    undone: list[Change] = []
    for change in changes:
        if change.kind == UNDO:
            if done and done[-1].txn == change.reverts:
                done.pop()
                undone.append(change)
            else:  # turned back a change older than the window: nothing to redo from here
                undone.clear()
        elif change.kind == REDO:
            if undone and undone[-1].txn == change.reverts:
                undone.pop()
            else:
                undone.clear()
            done.append(change)
        else:
            done.append(change)
            undone.clear()
    return UndoState(done[-1] if done else None, undone[-1] if undone else None)


def why_not(change: Change) -> str | None:
    """Why undo cannot turn `change` back, or None if it can (the store checks the records)."""
    for entry in change.entries:
        if entry.action == IMPORTED:
            return "your last change was an import; an import is not undone with u"
        if entry.entity is Entity.ACTIVATION_STEP:
            if entry.action not in STEP_MOVES_UNDONE:
                label = entry.action.replace("_", " ")
                return f"“{label}” is not undone with u: it is corrected by a new action on the activation"
            if entry.changes.get("fee", (None, None))[1] not in (None, ""):
                return "it charged a fee: a charged change is corrected by a new one, with its fee shown first"
        elif entry.entity not in FIELD_RECORDS:
            return f"a {entry.entity.label} change is not undone with u"
        elif entry.action not in (CREATED, CHANGED, REMOVED) and not entry.changes:
            return f"“{entry.action}” changed nothing that can be put back"
    return None


def step_action(entry: ChangeEntry) -> str:
    """The move a step's entry made: "confirm"; for an undo or redo entry, the move it turned back."""
    if entry.action in (UNDO, REDO):
        return entry.reason.split(" ", 1)[-1]
    return entry.action.replace("_", " ")


def _action(entry: ChangeEntry) -> str:
    """What the entry did, as a person would say it of the change it stands for."""
    if entry.entity is Entity.ACTIVATION_STEP:
        return step_action(entry)
    if entry.reverts and entry.reason == UNDO:  # an undone creation is named as the creation
        return {CREATED: REMOVED, REMOVED: CREATED}.get(entry.action, entry.action)
    return entry.action.replace("_", " ")


def describe(change: Change) -> str:
    """A short line naming the change: "changed contact Jane Doe", "confirm activation X and 2 more"."""
    first = change.entries[0]
    what = f"{first.entity.label} {first.record}" if first.record else f"{first.entity.label} {first.entity_id}"
    action = _action(first)
    more = f" and {len(change.entries) - 1} more" if len(change.entries) > 1 else ""
    return f"{action} {what}{more}"
