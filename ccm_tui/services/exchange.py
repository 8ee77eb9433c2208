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

from ccm_tui.domain.book_facts import (
    BookDocuments,
    FactsContext,
    ReadinessFacts,
    document_head,
)
from ccm_tui.domain.exports import ExportSummary, header
from ccm_tui.domain.hours import month_start
from ccm_tui.domain.import_report import ImportReport
from ccm_tui.domain.imports import ImportKind, ImportMode, ImportRequest
from ccm_tui.files import check_file_target, prepare_folder, private_text_files
from ccm_tui.store import change_log, export_csv, exports, imports
from ccm_tui.store.export_readiness import ReadinessAt

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
        counts: Counter[str] = Counter({kind.value: 0 for kind in kinds})
        with private_text_files([folder / kind.file_name for kind in kinds]) as handles, collector_resting():
            out = {kind: csv.writer(handle) for kind, handle in zip(kinds, handles, strict=True)}
            for kind, handle in zip(kinds, handles, strict=True):
                handle.write(BYTE_ORDER_MARK)
                out[kind].writerow(header(kind))
            for batch in export_csv.csv_batches(self._services.engine):
                for kind, rows in zip(kinds, batch.rows, strict=True):
                    out[kind].writerows(rows)  # a batch's rows per file, written in one call each
                    # activations: every one read, as the summary has always said (not only those written)
                    counts[kind.value] += batch.activations_read if kind is ImportKind.ACTIVATIONS else len(rows)
                tell(counts["customers"])
        return ExportSummary(str(folder), dict(counts))

    def export_json(self, path: Path, progress: Progress | None = None) -> ExportSummary:
        """The whole book as one JSON document at `path`, written atomically."""
        path = check_file_target(path)
        with private_text_files([path]) as (handle,):
            summary = self.write_json(handle, str(path), progress)
        return summary

    def write_json(self, handle: TextIO, target: str = "standard output", progress: Progress | None = None) -> ExportSummary:
        """The JSON document, streamed: a customer per line inside `customers`."""
        s = self._services
        tell = self._customers_done(progress)
        ctx = FactsContext(s.now(), self._month(), s.business_hours, s.settings.hours_warning_ratio)
        readiness_for = self.readiness_source()
        head = json.dumps(document_head(ctx, s.settings.time_zone, readiness_for is not None), ensure_ascii=False)
        handle.write(head[:-1] + ', "customers": [')
        counts: Counter[str] = Counter({kind.value: 0 for kind in ImportKind})
        separator = "\n"
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # dumps makes one per call
        documents = BookDocuments(ctx)  # one for the whole walk: it remembers the facts customers share
        # readiness as the checklists judge it (`readiness_for`), read with each batch from the steps it holds
        at = None if readiness_for is None else ReadinessAt(ctx.now, s.business_hours)
        with collector_resting():
            for batch in exports.book_walk(s.engine, ctx.month, readiness=at):
                lines = []
                for records in batch.records:
                    line = documents.line(records, batch.readiness)
                    lines.append(line.text)
                    counts["contacts"] += len(records.contacts)
                    counts["sites"] += len(records.sites)
                    counts["orders"] += len(records.orders)
                    counts["activations"] += line.activations  # those written: each of the customer's order and site
                counts["customers"] += len(lines)
                handle.write(separator + ",\n".join(lines))  # a batch in one write
                separator = ",\n"
                tell(counts["customers"])
        # the change log after the book, an entry per line, streamed like the customers
        handle.write('\n], "change_log": [')
        separator = "\n"
        for entry in change_log.stream(s.engine):
            handle.write(separator + encode(entry.as_document()))
            separator = ",\n"
        handle.write("\n]}\n")
        return ExportSummary(target, dict(counts), readiness_included=readiness_for is not None)

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
