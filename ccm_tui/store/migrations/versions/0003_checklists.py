"""Checklists: ad-hoc items are told from template items; every change is kept;
readiness and the not-ready risk are read from indexes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The items that can make a customer "not ready" (tables.OUTSTANDING_CUSTOMER_BLOCKING).
_OUTSTANDING = "owner = 'customer' AND blocking AND state IN ('open', 'blocked')"
_READINESS_COLUMNS = ["activation_id", "owner", "blocking", "state", "phase", "due_offset_days"]


def upgrade() -> None:
    with op.batch_alter_table("checklist_item") as batch:
        batch.add_column(sa.Column("source", sa.String(length=16), nullable=False, server_default="template"))

    op.create_table(
        "checklist_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("activation_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["checklist_item.id"], name=op.f("fk_checklist_change_item_id_checklist_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["activation_id"], ["activation.id"], name=op.f("fk_checklist_change_activation_id_activation"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_change")),
    )
    op.create_index(op.f("ix_checklist_change_item_id"), "checklist_change", ["item_id"])
    op.create_index(op.f("ix_checklist_change_activation_id"), "checklist_change", ["activation_id"])
    op.create_index(op.f("ix_checklist_item_readiness"), "checklist_item", _READINESS_COLUMNS)
    op.create_index(
        op.f("ix_checklist_item_outstanding_due"),
        "checklist_item",
        ["due_offset_days"],
        sqlite_where=sa.text(_OUTSTANDING),
        postgresql_where=sa.text(_OUTSTANDING),
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_checklist_item_outstanding_due"), table_name="checklist_item")
    op.drop_index(op.f("ix_checklist_item_readiness"), table_name="checklist_item")
    op.drop_index(op.f("ix_checklist_change_activation_id"), table_name="checklist_change")
    op.drop_index(op.f("ix_checklist_change_item_id"), table_name="checklist_change")
    op.drop_table("checklist_change")
    with op.batch_alter_table("checklist_item") as batch:
        batch.drop_column("source")
