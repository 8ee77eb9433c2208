"""Calendar: the contact a history row involved (validation, IP letter, reminder),
and the derived step columns the calendar's per-day aggregates read from one index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows still to be derived; the app fills them in (store/calendar_flags.py).
_MISSING = "calendar_flags IS NULL AND start_at IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("activation_change") as batch:
        batch.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_activation_change_contact_id_contact"), "contact", ["contact_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("activation_step") as batch:
        batch.add_column(sa.Column("calendar_flags", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ccd", sa.Date(), nullable=True))
    op.create_index(
        op.f("ix_activation_step_calendar"),
        "activation_step",
        ["start_at", "status", "calendar_flags", "ccd", "customer_id"],
    )
    op.create_index(
        op.f("ix_activation_step_flags_missing"),
        "activation_step",
        ["id"],
        sqlite_where=sa.text(_MISSING),
        postgresql_where=sa.text(_MISSING),
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_activation_step_flags_missing"), table_name="activation_step")
    op.drop_index(op.f("ix_activation_step_calendar"), table_name="activation_step")
    with op.batch_alter_table("activation_step") as batch:
        batch.drop_column("ccd")
        batch.drop_column("calendar_flags")
    with op.batch_alter_table("activation_change") as batch:
        batch.drop_constraint(op.f("fk_activation_change_contact_id_contact"), type_="foreignkey")
        batch.drop_column("contact_id")
