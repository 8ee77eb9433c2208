"""Bringing a book in from CSV files and taking it out as CSV or JSON.

`services.exchange` is the one door the CLI (`ccm import`, `ccm export`)
and the app's import and export dialogs share. Imports stamp history with
the CCM's name and the clock's now; exports compute their facts for now
and the CCM's current month.
"""

from __future__ import annotations

import csv
import gc
import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ccm_tui.domain.book_facts import FactsContext, ReadinessFacts, document_head
from ccm_tui.domain.exports import ExportSummary, header
from ccm_tui.domain.hours import month_start
from ccm_tui.domain.import_report import ImportReport
from ccm_tui.domain.imports import ImportKind, ImportMode, ImportRequest
from ccm_tui.files import check_file_target, prepare_folder, private_text_files
from ccm_tui.services.book_halves import CsvHalf, JsonHalf, in_halves, write_csv_rows, write_json_lines
from ccm_tui.services.export_half import back_to_here
from ccm_tui.store import change_log, exports, imports
from ccm_tui.store.export_rows import WHOLE, Span

if TYPE_CHECKING:
    from ccm_tui.services import Services

# Excel opens a UTF-8 CSV as UTF-8 only with a byte-order mark; the import reads either. The mark is
# written by hand: the "utf-8-sig" codec's encoder is Python code, called for each of a million rows.
BYTE_ORDER_MARK = "\ufeff"
ReadinessFor = Callable[[Sequence[int]], Mapping[int, ReadinessFacts]]
Progress = Callable[[str], None]  # hears "customers 12,000/50,000" as the work goes (the CLI's progress line)


class ExchangeService:
    def __init__(self, services: Services) -> None:
        self._services = services

    # -- import -------------------------------------------------------------------
    def run_import(self, request: ImportRequest, mode: ImportMode) -> ImportReport:
        """The request's file (or its folder's files) in `mode`: the dialog's dry run, then the mode asked for."""
        if request.kind is None:
            return self.import_folder(request.path, mode)
        return self.import_file(request.kind, request.path, mode)

    def import_file(self, kind: ImportKind, path: Path, mode: ImportMode, progress: Progress | None = None) -> ImportReport:
        return self._import([(kind, path.expanduser())], mode, progress)

    def import_folder(self, folder: Path, mode: ImportMode, progress: Progress | None = None) -> ImportReport:
        """Every file `export_csv` writes that the folder holds, in one transaction."""
        return self._import(imports.folder_files(folder.expanduser()), mode, progress)

    def _import(self, files: Sequence[tuple[ImportKind, Path]], mode: ImportMode, progress: Progress | None) -> ImportReport:
        s = self._services
        return imports.import_csv(s.engine, files, mode, s.now(), s.actor, progress=progress, hours=s.business_hours)

    # -- export -------------------------------------------------------------------
    def export_csv(self, folder: Path, progress: Progress | None = None) -> ExportSummary:
        """customers.csv ... activations.csv into `folder` (made if missing), all replaced together."""
        tell = self._customers_done(progress)
        folder = prepare_folder(folder)
        kinds = list(ImportKind)
        engine = self._services.engine
        with private_text_files([folder / kind.file_name for kind in kinds]) as handles, collector_resting():
            out = [csv.writer(handle) for handle in handles]

            def begin() -> None:
                for kind, handle, writer in zip(kinds, handles, out, strict=True):
                    handle.seek(0)
                    handle.truncate()
                    handle.write(BYTE_ORDER_MARK)
                    writer.writerow(header(kind))

            begin()
            counts = in_halves(
                engine, folder, handles, lambda span, told: write_csv_rows(engine, span, out, told), begin, tell, CsvHalf
            )
        return ExportSummary(str(folder), dict(counts))

    def export_json(self, path: Path, progress: Progress | None = None) -> ExportSummary:
        """The whole book as one JSON document at `path`, written atomically."""
        path = check_file_target(path)
        with private_text_files([path]) as (handle,):
            summary = self.write_json(handle, str(path), progress, beside=path.parent)
        return summary

    def write_json(
        self, handle: TextIO, target: str = "standard output", progress: Progress | None = None, beside: Path | None = None
    ) -> ExportSummary:
        """The JSON document, streamed: a customer per line inside `customers`.

        `beside`: the folder of the file `handle` writes, where a large book's second half may be written
        meanwhile (`in_halves`); without it the book is written in one pass.
        """
        s = self._services
        tell = self._customers_done(progress)
        ctx = FactsContext(s.now(), self._month(), s.business_hours, s.settings.hours_warning_ratio)
        readiness = self.readiness_source() is not None
        head = json.dumps(document_head(ctx, s.settings.time_zone, readiness), ensure_ascii=False)
        handle.write(head[:-1] + ', "customers": [')
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # dumps makes one per call

        def walk(span: Span, told: Callable[[int], None]) -> Counter[str]:
            return write_json_lines(s.engine, ctx, readiness, span, handle.write, told, first=True)

        with collector_resting():
            if beside is None or not handle.seekable():  # standard output, a FIFO: one pass
                counts = walk(WHOLE, tell)
            else:

                def job(url: str, parts: tuple[str, ...], span: Span) -> JsonHalf:
                    return JsonHalf(url, parts, span, ctx, readiness)

                counts = in_halves(s.engine, beside, [handle], walk, back_to_here(handle), tell, job)
        # the change log after the book, an entry per line, streamed like the customers
        handle.write('\n], "change_log": [')
        separator = "\n"
        for entry in change_log.stream(s.engine):
            handle.write(separator + encode(entry.as_document()))
            separator = ",\n"
        handle.write("\n]}\n")
        return ExportSummary(target, dict(counts), readiness_included=readiness)

    def readiness_source(self) -> ReadinessFor | None:
        """The checklists' readiness, when that feature is part of this build."""
        checklists = getattr(self._services, "checklists", None)
        return getattr(checklists, "readiness_for", None)

    def _customers_done(self, progress: Progress | None) -> Callable[[int], None]:
        """`tell(n)` after each batch: "customers 12,000/50,000" to `progress`, if there is one."""
        if progress is None:
            return lambda _done: None
        total = exports.customer_total(self._services.engine)  # before the walk: a write meanwhile may change it
        return lambda done: progress(f"customers {done:,}/{max(total, done):,}")

    def _month(self) -> date:
        return month_start(self._services.today())


@contextmanager
def collector_resting() -> Iterator[None]:
    """Python's cyclic garbage collector paused while an export walks the book (as it was, after).

    An export makes and drops millions of objects (records, rows, documents)
    that refcounting frees; the collector, triggered by their number, kept
    tracing each batch's records through its generations: a quarter of
    `ccm export csv`'s time. The walk makes no reference cycles (its statements
    are built once; tests/store/test_export_speedups.py holds that), so its
    memory stays flat without it; other threads' cycles wait until it is back.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
