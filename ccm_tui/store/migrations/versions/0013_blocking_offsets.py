"""Each activation's largest outstanding offsets, per step, kept on its row.

The on-call list marks the events whose customer is heading for "not
ready": for each step, the largest due offset among the customer's
outstanding blocking items of its phases decides it. Read from the checklist
items, that was a query over a few thousand items per list. From now on
they are derived as items are written (store/blocking_offsets.py) and read
with the activation row; this revision derives them for the books made
before it. NULL: no such item outstanding.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Outstanding customer blocking items (tables.OUTSTANDING_CUSTOMER_BLOCKING), by the step their phase is before:
# the installation's phases (domain.checklist.INSTALLATION_PHASES), the activation's (all others but troubleshooting)
_LARGEST = (
    "(SELECT max(due_offset_days) FROM checklist_item WHERE checklist_item.activation_id = activation.id"
    " AND owner = 'customer' AND blocking AND state IN ('open', 'blocked') AND phase {})"
)
_INSTALLATION = "IN ('before_installation', 'installation_visit')"
_ACTIVATION = "NOT IN ('before_installation', 'installation_visit', 'after_activation')"


def upgrade() -> None:
    with op.batch_alter_table("activation") as batch:
        batch.add_column(sa.Column("blocking_offset_installation", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("blocking_offset_activation", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE activation SET"
        f" blocking_offset_installation = {_LARGEST.format(_INSTALLATION)},"
        f" blocking_offset_activation = {_LARGEST.format(_ACTIVATION)}"
    )


def downgrade() -> None:
    with op.batch_alter_table("activation") as batch:
        batch.drop_column("blocking_offset_activation")
        batch.drop_column("blocking_offset_installation")
