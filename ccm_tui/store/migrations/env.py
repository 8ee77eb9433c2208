"""Alembic's entry point, run by `ccm_tui.store.migrate` (there is no alembic.ini).

Online, it migrates the connection handed in as `config.attributes["connection"]`,
so ccm's own engine does the work: its pragmas, its write lock, and the
transaction the caller opened. Offline (`--sql`) it renders SQL for the URL in
`sqlalchemy.url`, which is how a PostgreSQL administrator can read the DDL.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel.sql.sqltypes import AutoString

from ccm_tui.store import tables

config = context.config
target_metadata = tables.metadata


def render_item(type_: str, obj: Any, _autogen_context: Any) -> str | bool:
    """Write SQLModel's AutoString as plain sa.String, so revisions never import sqlmodel."""
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


OPTIONS: dict[str, Any] = {
    "target_metadata": target_metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    "render_as_batch": True,
    "compare_type": True,
    "render_item": render_item,
}


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through ccm_tui.store.migrate, which passes a connection")
    context.configure(connection=connection, **OPTIONS)
    # A no-op when the caller already holds a transaction (ccm's case).
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
