"""The problems an import met, each at its line and column, and the report
of an import: per file, how many rows were created, updated, left unchanged
or rejected, and one sentence of what happened to the book.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ccm_tui.domain.imports import ImportKind, ImportMode


@dataclass(frozen=True)
class Problem:
    line: int  # the physical line where the record starts (the header is line 1 or later)
    column: str  # "" when it is about the whole row or file
    value: str
    message: str


class RowRejected(ValueError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


@dataclass(frozen=True)
class FileReport:
    kind: ImportKind
    name: str  # the file as the user named it
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: tuple[Problem, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()  # doubts about rows that were still imported

    def counts(self, *, written: bool) -> str:
        """What became of the rows: "2 created, 1 updated, ..." once written; before that (a dry run, a check,
        an all-or-nothing import that met a problem) "would create 2, update 1; ...", never a claim."""
        rest = f"{self.unchanged:,} unchanged, {self.rejected:,} rejected"
        if written:
            return f"{self.created:,} created, {self.updated:,} updated, {rest}"
        return f"would create {self.created:,}, update {self.updated:,}; {rest}"  # fits an 80-column dialog


@dataclass(frozen=True)
class ImportReport:
    mode: ImportMode
    files: tuple[FileReport, ...]
    written: bool  # the changes were committed

    @property
    def ok(self) -> bool:
        return not any(f.problems for f in self.files)

    def total(self, what: str) -> int:
        return sum(getattr(f, what) for f in self.files)

    @property
    def problems(self) -> int:
        return sum(len(f.problems) for f in self.files)

    def outcome(self) -> str:
        """One sentence: what happened to the book."""
        changes = self.total("created") + self.total("updated")
        if self.mode is ImportMode.DRY_RUN:
            return f"Dry run: nothing written; {'no problems' if self.ok else self._trouble()}."
        if not self.written:
            return f"Nothing written: {self._trouble()} (all or nothing)."
        if self.ok:
            if not changes:
                return "Nothing to change: the book already holds these rows."
            return f"Imported: {_records(changes)} written."
        return f"Imported the good rows ({_records(changes)} written); {self._trouble()} skipped."

    def _trouble(self) -> str:
        rows = self.total("rejected")
        if rows:
            return f"{rows:,} row{'' if rows == 1 else 's'} with problems"
        return f"{self.problems:,} problem{'' if self.problems == 1 else 's'} with the file"


def _records(count: int) -> str:
    return f"{count:,} record{'' if count == 1 else 's'}"
