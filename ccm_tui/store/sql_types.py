"""Typed doors to SQLModel where its stubs fall short, so the casts live in one place."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol, cast

from sqlalchemy import ARRAY, BigInteger, Dialect, String, Table, TypeDecorator, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.type_api import TypeEngine
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import SQLModel, select
from sqlmodel.sql.expression import Select, SelectOfScalar


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def id_of(row: _Stored) -> int:
    """The id of a row read from the book: SQLModel types it `int | None` for rows not yet added."""
    assert row.id is not None, "a row read from the book has its id"
    return row.id


def select_ids(column: int | None) -> SelectOfScalar[int]:
    """SELECT of a primary key column, typed `int`: ids read back are never None."""
    return cast("SelectOfScalar[int]", select(column))


def table_of(row_class: type[SQLModel]) -> Table:
    """The Core table behind a row class, for bulk inserts, updates and counts."""
    return row_class.__table__  # type: ignore[attr-defined]  # set by SQLModel's metaclass, not declared


def select_columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """A SELECT of columns, tables or row classes, as SQLModel's `select` builds it for two or more.

    SQLModel types `select` for at most four arguments; this one takes any number,
    and `Session.exec` reads its rows back as tuples (even for one table).
    """
    return Select(*columns)


class _IdList(TypeDecorator[list[int]]):
    """A list of ids bound as one value: a JSON array for SQLite's `json_each`, an array for PostgreSQL."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(BigInteger()))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: list[int] | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return json.dumps(value)


class InIds(ColumnElement[Any]):
    """`column IN ids` with the ids bound as one value, however many there are (`in_ids`)."""

    inherit_cache = True
    # Untyped, like `on_call_term`: typed Boolean, SQLite would get "... = 1", which hides the column's index
    type = NullType()
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement), ("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any], ids: BindParameter[list[int]]) -> None:
        self.column = column
        self.ids = ids


def in_ids(column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
    """`column IN ids`, the ids bound as one value rather than one parameter each.

    A list's hundreds of ids (its customers, its activations) cost SQLAlchemy a
    parameter each at every execution, rendered and bound, and more than the
    lookups they ask for; one JSON array (SQLite reads it with `json_each`) or
    one array (PostgreSQL's `= ANY`) costs one. No limit on the ids' number either.
    """
    element = column.__clause_element__() if hasattr(column, "__clause_element__") else column  # an ORM attribute's column
    return InIds(element, bindparam(None, sorted(ids), type_=_IdList()))


@compiles(InIds, "sqlite")
def _in_ids_sqlite(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.column, **kw)} IN (SELECT value FROM json_each({compiler.process(element.ids, **kw)})))"


@compiles(InIds)
def _in_ids_array(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.column, **kw)} = ANY({compiler.process(element.ids, **kw)}))"
