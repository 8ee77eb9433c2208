"""Which change `u` turns back and which `ctrl+r` puts again: the stack read from one person's log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ccm_tui.domain.changes import CHANGED, CREATED, IMPORTED, REMOVED, ChangeEntry, Entity
from ccm_tui.domain.undo import REDO, UNDO, changes_of, describe, undo_state, why_not

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def entry(seq: int, txn: str, *, reverts: str = "", reason: str = "", action: str = CHANGED, **kw: object) -> ChangeEntry:
    fields: dict[str, object] = {"entity": Entity.CONTACT, "entity_id": 1, "changes": {"phone": ("1", "2")}} | kw
    return ChangeEntry(seq, AT, "dana", "Dana", customer_id=1, action=action, reason=reason, txn=txn, reverts=reverts, **fields)  # type: ignore[arg-type]  # the test's own keywords


def log(*spec: str) -> list[ChangeEntry]:
    """A person's log from a compact spelling: "a" a change a, "-a:u1" undo u1 of a, "+u1:r1" redo r1 of u1."""
    made = []
    for seq, word in enumerate(spec, start=1):
        if word[0] in "-+":
            target, txn = word[1:].split(":")
            made.append(entry(seq, txn, reverts=target, reason=UNDO if word[0] == "-" else REDO))
        else:
            made.append(entry(seq, word))
    return made


# (the log, what u undoes, what ctrl+r redoes)
CASES = [
    ((), None, None),
    (("a",), "a", None),
    (("a", "b"), "b", None),
    (("a", "b", "-b:u1"), "a", "u1"),
    (("a", "b", "-b:u1", "-a:u2"), None, "u2"),
    (("a", "b", "-b:u1", "-a:u2", "+u2:r1"), "r1", "u1"),
    (("a", "b", "-b:u1", "c"), "c", None),  # a new change: nothing to redo
    (("a", "-a:u1", "+u1:r1", "-r1:u2"), None, "u2"),  # undo, redo, undo again
    (("-z:u1",), None, None),  # an undo of a change older than the window
    (("a", "-z:u1"), "a", None),
]


@pytest.mark.parametrize(("spec", "undo", "redo"), CASES, ids=[" ".join(c[0]) or "empty" for c in CASES])
def test_the_stack(spec: tuple[str, ...], undo: str | None, redo: str | None) -> None:
    state = undo_state(changes_of(reversed(log(*spec))))  # read newest first, as the store does
    assert (state.undo.txn if state.undo else None) == undo
    assert (state.redo.txn if state.redo else None) == redo


def test_one_transaction_is_one_change() -> None:
    three = [
        entry(
            i,
            "cancel",
            entity=Entity.ACTIVATION_STEP,
            entity_id=i,
            action="cancel",
            changes={"status": ("confirmed", "cancelled")},
        )
        for i in (4, 5, 6)
    ]
    state = undo_state(changes_of([entry(1, "a"), *three]))
    assert state.undo is not None and [e.entity_id for e in state.undo.entries] == [4, 5, 6]
    assert describe(state.undo) == "cancel activation step 4 and 2 more"


def test_entries_from_before_undo_are_each_their_own_change() -> None:
    old = [entry(1, ""), entry(2, "")]
    assert len(changes_of(old)) == 2


@pytest.mark.parametrize(
    ("made", "why"),
    [
        (entry(1, "a"), None),
        (entry(1, "a", action=CREATED), None),
        (entry(1, "a", action=REMOVED), None),
        (entry(1, "a", action=IMPORTED, changes={}), "import"),
        (entry(1, "a", entity=Entity.ACTIVATION_STEP, action="confirm", changes={"status": ("requested", "confirmed")}), None),
        (
            entry(
                1,
                "a",
                entity=Entity.ACTIVATION_STEP,
                action="cancel",
                changes={"status": ("confirmed", "cancelled"), "fee": (None, "150 USD")},
            ),
            "fee",
        ),
        (
            entry(1, "a", entity=Entity.ACTIVATION_STEP, action="complete", changes={"status": ("validated", "completed")}),
            "new action",
        ),
        (entry(1, "a", entity=Entity.ACTIVATION_STEP, action="note", changes={}), "new action"),
        (entry(1, "a", entity=Entity.REVIEW, action="completed"), "review"),
    ],
)
def test_what_cannot_be_undone_says_why(made: ChangeEntry, why: str | None) -> None:
    found = why_not(changes_of([made])[0])
    assert (found is None) if why is None else (found is not None and why in found)


def test_an_undone_creation_is_named_as_the_creation() -> None:
    undone = entry(2, "u1", reverts="a", reason=UNDO, action=REMOVED, record="Ana Ortiz")
    assert describe(changes_of([undone])[0]) == "created contact Ana Ortiz"
