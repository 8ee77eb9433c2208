"""The on-call steps (after hours, weekend or public holiday) by start, and
the reminders recorded by the start they were sent for.

The on-call list reads the events of the next few days worked outside
business hours: about one step in ten. The start index holds every step, so
the list's range read every step of those days from the table only to drop
nine in ten on their flags; this partial index holds the on-call steps
alone. Its predicate is the calendar's own on-call term, written exactly as
the store renders it (store/calendar_flags.py `on_call_term`), which is
what lets SQLite and PostgreSQL prove a query may use it.

The reminders due today are checked against those already sent: a few
rows, found among a million history rows by this second partial index
rather than by each due event's activation in turn (its predicate is
store/calendar_reminders.py `_REMINDER_ROWS`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ON_CALL = "(calendar_flags & 7) != 0"  # AFTER_HOURS | WEEKEND | HOLIDAY
_REMINDERS = "action IN ('reminder_5bd', 'reminder_1bd')"  # ReminderKind's values


def upgrade() -> None:
    op.create_index(
        "ix_activation_step_on_call",
        "activation_step",
        ["start_at", "status"],
        sqlite_where=sa.text(_ON_CALL),
        postgresql_where=sa.text(_ON_CALL),
    )
    op.create_index(
        "ix_activation_change_reminders",
        "activation_change",
        ["to_start"],
        sqlite_where=sa.text(_REMINDERS),
        postgresql_where=sa.text(_REMINDERS),
    )


def downgrade() -> None:
    op.drop_index("ix_activation_change_reminders", table_name="activation_change")
    op.drop_index("ix_activation_step_on_call", table_name="activation_step")
