"""The export walk's queries as the driver answers them: no result rows built per row by SQLAlchemy.

The walk reads about 1.5 million rows from a 50,000-customer book; building
a SQLAlchemy Row for each (and converting its dates and datetimes) cost
more than SQLite took to find them. So each SELECT is compiled once per
walk for the connection's dialect (its IN lists rendered, its parameters
named) and run on the same DBAPI connection, inside the walk's transaction.

The driver's values differ by engine: SQLite gives dates and datetimes as
ISO text and booleans as integers, PostgreSQL (psycopg) gives `date`,
`datetime` and `bool`. `Converted` turns either into the domain's values,
remembering those a book repeats (window instants, dates, amounts) up to a
bound, so a value met again costs a dict lookup and memory stays flat.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, overload

from sqlalchemy import Connection, Select, bindparam
from sqlmodel import col, select

from ccm_tui.store.convert import from_cents, hours_from_minutes, to_utc
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import CustomerRow

_T = TypeVar("_T")


def batch_customers(first: Any, last: Any) -> Select[Any]:
    """A batch's customers as a subquery: every account number from its first to its last (values or bindparams)."""
    account = col(CustomerRow.account_number)
    return select(CustomerRow.id).where(account >= first, account <= last)


@dataclasses.dataclass(frozen=True, slots=True)
class Span:
    """The customers whose account numbers come after `after` (if given) up to and including `through` (if given)."""

    after: str | None = None
    through: str | None = None


WHOLE = Span()


def customer_batches(
    connection: Connection, columns: tuple[Any, ...], batch: int, span: Span = WHOLE
) -> Iterator[list[tuple[Any, ...]]]:
    """The `span`'s customers as `columns` (the account number second), `batch` at a time in account-number order:
    each page starts after the last account number of the one before (no OFFSET to walk past)."""
    account = col(CustomerRow.account_number)
    customers = select_columns(*columns).order_by(account).limit(batch)
    if span.through is not None:
        customers = customers.where(account <= bindparam("through", ""))
    after = RawQuery(connection, customers.where(account > bindparam("after", "")))
    bounds = {} if span.through is None else {"through": span.through}
    rows = RawQuery(connection, customers).rows(**bounds) if span.after is None else after.rows(after=span.after, **bounds)
    while rows:
        yield rows
        rows = after.rows(after=rows[-1][1], **bounds)


class RawQuery:
    """A SELECT compiled once for `connection`'s dialect; `rows(**values)` runs it on the DBAPI connection.

    Its parameters go to the driver as they are, not through SQLAlchemy's
    bind processing: text and integers only (account numbers, codes, a limit).
    """

    def __init__(self, connection: Connection, statement: Select[Any]) -> None:
        compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
        self._sql = str(compiled)
        self._defaults = dict(compiled.params)  # the statement's own literals (IN lists, flags), named
        self._order = list(compiled.positiontup or ()) if compiled.positional else None
        self._connection = connection

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        params = self._defaults | values
        cursor = self._connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(self._sql, params if self._order is None else [params[name] for name in self._order])
            return list(cursor.fetchall())
        finally:
            cursor.close()


class Converted:
    """Driver values to domain values, each converted once while remembered (at most `kept` of a kind)."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._instants: dict[Any, datetime] = {}
        self._days: dict[Any, date] = {}
        self._hours: dict[int, Decimal] = {}
        self._cents: dict[int, Decimal] = {}

    def utc(self, value: str | datetime | None) -> datetime | None:
        """A column's UTC instant (ISO text, naive or aware) as an aware UTC datetime, as `convert.to_utc` makes it."""
        if value is None:
            return None
        found = self._instants.get(value)
        if found is None:
            found = to_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)
            _remember(self._instants, value, found, self.kept)
        return found

    @overload
    def day(self, value: str | date) -> date: ...
    @overload
    def day(self, value: None) -> None: ...
    def day(self, value: str | date | None) -> date | None:
        if value is None:
            return None
        found = self._days.get(value)
        if found is None:
            found = date.fromisoformat(value) if isinstance(value, str) else value
            _remember(self._days, value, found, self.kept)
        return found

    def hours(self, minutes: int) -> Decimal:
        found = self._hours.get(minutes)
        if found is None:
            found = hours_from_minutes(minutes)
            _remember(self._hours, minutes, found, self.kept)
        return found

    def money(self, cents: int) -> Decimal:
        found = self._cents.get(cents)
        if found is None:
            found = from_cents(cents)
            _remember(self._cents, cents, found, self.kept)
        return found


def maker(kind: type[_T]) -> Callable[..., _T]:
    """A constructor of the frozen, slotted dataclass `kind` taking every field in order, about twice as fast.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`;
    this one calls each slot's own setter, as `dataclasses` makes `__init__` (a
    function written for the class). The walk makes about 800,000 records.
    Only for classes whose `__init__` does nothing else: no `__post_init__`,
    no field left to its default (every value is given).
    """
    if not dataclasses.is_dataclass(kind) or "__slots__" not in vars(kind) or hasattr(kind, "__post_init__"):
        raise TypeError(f"{kind.__name__} is not a plain slotted dataclass")
    names = [field.name for field in dataclasses.fields(kind) if field.init]
    if len(names) != len(dataclasses.fields(kind)) or any(name.startswith("__") for name in names):
        raise TypeError(f"{kind.__name__} has a field __init__ does not take, or a name of the maker's own")
    # the function's own names start with "__": a field's name never does
    scope: dict[str, Any] = {"__new": object.__new__, "__kind": kind}
    scope |= {f"__set_{name}": vars(kind)[name].__set__ for name in names}
    body = "".join(f"    __set_{name}(__made, {name})\n" for name in names)
    exec(f"def make({', '.join(names)}):\n    __made = __new(__kind)\n{body}    return __made\n", scope)
    made: Callable[..., _T] = scope["make"]
    return made


def _remember(found: dict[Any, Any], key: Any, value: Any, kept: int) -> None:
    if len(found) >= kept:
        found.clear()  # bounded: a book with more distinct values than this converts some twice
    found[key] = value
