"""What every import writer shares: the Writer a batch is written with, the
outcome of a row, executemany inserts and updates by id, customers looked
up by account number, the problems of a case clash or an ambiguous name,
and the customers' search text kept in step after a batch.

An optional column the file does not have at all keeps the book's value on
update (a CRM export without notes must not wipe them); a blank cell is a
blank value (`Writer.kept`).
"""

from __future__ import annotations

import enum
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from ccm_tui.domain.changes import IMPORTED, Entity
from ccm_tui.domain.import_report import Problem
from ccm_tui.domain.people import Person
from ccm_tui.domain.search_text import customer_search_text, customer_sort_name, fold
from ccm_tui.store import change_log
from ccm_tui.store.calendar_flags import FlagJudge
from ccm_tui.store.sql_types import table_of
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    ChangeLogRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    OrderServiceRow,
    SiteRow,
)


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


RowResult = Outcome | list[Problem]


CUSTOMER = table_of(CustomerRow)
CONTACT = table_of(ContactRow)
SITE = table_of(SiteRow)
ORDER = table_of(OrderRow)
ORDER_SERVICE = table_of(OrderServiceRow)
ACTIVATION = table_of(ActivationRow)
STEP = table_of(ActivationStepRow)
CHANGE = table_of(ActivationChangeRow)
CHANGE_LOG = table_of(ChangeLogRow)
# an import's entries share these columns' values, and differ in these
_LOG_SHARED = ("at", "author", "author_name", "action", "reason")
_LOG_OWN = ("entity", "entity_id", "customer_id", "changes")


@dataclass(frozen=True)
class Writer:
    """Where and as whom a batch is written."""

    session: Session
    stamp: datetime  # now, naive UTC
    actor: Person  # the importer: the change log's author
    source: str  # the file's name, for history rows
    columns: frozenset[str]  # the columns the file's header has
    # judges the calendar's derived columns of the steps written (None: left for the calendar to derive)
    judge: FlagJudge | None = None
    # change-log entries of the batch, as driver parameters, inserted at once by `write_log`
    entries: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def conn(self) -> Connection:
        return self.session.connection()

    @property
    def who(self) -> str:
        return self.actor.author

    def logged(
        self, entity: Entity, entity_id: int, customer_id: int | None, before: Mapping[str, Any], after: Mapping[str, Any]
    ) -> None:
        """Note a record the import created or changed: one entry with the fields that differ (none if none do)."""
        changes = change_log.differences(before, after)
        if changes:
            self.entries.append((*self._shared, entity.value, entity_id, customer_id, change_log.changes_text(changes)))

    @functools.cached_property
    def _shared(self) -> tuple[Any, ...]:
        """The values every entry of this import shares, as the driver takes them (the author checked once)."""
        values = change_log.entry_values(self.actor, self.stamp, Entity.CUSTOMER, 0, None, IMPORTED, {}, self.source)
        dialect = self.conn.dialect
        shared = []
        for name in _LOG_SHARED:
            process = CHANGE_LOG.c[name].type.bind_processor(dialect)
            shared.append(process(values[name]) if process is not None else values[name])
        return tuple(shared)

    def write_log(self) -> None:
        """Insert the batch's entries in one executemany, in the import's transaction.

        Straight to the driver: thousands of rows through SQLAlchemy's per-row
        parameter processing cost a fifth of the import's time.
        """
        if self.entries:
            conn = self.conn
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            columns = (*_LOG_SHARED, *_LOG_OWN)
            sql = f"INSERT INTO change_log ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
            conn.exec_driver_sql(sql, self.entries)
            self.entries.clear()

    @property
    def now(self) -> datetime:
        """The clock's now, aware (the rules of times that must have passed use it)."""
        return self.stamp.replace(tzinfo=UTC)

    def kept(self, values: dict[str, Any], row: Any, optional: Mapping[str, str]) -> dict[str, Any]:
        """`values`, with the book's value (from `row`) for each field whose column the file lacks.

        `optional` maps a field to the column it comes from.
        """
        return {k: getattr(row, k) if k in optional and optional[k] not in self.columns else v for k, v in values.items()}


def update_by_id(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Executemany UPDATE; each dict holds `row_id` and the columns to set (the same in every dict)."""
    if rows:
        conn.execute(update(table).where(table.c.id == bindparam("row_id")), rows)


def insert_returning_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [row_id for (row_id,) in conn.execute(stmt, rows)]


def case_clash(line: int, column: str, given: str, in_book: str) -> Problem:
    what = column.replace("_", " ")
    return Problem(
        line,
        column,
        given,
        f"duplicate {what}: the book has {in_book}, which differs only in case; write it the book's way to update it",
    )


@dataclass(frozen=True)
class Accounts:
    """Account numbers of a batch, looked up in the book."""

    ids: dict[str, int]  # exact account number -> customer id
    spelled: dict[str, str]  # lower-cased -> the book's spelling

    def find(self, line: int, account: str) -> int | Problem:
        if account in self.ids:
            return self.ids[account]
        hint = self.spelled.get(account.lower())
        also = f" (the book has {hint}: account numbers must match exactly)" if hint else "; import or add the customer first"
        return Problem(line, "account_number", account, f"no customer with account number {account} in the book{also}")


def find_accounts(conn: Connection, accounts: Iterable[str]) -> Accounts:
    lowered = {a.lower() for a in accounts}
    rows = conn.execute(
        select(CUSTOMER.c.id, CUSTOMER.c.account_number).where(func.lower(CUSTOMER.c.account_number).in_(lowered))
    ).all()
    return Accounts({a: i for i, a in rows}, {a.lower(): a for _, a in rows})


def refresh_search_texts(conn: Connection, customer_ids: Iterable[int]) -> None:
    """`store.customers.refresh_search_text` for many customers at once, in the caller's transaction."""
    ids = sorted(set(customer_ids))
    if not ids:
        return
    # The customers locked first, in id order (PostgreSQL; SQLite's writers take turns anyway): a
    # contact saved by someone else while the import runs is then read as committed, not dropped.
    conn.execute(select(CUSTOMER.c.id).where(CUSTOMER.c.id.in_(ids)).order_by(CUSTOMER.c.id).with_for_update())
    names: dict[int, list[str]] = defaultdict(list)
    for customer_id, name in conn.execute(
        select(CONTACT.c.customer_id, CONTACT.c.name).where(CONTACT.c.customer_id.in_(ids)).order_by(CONTACT.c.id)
    ):
        names[customer_id].append(name)
    cities: dict[int, list[str]] = defaultdict(list)
    for customer_id, city in conn.execute(
        select(SITE.c.customer_id, SITE.c.city).where(SITE.c.customer_id.in_(ids)).order_by(SITE.c.id)
    ):
        cities[customer_id].append(city)
    updates = []
    for customer_id, name, account in conn.execute(
        select(CUSTOMER.c.id, CUSTOMER.c.name, CUSTOMER.c.account_number).where(CUSTOMER.c.id.in_(ids))
    ):
        unique_cities = list(dict.fromkeys(fold(c) for c in cities[customer_id] if c.strip()))
        text = customer_search_text(name, account, names[customer_id], unique_cities)
        updates.append({"row_id": customer_id, "sort_name": customer_sort_name(name), "search_text": text})
    update_by_id(conn, CUSTOMER, updates)


def ambiguous(line: int, column: str, value: str, what: str) -> Problem:
    return Problem(line, column, value, f"the book has {what}: which one is meant? Tidy them up in the app first")
