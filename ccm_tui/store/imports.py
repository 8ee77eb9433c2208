"""Importing CSV files into the book: all or nothing, a dry run, or the good rows only.

Files are streamed: each record is parsed and checked as it is read and
kept only until its batch is written, so a 50,000-row file is never held
whole (the file's natural keys are, to find duplicates). Every file of a
run is written in one write transaction. A dry run, or an all-or-nothing
import that met any problem, rolls it back: the report still says what
would have been created, updated or left unchanged, and nothing is
half-imported. Skipping invalid rows commits the good ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.import_reading import parse_row, read_header, row_warnings
from ccm_tui.domain.import_report import FileReport, ImportReport, Problem, RowRejected
from ccm_tui.domain.import_rows import KeyTracker, ParsedRow
from ccm_tui.domain.imports import ImportKind, ImportMode, known_header_names
from ccm_tui.domain.people import Person
from ccm_tui.store.calendar_flags import FlagJudge, claim_basis
from ccm_tui.store.convert import to_naive_utc
from ccm_tui.store.csv_files import CsvFile, UnreadableFile
from ccm_tui.store.engine import write_session
from ccm_tui.store.sequences import advance_sequences
from ccm_tui.store.upsert_batch import Outcome, Writer
from ccm_tui.store.upserts import upsert

BATCH_ROWS = 500


class _RollBack(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def folder_files(folder: Path) -> list[tuple[ImportKind, Path]]:
    """The files `ccm export csv` writes that are in `folder`, in the order they refer to each other."""
    if not folder.is_dir():
        raise UnreadableFile(f"{folder} is not a folder")
    found = [(kind, folder / kind.file_name) for kind in ImportKind if (folder / kind.file_name).is_file()]
    if not found:
        names = ", ".join(kind.file_name for kind in ImportKind)
        raise UnreadableFile(f"{folder} holds none of {names}")
    return found


def import_csv(
    engine: Engine,
    files: Sequence[tuple[ImportKind, Path]],
    mode: ImportMode,
    now: datetime,
    actor: Person,
    batch_rows: int = BATCH_ROWS,
    progress: Callable[[str], None] | None = None,
    hours: BusinessHours | None = None,
) -> ImportReport:
    """Import `files` in the order given, in one transaction; UnreadableFile if one cannot be read.

    `progress` hears "customers.csv: 12,000 rows" after each batch (a file's row count is not known before).
    `hours`: the calendar's business hours, to judge the steps' derived columns with as they are written
    (without them, the calendar derives them on its next read).
    """
    report_progress = progress or (lambda _message: None)
    with ExitStack() as stack:
        # Open (and check) every file before taking the write lock.
        sources = [(kind, stack.enter_context(CsvFile(path, known_header_names(kind)))) for kind, path in files]
        try:
            with write_session(engine) as session:
                stamp = to_naive_utc(now)
                judge = claim_basis(session.connection(), hours) if hours is not None else None
                reports = tuple(
                    _import_file(session, stamp, actor, kind, source, batch_rows, report_progress, judge)
                    for kind, source in sources
                )
                ok = not any(r.problems for r in reports)
                advance_sequences(session.connection())  # cheap; keeps a PostgreSQL book right whatever ids were written
                written = mode is ImportMode.SKIP_INVALID or (mode is ImportMode.ALL_OR_NOTHING and ok)
                report = ImportReport(mode, reports, written)
                if not written:
                    raise _RollBack(report)
        except _RollBack as rolled_back:
            return rolled_back.report
    return report


def _import_file(
    session: Session,
    stamp: datetime,
    actor: Person,
    kind: ImportKind,
    source: CsvFile,
    batch_rows: int,
    progress: Callable[[str], None],
    judge: FlagJudge | None,
) -> FileReport:
    name = str(source.path)
    records = source.records()
    first = next(records, None)
    if first is None:
        return FileReport(kind, name, problems=(Problem(1, "", "", "the file is empty: it needs a header line"),))
    try:
        header = read_header(kind, first[1], first[0])
    except RowRejected as rejected:
        return FileReport(kind, name, problems=rejected.problems)

    w = Writer(session, stamp, actor, source.path.name, frozenset(header.positions), judge=judge)
    tally = _Tally()
    keys = KeyTracker(kind)
    batch: list[tuple[int, ParsedRow]] = []
    for line, cells in records:
        tally.rows += 1
        if tally.rows % batch_rows == 0:  # every batch read, written or rejected
            progress(f"{source.path.name}: {tally.rows:,} rows")
        try:
            parsed = parse_row(header, line, cells)
        except RowRejected as rejected:
            tally.reject(rejected.problems)
            continue
        duplicate = keys.duplicate(line, parsed)
        if duplicate is not None:
            tally.reject([duplicate])
            continue
        tally.warnings.extend(row_warnings(line, parsed))
        batch.append((line, parsed))
        if len(batch) >= batch_rows:
            tally.write(w, batch)
            batch = []
    tally.write(w, batch)
    progress(f"{source.path.name}: {tally.rows:,} rows")
    return FileReport(
        kind,
        name,
        rows=tally.rows,
        created=tally.outcomes[Outcome.CREATED],
        updated=tally.outcomes[Outcome.UPDATED],
        unchanged=tally.outcomes[Outcome.UNCHANGED],
        rejected=tally.rejected,
        # by line: problems found while writing a batch come after those found reading it
        problems=tuple(sorted(tally.problems, key=lambda p: p.line)),
        ignored_columns=header.ignored,
        warnings=tuple(tally.warnings),
    )


class _Tally:
    def __init__(self) -> None:
        self.rows = 0
        self.rejected = 0
        self.outcomes: Counter[Outcome] = Counter()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def reject(self, problems: Sequence[Problem]) -> None:
        self.rejected += 1
        self.problems.extend(problems)

    def write(self, w: Writer, batch: list[tuple[int, ParsedRow]]) -> None:
        for result in upsert(w, batch):
            if isinstance(result, Outcome):
                self.outcomes[result] += 1
            else:
                self.reject(result)
