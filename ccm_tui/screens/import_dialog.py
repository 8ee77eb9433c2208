"""The import dialog: which records, from which file, how strictly; then a check.

ctrl+s checks the file with a dry run in a thread worker (nothing is
written) and the dialog dismisses with what the check found; the report
dialog shows it and offers to write, so the CCM sees what an import will
do before it does it. A file that cannot be read is said under its field,
and the dialog stays open with the input as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ccm_tui.domain.import_report import ImportReport
from ccm_tui.domain.imports import COLUMNS, ImportKind, ImportMode, ImportRequest
from ccm_tui.errors import StoreError
from ccm_tui.screens.dialogs.base import Dialog
from ccm_tui.widgets.path_suggester import PathSuggester
from ccm_tui.widgets.safe_select import SafeSelect
from ccm_tui.widgets.workers import work

if TYPE_CHECKING:  # the services import the ORM; screens load before it
    from ccm_tui.services import Services

FOLDER = "all"  # the kind option for every file of a folder
KIND_OPTIONS = [(kind.value.capitalize(), kind.value) for kind in ImportKind] + [
    ("Every file of a folder (as `ccm export csv` writes)", FOLDER)
]
MODE_OPTIONS = [
    ("All or nothing: any problem and nothing is written", ImportMode.ALL_OR_NOTHING.value),
    ("Dry run: check and report only", ImportMode.DRY_RUN.value),
    ("Skip invalid rows: write the good ones", ImportMode.SKIP_INVALID.value),
]


@dataclass(frozen=True)
class ImportCheck:
    request: ImportRequest
    report: ImportReport  # the dry run


def columns_hint(kind: str) -> str:
    if kind == FOLDER:
        return "A folder holding any of " + ", ".join(k.file_name for k in ImportKind) + "."
    names = [c.name + ("*" if c.required else "") for c in COLUMNS[ImportKind(kind)]]
    return "Columns (* required): " + ", ".join(names)


def typed_path(text: str) -> Path:
    """The path typed, with ~ expanded. ValueError says what is wrong with it, for the field."""
    if "\x00" in text:  # open() would raise ValueError, not OSError
        raise ValueError("A path cannot hold a NUL character; was something pasted by mistake?")
    try:
        return Path(text).expanduser()
    except RuntimeError:  # ~name of no user on this machine
        raise ValueError(f"No user called {text.split('/', 1)[0][1:]!r} here: ~ alone is your home folder.") from None


def _offered(start: Path) -> str:
    """The path the field starts with: a folder ends in / so the next part can follow."""
    try:
        is_file = start.is_file()
    except OSError:  # a name too long (the last path checked): offer it as it was typed
        return str(start)
    return str(start) if is_file else str(start).rstrip("/") + "/"


def open_import(app: App[Any], services: Services, start: Path | None = None) -> None:
    """The whole flow: ask, check, show the report (which may write)."""
    from ccm_tui.screens.import_report import ImportReportDialog

    def checked(check: ImportCheck | None) -> None:
        if check is not None:
            app.push_screen(ImportReportDialog(services, check.request, check.report))

    app.push_screen(ImportDialog(services, start or ImportDialog.last_path or Path.cwd()), checked)


class ImportDialog(Dialog[ImportCheck | None]):
    DEFAULT_CSS = """
    ImportDialog > Vertical {
        width: 86;
    }
    ImportDialog .dialog-title {
        text-style: bold;
        padding-bottom: 1;
    }
    ImportDialog .form-row {
        height: auto;
    }
    ImportDialog .form-label {
        width: 9;
        padding-right: 1;
        text-align: right;
    }
    ImportDialog .form-row Input, ImportDialog .form-row Select {
        width: 1fr;
    }
    ImportDialog .form-help {
        color: $text-muted;
        padding-left: 10;
        padding-bottom: 1;
    }
    ImportDialog #import-error {
        color: $text-error;
        padding-left: 10;
        display: none;
    }
    ImportDialog #import-error.-shown {
        display: block;
    }
    ImportDialog #import-buttons {
        height: auto;
        align-horizontal: right;
    }
    ImportDialog #import-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "check", "Check file", id="import.check"),
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
    ]

    last_path: ClassVar[Path | None] = None
    """The file or folder checked last, offered again (fixing a file and trying again is the usual loop)."""

    def __init__(self, services: Services, start: Path) -> None:
        super().__init__()
        self.services = services
        self.start = start
        self._checking = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import from a CSV file", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Records", classes="form-label")
                yield SafeSelect(KIND_OPTIONS, value=ImportKind.CUSTOMERS.value, allow_blank=False, id="import-kind", compact=True)
            yield Static(columns_hint(ImportKind.CUSTOMERS.value), id="import-columns", classes="form-help")
            with Horizontal(classes="form-row"):
                yield Label("File", classes="form-label")
                start = _offered(self.start)
                yield Input(start, id="import-path", suggester=PathSuggester((".csv",)), compact=True, select_on_focus=False)
            yield Static("", id="import-error", markup=False)  # it quotes the typed path
            yield Static("-> completes the path; UTF-8, comma or semicolon separated", classes="form-help")
            with Horizontal(classes="form-row"):
                yield Label("Mode", classes="form-label")
                yield SafeSelect(
                    MODE_OPTIONS,
                    value=ImportMode.ALL_OR_NOTHING.value,
                    allow_blank=False,
                    id="import-mode",
                    compact=True,
                )
            yield Static(
                "The file is checked first; you see the report before anything is written.",
                id="import-status",
                classes="form-help",
                markup=False,
            )
            with Horizontal(id="import-buttons"):
                yield Button("Check (ctrl+s)", id="import-check", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="import-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Changed, "#import-path")
    def _path_changed(self, event: Input.Changed) -> None:
        # customers.csv ... activations.csv (as `ccm export csv` names them) say what they hold
        name = Path(event.value).name.lower()
        for kind in ImportKind:
            if name == kind.file_name:
                self.query_one("#import-kind", Select).value = kind.value

    @on(Select.Changed, "#import-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        kind = str(event.value)
        self.query_one("#import-columns", Static).update(columns_hint(kind))
        field = self.query_one("#import-path", Input)
        field.suggester = PathSuggester(folders_only=True) if kind == FOLDER else PathSuggester((".csv",))

    def request(self) -> ImportRequest | None:
        text = self.query_one("#import-path", Input).value.strip()
        kind = str(self.query_one("#import-kind", Select).value)
        if not text:
            self._show_error("Give the CSV file's path (-> completes it).")
            return None
        if kind != FOLDER and text.endswith("/"):
            self._show_error("That is a folder: pick a CSV file in it (-> completes), or choose every file of a folder.")
            return None
        try:
            path = typed_path(text)
        except ValueError as error:
            self._show_error(str(error))
            return None
        mode = ImportMode(str(self.query_one("#import-mode", Select).value))
        return ImportRequest(None if kind == FOLDER else ImportKind(kind), path, mode)

    @on(Button.Pressed, "#import-check")
    @on(Input.Submitted, "#import-path")
    def action_check(self) -> None:
        if self._checking:
            return
        request = self.request()
        if request is None:
            return
        self._checking = True
        ImportDialog.last_path = request.path
        self._show_error("")
        self.query_one("#import-status", Static).update(f"Checking {request.label}...")
        self._check(request)

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        self.dismiss_once(None)

    @work(thread=True, exclusive=True, group="import-check")
    def _check(self, request: ImportRequest) -> None:
        try:
            report = self.services.exchange.run_import(request, ImportMode.DRY_RUN)
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
        else:
            self.app.call_from_thread(self._checked, ImportCheck(request, report))

    # esc may close the dialog while the check runs: then its answer goes nowhere
    # (dismissing again would pop the screen below). Under the palette or the
    # help, the dialog takes it when the user is back (see ClosesOnce).
    def _checked(self, check: ImportCheck) -> None:
        self.dismiss_once(check)

    def _failed(self, message: str) -> None:
        if self.gone:
            return
        self._checking = False
        self.query_one("#import-status", Static).update("")
        self._show_error(message)
        self.query_one("#import-path", Input).focus()

    def _show_error(self, message: str) -> None:
        error = self.query_one("#import-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")
