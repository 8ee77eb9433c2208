"""Each activation's largest outstanding offsets, kept on its row as its checklist changes.

Whether an activation is heading for "not ready" depends, for each of its
steps, on the largest due offset (business days before the step) among the
customer's outstanding blocking items for that step: the first of them to
fall overdue (`domain.readiness.overdue_before`). The on-call list marks
that risk for hundreds of events; read from the checklist items, it cost a
query over a few thousand items per call. So the two offsets are derived
when items are written, in the same transaction, and read with the
activation row the list joins anyway:

- `blocking_offset_installation`: items of the installation's phases;
- `blocking_offset_activation`: items of the activation's phases;

None where no such item is outstanding. The writers (checklists.py, undo.py,
the seed and the demo) call `refresh_blocking_offsets` for the activations
whose items they wrote; migration 0013 derived them for books made before.
The rule is `checklist_readiness.largest_offsets`'s, which tests hold equal.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Connection, and_, case, func, select, update
from sqlmodel import col

from ccm_tui.domain.model import StepKind
from ccm_tui.store.checklist_readiness import INSTALL_PHASES, outstanding_customer_blocking
from ccm_tui.store.sql_types import in_ids, table_of
from ccm_tui.store.tables import ActivationRow, ChecklistItemRow

COLUMNS = {StepKind.INSTALLATION: "blocking_offset_installation", StepKind.ACTIVATION: "blocking_offset_activation"}
_ACTIVATION = table_of(ActivationRow)
_ITEM = table_of(ChecklistItemRow)


def refresh_blocking_offsets(connection: Connection, activation_ids: Iterable[int] | None = None, *, from_id: int = 0) -> None:
    """Derive the offsets again for the activations `activation_ids` (each activation from `from_id` on when None),
    in the caller's transaction, after its item writes are flushed.

    One set-wise UPDATE, whatever the number: each activation's offsets from one grouped read of its items
    (none outstanding: None). A subquery per activation was planned as a scan of every item by a server with
    no statistics yet, as after a seed: 2.3 s for 1,600 activations. Each row is written once: on PostgreSQL
    a second write of a row in one transaction checks its foreign keys again, and those key-share locks on
    the site, order and customer deadlocked with other people's edits.
    """
    activation, item = _ACTIVATION, _ITEM
    own = activation.alias("own")
    if activation_ids is not None:
        ids = set(activation_ids)
        if not ids:
            return
        # On PostgreSQL two people may change one checklist at once, and an UPDATE that waited for the other's
        # row lock would still derive from what it saw before: the rows are locked first (as an UPDATE locks
        # them: no foreign-key lock is blocked), so the UPDATE, a statement of its own, sees the other's items.
        locked = select(activation.c.id).where(in_ids(activation.c.id, ids)).order_by(activation.c.id)
        connection.execute(locked.with_for_update(key_share=True)).all()
        wanted = in_ids(own.c.id, ids)
    else:
        wanted = own.c.id >= from_id
    installation = col(ChecklistItemRow.phase).in_(INSTALL_PHASES)
    largest = (
        select(
            own.c.id,
            _largest(installation).label(COLUMNS[StepKind.INSTALLATION]),
            _largest(~installation).label(COLUMNS[StepKind.ACTIVATION]),
        )
        .select_from(own.outerjoin(item, and_(item.c.activation_id == own.c.id, outstanding_customer_blocking())))
        .where(wanted)
        .group_by(own.c.id)
        .subquery()
    )
    connection.execute(
        update(activation)
        .where(activation.c.id == largest.c.id)
        .values({column: largest.c[column] for column in COLUMNS.values()})
    )


def _largest(phase: ColumnElement[bool]) -> ColumnElement[int | None]:
    """The largest due offset among the group's items of the phases `phase` holds (None: none)."""
    return func.max(case((phase, _ITEM.c.due_offset_days), else_=None))
