"""A site's state or province (its holidays), and who asked for each change.

A Sydney site keeps New South Wales' holidays, a Munich one Bavaria's:
`site.subdivision` is the ISO 3166-2 code ("AU-NSW", "DE-BY"),
empty where the country's calendar is the whole story. Every reschedule
and cancellation records who initiated it (`activation_change.initiator`:
customer, scheduling team, field resource or the CCM), because only a
customer's late change carries a fee.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.add_column(sa.Column("subdivision", sa.String(length=16), nullable=False, server_default=""))
    with op.batch_alter_table("activation_change") as batch:
        batch.add_column(sa.Column("initiator", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activation_change") as batch:
        batch.drop_column("initiator")
    with op.batch_alter_table("site") as batch:
        batch.drop_column("subdivision")
