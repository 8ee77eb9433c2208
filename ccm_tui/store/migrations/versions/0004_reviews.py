"""Reviews: cadence, last review and quarterly reviews per customer, incident log,
carried actions, agenda facts and the contacts an agenda item lists.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("review_cadence", sa.String(length=16), nullable=False, server_default="monthly"))
        batch.add_column(sa.Column("firewall_reviewed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("monitoring_reviewed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("last_review_on", sa.Date(), nullable=True))
        batch.create_index(op.f("ix_customer_review_due"), ["review_cadence", "last_review_on"])
    with op.batch_alter_table("service_review") as batch:
        batch.add_column(sa.Column("completed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("agenda_item") as batch:
        batch.add_column(sa.Column("key", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("details", sa.String(length=4000), nullable=False, server_default=""))
        batch.add_column(sa.Column("contact_ids", sa.String(length=1000), nullable=False, server_default=""))
    with op.batch_alter_table("action_item") as batch:
        batch.add_column(sa.Column("done_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_action_item_carried_from_id_action_item"), "action_item", ["carried_from_id"], ["id"], ondelete="SET NULL"
        )

    # Reviews held before this revision: the customer's last one.
    op.execute(
        "UPDATE customer SET last_review_on = (SELECT max(held_on) FROM service_review"
        " WHERE service_review.customer_id = customer.id AND service_review.status = 'completed')"
    )

    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=1000), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_incident_customer_id_customer"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    op.create_index(op.f("ix_incident_customer_opened"), "incident", ["customer_id", "opened_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_incident_customer_opened"), table_name="incident")
    op.drop_table("incident")
    with op.batch_alter_table("action_item") as batch:
        batch.drop_constraint(op.f("fk_action_item_carried_from_id_action_item"), type_="foreignkey")
        batch.drop_column("carried_from_id")
        batch.drop_column("done_on")
    with op.batch_alter_table("agenda_item") as batch:
        batch.drop_column("contact_ids")
        batch.drop_column("details")
        batch.drop_column("key")
    with op.batch_alter_table("service_review") as batch:
        batch.drop_column("completed_at")
    with op.batch_alter_table("customer") as batch:
        batch.drop_index(op.f("ix_customer_review_due"))
        batch.drop_column("last_review_on")
        batch.drop_column("monitoring_reviewed_on")
        batch.drop_column("firewall_reviewed_on")
        batch.drop_column("review_cadence")
