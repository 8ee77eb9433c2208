"""One append-only change log: who changed which record, when, which fields, why.

Every record people edit writes an entry in the same transaction as the
change. `seq` only grows (SQLite AUTOINCREMENT never reuses a deleted
maximum; PostgreSQL's sequence never goes back), so a replica can ask
"what changed since N". Triggers refuse UPDATE and DELETE, for every
role including the table's owner.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same statements as tables.CHANGE_LOG_TRIGGERS, frozen here as this revision wrote them.
_SQLITE_TRIGGERS = (
    "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
    "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
)
_POSTGRESQL_TRIGGERS = (
    "CREATE FUNCTION change_log_refuse() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'change_log is append-only'; END $$",
    "CREATE TRIGGER change_log_no_change BEFORE UPDATE OR DELETE ON change_log FOR EACH ROW EXECUTE FUNCTION change_log_refuse()",
    "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log FOR EACH STATEMENT EXECUTE FUNCTION change_log_refuse()",
)


# SQLAlchemy writes AUTOINCREMENT inline and drops the primary key's name there,
# so SQLite's table is written out to keep pk_change_log (the naming convention).
_SQLITE_TABLE = """CREATE TABLE change_log (
    seq INTEGER NOT NULL CONSTRAINT pk_change_log PRIMARY KEY AUTOINCREMENT,
    at DATETIME NOT NULL,
    author VARCHAR(100) NOT NULL,
    author_name VARCHAR(200) NOT NULL,
    entity VARCHAR(32) NOT NULL,
    entity_id INTEGER NOT NULL,
    customer_id INTEGER,
    action VARCHAR(32) NOT NULL,
    changes TEXT NOT NULL,
    reason VARCHAR(1000) NOT NULL
)"""


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute(_SQLITE_TABLE)
    else:
        _create_table()
    op.create_index(op.f("ix_change_log_customer_seq"), "change_log", ["customer_id", "seq"])
    op.create_index(op.f("ix_change_log_entity_seq"), "change_log", ["entity", "entity_id", "seq"])
    for statement in _SQLITE_TRIGGERS if dialect == "sqlite" else _POSTGRESQL_TRIGGERS:
        op.execute(statement)


def _create_table() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
    )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TABLE change_log")
        op.execute("DROP FUNCTION change_log_refuse()")
        return
    op.drop_index(op.f("ix_change_log_entity_seq"), table_name="change_log")
    op.drop_index(op.f("ix_change_log_customer_seq"), table_name="change_log")
    op.drop_table("change_log")
