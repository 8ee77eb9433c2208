"""The reminders due today and the on-call list: the reminded steps by start, the book's site calendars,
and (PostgreSQL) statistics of the on-call term.

The reminders due are counted per site calendar (store/calendar_reminders.py):
the steps before the earliest calendar's bound from the start index alone,
the later ones joined to their site to compare their start with its
calendar's bound. `ix_activation_step_reminded` holds the reminded steps
(confirmed, validated) by start with their status and activation, so the
first count reads it alone and the second reads no step's row (on the whole
book; a CCM's or region's filter reads each step's customer). Its predicate
is written as the store renders its reminded-step term (`reminded_step`),
which is what lets SQLite and PostgreSQL prove a query may use it.

`ix_site_place` holds the sites by calendar (zone, country, subdivision),
so the book's few dozen calendars are read a seek each, not by reading every
site. It is partial on a term every site meets (a zone is never empty) and
only the query that wants it writes: on SQLite, which keeps no statistics,
a plain index would make the queries that test each site calendar as
equalities (store/event_flags.py `starts_late_at_its_site`) start from the
sites of each calendar rather than the range of starts, the book flags'
late query taking 230 ms instead of 35 ms on the 50,000-customer book.

On PostgreSQL, statistics of the on-call term's expression,
`(calendar_flags & 7)`: without them the planner guesses that nearly every
step is worked after hours (an expression's default), and joins the on-call
steps of the next days to a read of every activation and customer (70 ms
where walking ix_activation_step_on_call takes 14 ms on that book).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REMINDED = "status IN ('confirmed', 'validated')"  # REMINDED_STATUSES
_ZONED = "timezone <> ''"


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("CREATE STATISTICS st_activation_step_on_call ON ((calendar_flags & 7)) FROM activation_step")
        op.execute("ANALYZE activation_step")
    op.create_index(
        "ix_activation_step_reminded",
        "activation_step",
        ["start_at", "status", "activation_id"],
        sqlite_where=sa.text(_REMINDED),
        postgresql_where=sa.text(_REMINDED),
    )
    op.create_index(
        "ix_site_place",
        "site",
        ["timezone", "country", "subdivision"],
        sqlite_where=sa.text(_ZONED),
        postgresql_where=sa.text(_ZONED),
    )


def downgrade() -> None:
    op.drop_index("ix_site_place", table_name="site")
    op.drop_index("ix_activation_step_reminded", table_name="activation_step")
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_activation_step_on_call")
