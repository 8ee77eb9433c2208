"""People: who works in the book, with a display name and a role.

On PostgreSQL the login is the database role a person connects as (the
grants, made by `ccm team init`, enforce the role); on SQLite it is the
operating-system user. `active` keeps a person who left: their name still
reads right in the change log.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_person")),
    )


def downgrade() -> None:
    op.drop_table("person")
