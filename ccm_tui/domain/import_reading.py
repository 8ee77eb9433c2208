"""A CSV file's header and rows read as typed, checked inputs.

The header's cells are matched to the kind's columns; a row becomes a typed
input (`import_parsers`) or is rejected with every bad cell of it at once,
each a `Problem` with the line, column, value and what is wrong. What needs
the book (does that customer exist, which zone is the site in) is checked by
the store, with the clock's now handed in; this module sees neither files,
nor the book, nor a clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ccm_tui.domain.import_parsers import PARSERS
from ccm_tui.domain.import_report import Problem, RowRejected
from ccm_tui.domain.import_rows import ParsedRow, SiteImport
from ccm_tui.domain.imports import COLUMNS, ImportKind, normalise_header
from ccm_tui.domain.spreadsheet import restore
from ccm_tui.domain.validation import InvalidInput


@dataclass(frozen=True)
class Header:
    kind: ImportKind
    line: int
    positions: Mapping[str, int]  # column name -> cell index
    ignored: tuple[str, ...]  # header cells that name no column of this kind
    width: int  # cells in the header; a row's cells beyond it belong to no column


def read_header(kind: ImportKind, cells: Sequence[str], line: int) -> Header:
    """Match the header cells to the kind's columns; RowRejected if it cannot be read."""
    by_name = {name: column.name for column in COLUMNS[kind] for name in (column.name, *column.aliases)}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        text = restore(cell)
        column = by_name.get(normalise_header(text))
        if column is None:
            if text.strip():
                ignored.append(text.strip())
        elif column in positions:
            problems.append(Problem(line, column, text, f"column {column} appears twice in the header"))
        else:
            positions[column] = index
    for expected in COLUMNS[kind]:
        if expected.required and expected.name not in positions:
            problems.append(
                Problem(line, expected.name, "", f"the header has no {expected.name} column (required: {expected.help})")
            )
    if problems:
        raise RowRejected(problems)
    return Header(kind, line, positions, tuple(ignored), len(cells))


# -- rows ---------------------------------------------------------------------


def is_blank(cells: Sequence[str]) -> bool:
    """Blank lines and rows of empty cells (spreadsheets write `;;;;`) are skipped."""
    return not any(cell.strip() for cell in cells)


def row_values(header: Header, cells: Sequence[str]) -> dict[str, str]:
    """Each column's cell, restored from formula-neutralising, line breaks as \\n."""
    values: dict[str, str] = {}
    for column in COLUMNS[header.kind]:
        index = header.positions.get(column.name)
        cell = cells[index] if index is not None and index < len(cells) else ""
        values[column.name] = restore(cell.replace("\r\n", "\n").replace("\r", "\n"))
    return values


def parse_row(header: Header, line: int, cells: Sequence[str]) -> ParsedRow:
    """The row as a typed input; RowRejected with every problem in it."""
    values = row_values(header, cells)
    errors: dict[str, str] = {}
    extra = [cell for cell in cells[header.width :] if cell.strip()]
    parsed: ParsedRow | None = None
    try:
        parsed = PARSERS[header.kind](values)
    except InvalidInput as error:
        for column, message in error.errors.items():
            errors.setdefault(column, message)
    problems = [Problem(line, column, values.get(column, ""), message) for column, message in errors.items()]
    if extra:
        problems.append(
            Problem(
                line,
                "",
                extra[0],
                f"the row has more cells than the header's {header.width}; quote values that hold the separator",
            )
        )
    if problems or parsed is None:
        raise RowRejected(_in_column_order(header.kind, problems))
    return parsed


def row_warnings(line: int, row: ParsedRow) -> list[Problem]:
    """Doubts about a good row that do not stop it (a site's zone in another country)."""
    if not isinstance(row, SiteImport):
        return []
    columns = {"name": "site_name"}
    values = {"timezone": row.site.timezone, "country": row.site.country, "name": row.site.name}
    return [
        Problem(line, columns.get(field, field), values.get(field, ""), message) for field, message in row.site.warnings.items()
    ]


def _in_column_order(kind: ImportKind, problems: list[Problem]) -> list[Problem]:
    order = {column.name: index for index, column in enumerate(COLUMNS[kind])}
    return sorted(problems, key=lambda p: order.get(p.column, len(order)))
