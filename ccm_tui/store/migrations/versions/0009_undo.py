"""Undo and redo: which entries one change wrote together, and what an undo or redo reverts.

`txn` is shared by every entry written in one transaction (one user action:
a cancel across three sites writes three entries with one `txn`); `reverts`
is the `txn` an undo or redo entry turned back. Entries written before
this revision have neither: each is its own change. The index finds one
person's latest changes, which is what `u` reads.

Adding nullable columns fires no row trigger, so the append-only triggers
stay as they are.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("change_log", sa.Column("txn", sa.String(length=32), nullable=True))
    op.add_column("change_log", sa.Column("reverts", sa.String(length=32), nullable=True))
    op.create_index("ix_change_log_author_seq", "change_log", ["author", "seq"])


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would lose its append-only triggers
    op.drop_index("ix_change_log_author_seq", table_name="change_log")
    op.drop_column("change_log", "reverts")
    op.drop_column("change_log", "txn")
