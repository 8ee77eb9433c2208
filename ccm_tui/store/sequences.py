"""Keep PostgreSQL's id sequences ahead of the ids already written.

The demo, `ccm seed` and other bulk writers hand out ids themselves (no round
trip per row); PostgreSQL's serial sequences do not see those ids, so the
next row added one at a time would get an id already taken. Call
`advance_sequences` at the end of such a transaction. SQLite needs nothing:
its next rowid is always max(id) + 1.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

# Every sequence owned by a column of a table in the current schema (serial or identity).
_OWNED_SEQUENCES = text(
    """
    SELECT seq_ns.nspname, seq.relname, tab.relname, col.attname
    FROM pg_depend dep
    JOIN pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
    JOIN pg_namespace seq_ns ON seq_ns.oid = seq.relnamespace
    JOIN pg_class tab ON tab.oid = dep.refobjid
    JOIN pg_attribute col ON col.attrelid = tab.oid AND col.attnum = dep.refobjsubid
    WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
      AND dep.deptype IN ('a', 'i') AND tab.relnamespace = current_schema()::regnamespace
    ORDER BY tab.relname
    """
)


def advance_sequences(connection: Connection) -> int:
    """Move every id sequence past its column's largest value; never backwards. Returns how many moved."""
    if connection.dialect.name != "postgresql":
        return 0
    quote = connection.dialect.identifier_preparer.quote
    moved = 0
    for schema, sequence, table, column in connection.execute(_OWNED_SEQUENCES).all():
        qualified = f"{quote(schema)}.{quote(sequence)}"
        # The sequence's last handed-out value (is_called) or the one before its next (after a setval(..., false)).
        moved += len(
            connection.execute(
                text(
                    f"SELECT setval(:sequence, top) FROM (SELECT max({quote(column)}) AS top FROM {quote(table)}) AS m "
                    f"WHERE top > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {qualified})"
                ),
                {"sequence": qualified},
            ).all()
        )
    return moved


def refresh_statistics(engine: Engine) -> None:
    """(PostgreSQL) VACUUM ANALYZE after a bulk load: the planner's row counts and the visibility map.

    Autovacuum would get to it, but a server may run with it off, and until
    then the first page counts customers with a sequential scan and the
    calendar's probe reads every step. About 3 s at 50,000 customers. Outside
    any transaction (VACUUM cannot run in one). SQLite: nothing to do.
    """
    if engine.dialect.name != "postgresql":
        return
    from sqlmodel import SQLModel

    from ccm_tui.store import tables  # noqa: F401  (the book's tables, registered on SQLModel's metadata)

    # The book's own tables by name: a bare VACUUM also does the server-wide catalogs, and so can wait on a
    # VACUUM in any other database of the server (a seed once ran out its lock timeout so).
    names = ", ".join(engine.dialect.identifier_preparer.quote(table.name) for table in SQLModel.metadata.sorted_tables)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM ANALYZE {names}")
