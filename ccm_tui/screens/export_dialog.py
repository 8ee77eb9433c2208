"""The export dialog: the book as CSV files in a folder, or one JSON file.

The dialog says exactly what it will write where before it writes; files
already there are replaced only after a second ctrl+s. The export runs in
a thread worker and the dialog dismisses with its summary.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ccm_tui.domain.exports import ExportSummary
from ccm_tui.domain.imports import ImportKind
from ccm_tui.screens.dialogs.base import Dialog, Failure
from ccm_tui.widgets.path_suggester import PathSuggester
from ccm_tui.widgets.safe_select import SafeSelect
from ccm_tui.widgets.workers import work

if TYPE_CHECKING:
    from ccm_tui.services import Services

CSV, JSON = "csv", "json"
FORMAT_OPTIONS = [
    ("CSV files into a folder (the files `ccm import` reads)", CSV),
    ("One JSON document with computed facts (for scripts and jq)", JSON),
]
CSV_NAMES = tuple(kind.file_name for kind in ImportKind)


def default_target(fmt: str, folder: Path, today: date) -> Path:
    return folder / (f"ccm-export-{today.isoformat()}" if fmt == CSV else f"ccm-book-{today.isoformat()}.json")


def open_export(app: App[Any], services: Services, start: Path | None = None) -> None:
    """Ask where, write, then say what was written."""

    def exported(summary: ExportSummary | None) -> None:
        if summary is not None:
            app.notify(summary.text() + ".", title="Exported", timeout=8, markup=False)  # the path as typed

    app.push_screen(ExportDialog(services, start or Path.cwd()), exported)


class ExportDialog(Dialog[ExportSummary | None]):
    SHOWN_ERRORS = (*Dialog.SHOWN_ERRORS, OSError)  # a folder that cannot be written, a full disk
    DONE_AFTER_CLOSE = ""  # the files are there; nothing more to say
    DEFAULT_CSS = """
    ExportDialog > Vertical {
        width: 86;
    }
    ExportDialog .dialog-title {
        text-style: bold;
        padding-bottom: 1;
    }
    ExportDialog .form-row {
        height: auto;
    }
    ExportDialog .form-label {
        width: 9;
        padding-right: 1;
        text-align: right;
    }
    ExportDialog .form-row Input, ExportDialog .form-row Select {
        width: 1fr;
    }
    ExportDialog #export-plan {
        padding: 1 0 1 10;
        height: auto;
    }
    ExportDialog #export-error {
        color: $text-error;
        padding-left: 10;
        display: none;
    }
    ExportDialog #export-error.-shown {
        display: block;
    }
    ExportDialog #export-buttons {
        height: auto;
        align-horizontal: right;
    }
    ExportDialog #export-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export.write"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, services: Services, start: Path) -> None:
        super().__init__()
        self.services = services
        self.start = start
        self._confirmed: Path | None = None  # the target whose files may be replaced
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export the book", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("As", classes="form-label")
                yield SafeSelect(FORMAT_OPTIONS, value=CSV, allow_blank=False, id="export-format", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Into", classes="form-label")
                target = default_target(CSV, self.start, self.services.today())
                yield Input(
                    str(target),
                    id="export-path",
                    suggester=PathSuggester(folders_only=True),
                    compact=True,
                    select_on_focus=False,
                )
            # plain text: both quote the path as typed ("[/]" is not markup)
            yield Static("", id="export-error", markup=False)
            yield Static("", id="export-plan", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export (ctrl+s)", id="export-go", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="export-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()
        self._show_plan()

    @property
    def format(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    def target(self) -> Path | None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            return None
        try:
            return Path(text).expanduser()
        except RuntimeError:  # ~name of no user here: the export says so at the field
            return Path(text)

    @on(Select.Changed, "#export-format")
    def _format_changed(self) -> None:
        field = self.query_one("#export-path", Input)
        current = self.target()
        folder = (current.parent if current is not None else self.start) or self.start
        field.value = str(default_target(self.format, folder, self.services.today()))
        field.suggester = PathSuggester(folders_only=True) if self.format == CSV else PathSuggester((".json",))
        self._show_plan()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirmed = None
        self._show_error("")
        self._show_plan()

    def _replaced(self, target: Path) -> list[str]:
        """Files the export would replace."""
        if self.format == CSV:
            return [name for name in CSV_NAMES if (target / name).is_file()]
        return [target.name] if target.is_file() else []

    def _show_plan(self) -> None:
        target = self.target()
        plan = self.query_one("#export-plan", Static)
        if target is None:
            plan.update("Give a folder (CSV) or a file (JSON).")
            return
        if self.format == CSV:
            where = "into the folder" if target.is_dir() else "into a new folder"
            text = f"Writes {', '.join(CSV_NAMES)} {where} {target}"
        else:
            text = f"Writes the whole book as JSON to {target}"
        replaced = self._replaced(target)
        if replaced:
            again = "; ctrl+s again replaces them" if self._confirmed == target else ""
            files = f"{len(replaced)} existing file{'s' if len(replaced) > 1 else ''}"
            text += f"\nReplaces {files}: {', '.join(replaced)}{again}"
        plan.update(text + ".\nFiles are private to you (0600) and appear whole or not at all.")

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted, "#export-path")
    def action_export(self) -> None:
        target = self.target()
        if self._busy or target is None:
            return
        if self._replaced(target) and self._confirmed != target:
            self._confirmed = target  # replacing a colleague's or last week's export: ask once more
            self._show_plan()
            return
        self._busy = True
        self._show_error("")
        self.query_one("#export-plan", Static).update(f"Exporting to {target}...")
        self._export(self.format, target)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss_once(None)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, fmt: str, target: Path) -> None:
        exchange = self.services.exchange
        write = exchange.export_csv if fmt == CSV else exchange.export_json
        self.save_in_worker(lambda: write(target), self.dismiss_once)

    def show_failure(self, failure: Failure) -> None:
        self._busy = False
        self._show_error("\n".join([failure.banner, *failure.errors.values()]).strip())
        self._show_plan()

    def _show_error(self, message: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")
