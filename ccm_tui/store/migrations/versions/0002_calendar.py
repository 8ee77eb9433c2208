"""Calendar: the contact a history row involved (validation, IP letter, reminder).

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


def upgrade() -> None:
    with op.batch_alter_table("activation_change") as batch:
        batch.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_activation_change_contact_id_contact"), "contact", ["contact_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("activation_change") as batch:
        batch.drop_constraint(op.f("fk_activation_change_contact_id_contact"), type_="foreignkey")
        batch.drop_column("contact_id")
