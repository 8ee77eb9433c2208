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

from sqlalchemy import Connection, ScalarSelect, func, select, update
from sqlmodel import col

from ccm_tui.domain.model import StepKind
from ccm_tui.store.checklist_readiness import INSTALL_PHASES, outstanding_customer_blocking
from ccm_tui.store.sql_types import in_ids, table_of
from ccm_tui.store.tables import ActivationRow, ChecklistItemRow

COLUMNS = {StepKind.INSTALLATION: "blocking_offset_installation", StepKind.ACTIVATION: "blocking_offset_activation"}
_ACTIVATION = table_of(ActivationRow)


def _largest(kind: StepKind) -> ScalarSelect[int | None]:
    """The largest due offset of the activation's outstanding customer blocking items of `kind`'s phases."""
    item = ChecklistItemRow
    phase = col(item.phase).in_(INSTALL_PHASES) if kind is StepKind.INSTALLATION else col(item.phase).not_in(INSTALL_PHASES)
    largest = select(func.max(item.due_offset_days)).where(
        col(item.activation_id) == _ACTIVATION.c.id, outstanding_customer_blocking(), phase
    )
    return largest.scalar_subquery()


def refresh_blocking_offsets(connection: Connection, activation_ids: Iterable[int] | None = None, *, from_id: int = 0) -> None:
    """Derive the offsets again for the activations `activation_ids` (each activation from `from_id` on when None),
    in the caller's transaction, after its item writes are flushed."""
    stmt = update(_ACTIVATION).values({column: _largest(kind) for kind, column in COLUMNS.items()})
    if activation_ids is not None:
        ids = set(activation_ids)
        if not ids:
            return
        # On PostgreSQL two people may change the same checklist at once, and an UPDATE that waited for the
        # other's row lock would still derive from what it saw before: the rows are locked first, so the UPDATE,
        # a statement of its own, sees the other's items once committed. (SQLite writes one at a time.)
        locked = select(_ACTIVATION.c.id).where(in_ids(_ACTIVATION.c.id, ids)).order_by(_ACTIVATION.c.id).with_for_update()
        connection.execute(locked).all()
        stmt = stmt.where(in_ids(_ACTIVATION.c.id, ids))
    elif from_id:
        stmt = stmt.where(_ACTIVATION.c.id >= from_id)
    connection.execute(stmt)
