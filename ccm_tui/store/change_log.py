"""The append-only change log: one entry per change, in the change's own transaction.

`record` is called by every repository that writes a record people edit,
inside the session that makes the change, so a rolled-back change leaves no
entry. The table refuses UPDATE and DELETE (triggers, see tables.py); `seq`
only grows, so `since(seq)` is "what changed after N".
"""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, insert, text
from sqlmodel import Session, SQLModel, col, select

from ccm_tui.domain.changes import CHANGED, ChangeEntry, Entity, Plain
from ccm_tui.domain.people import Person
from ccm_tui.store.change_names import with_record_names
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import table_of
from ccm_tui.store.tables import CHANGE_LOG_TRIGGERS, ChangeLogRow

# None and "" both say "nothing here": a change from one to the other is none.
_BLANK: tuple[Plain, ...] = (None, "")
# one encoder: json.dumps with options builds a new one per call (the import writes thousands)
_JSON = json.JSONEncoder(ensure_ascii=False)
_LOG = table_of(ChangeLogRow)
# Rows read per round trip when the whole log is streamed (the export).
_STREAM_BATCH = 1000
# session.info keys: the transaction's id, and the change it reverts
_TXN, _REVERTS = "ccm_change_txn", "ccm_change_reverts"
# set while several transactions make one user action (confirm three picked events): one undo
_ONE_CHANGE: ContextVar[str | None] = ContextVar("ccm_one_change", default=None)


def plain(value: Any) -> Plain:
    """A field's value as JSON keeps it, so equal values compare equal after a round trip."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return ",".join(sorted(str(plain(v)) for v in value))
    return str(value)


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Plain, Plain]]:
    """The fields whose value differs, from what to what, in the order they were named."""
    if not before:  # a new record: what it was made with, blanks left out
        return {name: (None, plain(value)) for name, value in after.items() if value is not None and value != ""}
    changed: dict[str, tuple[Plain, Plain]] = {}
    for name in dict.fromkeys([*before, *after]):
        old, new = plain(before.get(name)), plain(after.get(name))
        if old != new and not (old in _BLANK and new in _BLANK):
            changed[name] = (old, new)
    return changed


def record(
    session: Session,
    actor: Person,
    at: datetime,
    entity: Entity,
    entity_id: int,
    customer_id: int | None,
    action: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    reason: str = "",
) -> bool:
    """Add an entry to `session`'s transaction; False (nothing written) for a change that changed nothing.

    Every entry of one session (one transaction: one user action) shares its
    `txn`, which is what undo turns back; inside `reverting(session, ...)`
    the entries also say which change they revert.
    """
    changes = differences(before, after)
    if action == CHANGED and not changes:
        return False
    values = entry_values(actor, at, entity, entity_id, customer_id, action, changes, reason)
    values["txn"] = session.info.setdefault(_TXN, _ONE_CHANGE.get() or uuid.uuid4().hex)
    values["reverts"] = session.info.get(_REVERTS)
    # Core, not a pending ORM object: the unit of work's bookkeeping cost more than the INSERT
    session.execute(insert(_LOG), values)
    return True


@contextmanager
def one_change() -> Iterator[None]:
    """Every transaction written inside (on this thread) is one change for undo: a bulk action is undone at once."""
    token = _ONE_CHANGE.set(uuid.uuid4().hex)
    try:
        yield
    finally:
        _ONE_CHANGE.reset(token)


def reverting(session: Session, txn: str) -> None:
    """Mark what `session` writes from now on as turning back the change `txn` (an undo or a redo)."""
    session.info[_REVERTS] = txn


def entry_values(
    actor: Person,
    at: datetime,
    entity: Entity,
    entity_id: int,
    customer_id: int | None,
    action: str,
    changes: Mapping[str, tuple[Plain, Plain]],
    reason: str = "",
) -> dict[str, Any]:
    """An entry's column values, for callers that insert many at once (the import)."""
    if not actor.login.strip() or not actor.author.strip():
        raise ValueError("a change needs its author")
    return {
        "at": to_naive_utc(at) if at.tzinfo is not None else at,
        "author": actor.login,
        "author_name": actor.author,
        "entity": entity.value,
        "entity_id": entity_id,
        "customer_id": customer_id,
        "action": action,
        "changes": changes_text(changes),
        "reason": reason,
    }


def changes_text(changes: Mapping[str, tuple[Plain, Plain]]) -> str:
    """{field: [from, to]} as JSON text, non-ASCII kept as typed."""
    return _JSON.encode(changes)


