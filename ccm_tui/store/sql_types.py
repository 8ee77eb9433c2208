"""Typed doors to SQLModel where its stubs fall short, so the casts live in one place."""

from __future__ import annotations

from typing import Any, Protocol, cast

from sqlalchemy import Table
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
