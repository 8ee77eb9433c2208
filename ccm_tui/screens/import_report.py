"""The import report: what a file holds, every problem in it, and the write.

Opened with the dry run's report, it shows per file how many rows would
be created, updated, left unchanged and rejected, and a table of every
problem (line, column, value, what is wrong; the highlighted one in full
below). When the import may write (all or nothing with no problems, or
skipping invalid rows), ctrl+s writes it in a thread worker and the
dialog shows the final report. It dismisses with whether anything was
written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label, Static

from ccm_tui.domain.fields import printable
from ccm_tui.domain.import_report import FileReport, ImportReport, Problem
from ccm_tui.domain.imports import ImportMode, ImportRequest
from ccm_tui.errors import StoreError
from ccm_tui.screens.dialogs.base import Dialog
from ccm_tui.widgets.workers import work

if TYPE_CHECKING:
    from ccm_tui.services import Services

MAX_ROWS = 1000  # a table of 50,000 problems helps no one; `ccm import --dry-run` lists them all
MAX_WARNINGS = 5


class ImportReportDialog(Dialog[bool]):
    DEFAULT_CSS = """
    ImportReportDialog > Vertical {
        width: 110;
    }
    ImportReportDialog .dialog-title {
        text-style: bold;
    }
    ImportReportDialog #report-files {
        height: auto;
        padding-bottom: 1;
    }
    ImportReportDialog DataTable {
        height: auto;
        max-height: 14;
    }
    ImportReportDialog #report-detail {
        height: auto;
        min-height: 2;
        color: $text-muted;
    }
    ImportReportDialog #report-outcome {
        text-style: bold;
        height: auto;
    }
    ImportReportDialog #report-buttons {
        height: auto;
        align-horizontal: right;
    }
    ImportReportDialog #report-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "write", "Import", id="import.write"),
        Binding("escape", "close", "Close", id="import.close"),
    ]

    def __init__(self, services: Services, request: ImportRequest, report: ImportReport) -> None:
        super().__init__()
        self.services = services
        self.request = request
        self.report = report
        self.final = report.mode is not ImportMode.DRY_RUN  # a dry run's report is a preview
        self.written = False
        self._writing = False

    def compose(self) -> ComposeResult:
        with Vertical():
            # plain text throughout: paths, values and messages from the file, as they are
            yield Label("", id="report-title", classes="dialog-title", markup=False)
            yield Static("", id="report-files", markup=False)
            table: DataTable[Text] = DataTable(id="report-problems", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="report-detail", markup=False)
            yield Static("", id="report-outcome", markup=False)
            with Horizontal(id="report-buttons"):
                yield Button("Import (ctrl+s)", id="report-write", variant="primary", compact=True)
                yield Button("Close (esc)", id="report-close", compact=True)

    def on_mount(self) -> None:
        self._show()

    # -- what may be written ---------------------------------------------------------
    @property
    def writable_rows(self) -> int:
        """Records the import would write now; 0 when it may not write."""
        if self.final or self.request.mode is ImportMode.DRY_RUN:
            return 0
        if not self.report.ok and self.request.mode is ImportMode.ALL_OR_NOTHING:
            return 0
        return self.report.total("created") + self.report.total("updated")

    def _show(self) -> None:
        report = self.report
        self.query_one("#report-title", Label).update(f"Import report: {self.request.label} ({self._state()})")
        self.query_one("#report-files", Static).update("\n".join(self._file_line(f) for f in report.files))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        several = len(report.files) > 1
        table.add_columns(*(["File"] if several else []), "Line", "Column", "Value", "Problem")
        for file, problem in self._problems()[:MAX_ROWS]:
            cells = [*([_file_name(file)] if several else []), str(problem.line), problem.column or "-"]
            cells += [_short(printable(problem.value), 18) or "-", printable(problem.message)]  # an ESC shown, not obeyed
            table.add_row(*map(Text, cells))  # a str cell is read as markup, and a value may hold "[/]"
        table.display = report.problems > 0
        self._show_detail(0)
        self.query_one("#report-outcome", Static).update(self._outcome())
        write = self.query_one("#report-write", Button)
        rows = self.writable_rows
        write.display = rows > 0
        write.label = f"Import {rows:,} record{'' if rows == 1 else 's'} (ctrl+s)"
        (write if rows > 0 else self.query_one("#report-close", Button)).focus()
        if report.problems:
            table.focus()

    def _state(self) -> str:
        mode = self.request.mode
        if mode is ImportMode.DRY_RUN:
            return "dry run: nothing written"
        if self.final:
            return f"{'imported' if self.written else 'not imported'}; {mode.label}"
        return f"checked; {mode.label}"

    def _file_line(self, file: FileReport) -> str:
        line = f"{_file_name(file)}: {file.rows:,} rows: {file.counts(written=self.report.written)}"
        if file.ignored_columns:
            line += f"\n  ignored columns: {', '.join(file.ignored_columns)}"
        for warning in file.warnings[:MAX_WARNINGS]:  # imported all the same: a doubt to check, not a problem
            line += f"\n  warning: line {warning.line}, {warning.column}: {warning.message}"
        if len(file.warnings) > MAX_WARNINGS:
            line += f"\n  and {len(file.warnings) - MAX_WARNINGS:,} more warnings (`ccm import --dry-run` lists them all)"
        return line

    def _problems(self) -> list[tuple[FileReport, Problem]]:
        return [(file, problem) for file in self.report.files for problem in file.problems]

    def _outcome(self) -> str:
        more = self.report.problems - MAX_ROWS
        shown = f"The table shows the first {MAX_ROWS:,} problems of {self.report.problems:,}. " if more > 0 else ""
        return shown + self._verdict()

    def _verdict(self) -> str:
        report = self.report
        if self.final:
            return report.outcome()
        if self.request.mode is ImportMode.DRY_RUN:
            return report.outcome() + (" Fix the rows above and check again." if not report.ok else "")
        if self.writable_rows:
            skipped = f"; {report.total('rejected'):,} rejected rows will be skipped" if not report.ok else ""
            return f"Checked: nothing written yet{skipped}. ctrl+s imports, esc leaves the book as it is."
        if report.ok:
            return "Nothing to change: the book already holds these rows."
        if self.request.mode is ImportMode.SKIP_INVALID:
            return "Nothing to write: the good rows hold nothing new, and the rows above would be skipped."
        return "Nothing can be written (all or nothing): fix the rows above and import again, or skip invalid rows."

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        problems = self._problems()
        detail = self.query_one("#report-detail", Static)
        if not problems:
            detail.update("No problems found.")
            return
        file, problem = problems[min(max(index, 0), len(problems) - 1)]
        where = f"{_file_name(file)} line {problem.line}" + (f", {problem.column}" if problem.column else "")
        value = f" {problem.value!r}" if problem.value else ""
        detail.update(f"{where}{value}: {problem.message}")

    # -- writing -----------------------------------------------------------------------
    @on(Button.Pressed, "#report-write")
    def action_write(self) -> None:
        if self._writing or self.writable_rows == 0:
            return
        self._writing = True
        self.query_one("#report-write", Button).disabled = True
        self.query_one("#report-outcome", Static).update(f"Importing {self.request.label}...")
        self._write()

    @work(thread=True, exclusive=True, group="import-write")
    def _write(self) -> None:
        try:
            report = self.services.exchange.run_import(self.request, self.request.mode)
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
        else:
            self.app.call_from_thread(self._done, report)

    def _done(self, report: ImportReport) -> None:
        if self.gone:  # taken down while it wrote (a mode's key pops every screen)
            return
        self.report = report
        self.final = True
        self.written = report.written
        self._writing = False
        self._show()
        self.query_one("#report-close", Button).focus()

    def _failed(self, message: str) -> None:
        if self.gone:
            return
        self._writing = False
        self.query_one("#report-write", Button).disabled = False
        self.query_one("#report-outcome", Static).update(f"Not imported: {message}")

    @on(Button.Pressed, "#report-close")
    def action_close(self) -> None:
        if not self._writing:
            self.dismiss_once(self.written)


def _file_name(file: FileReport) -> str:
    return file.name.rstrip("/").rpartition("/")[2] or file.name


def _short(text: str, width: int) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= width else flat[: width - 3] + "..."