def entry_from_row(row: ChangeLogRow) -> ChangeEntry:
    assert row.seq is not None, "a logged entry has its seq"
    return ChangeEntry(
        seq=row.seq,
        at=to_utc(row.at),
        author=row.author,
        author_name=row.author_name,
        entity=Entity(row.entity),
        entity_id=row.entity_id,
        customer_id=row.customer_id,
        action=row.action,
        changes={name: (pair[0], pair[1]) for name, pair in json.loads(row.changes or "{}").items()},
        reason=row.reason,
        txn=row.txn or f"#{row.seq}",  # an entry from before undo was its own change
        reverts=row.reverts or "",
    )


def since(engine: Engine, seq: int, limit: int | None = None) -> list[ChangeEntry]:
    """Entries after `seq`, oldest first: what changed since a reader last looked."""
    stmt = select(ChangeLogRow).where(col(ChangeLogRow.seq) > seq).order_by(col(ChangeLogRow.seq))
    if limit is not None:
        stmt = stmt.limit(limit)
    with read_session(engine) as session:
        return [entry_from_row(row) for row in session.exec(stmt).all()]


def last_seq(engine: Engine) -> int:
    """The newest entry's seq (0 for an empty log): it moves with every logged change, ours or another session's.

    A screen that read its rows at seq N and finds N again has nothing new to read (one seek of the key).
    """
    with read_session(engine) as session:
        return int(session.scalar(select(func.max(ChangeLogRow.seq))) or 0)


def customer_timeline(engine: Engine, customer_id: int, limit: int, before_seq: int | None = None) -> list[ChangeEntry]:
    """A customer's entries (its own and its records'), newest first, `limit` of them before `before_seq`."""
    stmt = select(ChangeLogRow).where(ChangeLogRow.customer_id == customer_id)
    if before_seq is not None:
        stmt = stmt.where(col(ChangeLogRow.seq) < before_seq)
    stmt = stmt.order_by(col(ChangeLogRow.seq).desc()).limit(limit)
    with read_session(engine) as session:
        return with_record_names(session, [entry_from_row(row) for row in session.exec(stmt).all()])


def last_change(engine: Engine, entity: Entity, entity_id: int) -> ChangeEntry | None:
    """The record's latest entry: who changed it last, and when."""
    stmt = (
        select(ChangeLogRow)
        .where(ChangeLogRow.entity == entity.value, ChangeLogRow.entity_id == entity_id)
        .order_by(col(ChangeLogRow.seq).desc())
        .limit(1)
    )
    with read_session(engine) as session:
        row = session.exec(stmt).first()
        return entry_from_row(row) if row is not None else None


def stream(engine: Engine) -> Iterator[ChangeEntry]:
    """Every entry, oldest first, read in batches (one read transaction) so the whole log is never held at once."""
    with read_session(engine) as session:
        after = 0
        while True:
            stmt = select(ChangeLogRow).where(col(ChangeLogRow.seq) > after).order_by(col(ChangeLogRow.seq)).limit(_STREAM_BATCH)
            batch = [entry_from_row(row) for row in session.exec(stmt).all()]
            session.expunge_all()  # the rows are read: the session need not keep them
            yield from batch
            if len(batch) < _STREAM_BATCH:
                return
            after = batch[-1].seq


# Columns the log never reports: keys, bookkeeping, and values derived from others.
_NOT_FIELDS = frozenset({"id", "version", "customer_id", "search_text", "sort_name", "created_at", "updated_at"})


def fields_of(row: SQLModel, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The row's editable fields by column name, as `record` compares them."""
    return {
        column.name: getattr(row, column.name)
        for column in table_of(type(row)).columns
        if column.name not in _NOT_FIELDS and column.name not in skip
    }


def forget_all(session: Session) -> None:
    """Empty the log, for a book being rebuilt from nothing (the demo, `ccm seed --force`).

    The append-only triggers are lifted for this one statement, inside the
    caller's transaction; on PostgreSQL only the table's owner may do it.
    `seq` carries on from where it was: it never goes back.
    """
    table = ChangeLogRow.__tablename__
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER change_log_no_delete"))
        session.execute(text(f"DELETE FROM {table}"))
        session.execute(text(CHANGE_LOG_TRIGGERS["sqlite"][1]))
    else:
        session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER change_log_no_change"))
        session.execute(text(f"DELETE FROM {table}"))
        session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER change_log_no_change"))
