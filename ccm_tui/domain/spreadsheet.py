"""Cells a spreadsheet would run as a formula, made inert and back.

A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return) is
read as a formula by Excel, LibreOffice and Google Sheets, and so are their
full-width forms `＝ ＋ － ＠` by spreadsheets set up for East Asian input,
which turn them into the ASCII ones: a contact named
`=HYPERLINK(...)` in an exported file would run when a colleague opens it.
Export puts a single quote in front, which spreadsheets show as "text";
import takes one quote off again. Cells already starting with quotes before
such a character get one more, so the round trip returns every value as it
was (`'=x` exports as `''=x` and imports as `'=x`).
"""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _looks_like_formula(cell: str) -> bool:
    return cell.lstrip("'").startswith(_FORMULA_STARTS)


def neutralise(cell: str) -> str:
    """The cell as written to a CSV file: formulas prefixed with a quote."""
    return "'" + cell if _looks_like_formula(cell) else cell


def restore(cell: str) -> str:
    """The cell as read from a CSV file: the export's quote taken off."""
    return cell[1:] if cell.startswith("'") and _looks_like_formula(cell) else cell
