"""The open steps (requested, confirmed, validated) in two partial indexes.

The checklist screen's count of upcoming activations counted distinct ids
over every step from now on in start order: a table read per step and a
sort of a hundred thousand ids. `ix_activation_step_open` holds the open
steps in activation order with their start, so the count is one covering
walk that counts an activation when its latest open step is still to come.
`ix_activation_step_open_start` holds them in start order with their
activation and kind: the not-ready risk query walks the open steps before its
horizon only, not every step of the past. Both predicates are written as the
store renders its open-step term (store/checklist_upcoming.py `open_step`),
which is what lets SQLite and PostgreSQL prove a query may use them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = "status IN ('requested', 'confirmed', 'validated')"


def upgrade() -> None:
    op.create_index(
        "ix_activation_step_open",
        "activation_step",
        ["activation_id", "start_at"],
        sqlite_where=sa.text(_OPEN),
        postgresql_where=sa.text(_OPEN),
    )
    op.create_index(
        "ix_activation_step_open_start",
        "activation_step",
        ["start_at", "activation_id", "kind"],
        sqlite_where=sa.text(_OPEN),
        postgresql_where=sa.text(_OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_activation_step_open_start", table_name="activation_step")
    op.drop_index("ix_activation_step_open", table_name="activation_step")
