"""FormDialog: a modal form that saves through a callback and dismisses
with what was saved.

The caller passes `save(values) -> R`, which validates (domain) and writes
(services); it runs in a thread worker. `InvalidInput` puts each message
under its field, `StaleEdit` and other store errors go to the banner, and
in every failure the user's input stays where it is. Nothing is written
until `save` succeeds. While another ccm holds the book (a long import) the
banner says "Book busy" and the save tries again (`run_save`, which the
review editor shares), then gives up with a clear message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from ccm_tui.domain.validation import InvalidInput
from ccm_tui.errors import StoreError
from ccm_tui.screens.base import BUSY_NOTE, NOTE_EVERY_S, retry_while_busy
from ccm_tui.screens.from_worker import ClosesOnce
from ccm_tui.widgets.safe_select import SafeSelect

FieldKind = Literal["text", "select", "multi"]
R = TypeVar("R")


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: FieldKind = "text"
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (label, value) for select/multi
    suggestions: tuple[str, ...] = ()  # inline completion for text
    help: str = ""


@dataclass
class _Failure:
    errors: dict[str, str] = field(default_factory=dict)
    banner: str = ""


def run_save(
    dialog: ClosesOnce[Any],
    save: Callable[[], R],
    *,
    done: Callable[[R], object],
    failed: Callable[[dict[str, str], str], object],
    busy: Callable[[], object] | None = None,
) -> None:
    """The body of a dialog's save worker (in its thread).

    `save` runs, retried while the book is busy (`busy` shows the note; by
    default a notification). Then `done(result)`, or `failed(errors, banner)`
    for InvalidInput (per field) or a store error (the banner), on the app's
    thread. If the dialog was closed meanwhile, nothing is shown in it; a
    save that still went through is notified. `done` should close the
    dialog with `ClosesOnce.dismiss_once`, never `dismiss`.
    """
    app = dialog.app

    def note_busy() -> None:
        if busy is not None:
            app.call_from_thread(_if_open, dialog, busy)
        else:
            app.call_from_thread(app.notify, BUSY_NOTE, title="Book busy", severity="warning", timeout=NOTE_EVERY_S)

    try:
        result = retry_while_busy(save, note_busy)
    except InvalidInput as error:
        app.call_from_thread(_if_open, dialog, failed, error.errors, "")
    except StoreError as error:
        app.call_from_thread(_if_open, dialog, failed, {}, str(error))
    else:
        app.call_from_thread(_if_open, dialog, done, result, closed="Saved after all: the book came free as the form closed.")


def _if_open(dialog: ClosesOnce[Any], callback: Callable[..., object], *args: object, closed: str = "") -> object:
    # On the app's thread: the user may have closed the dialog (esc) while the save ran.
    # `is_attached` stays true until Textual has removed it, after the pop: not enough.
    if not dialog.gone:
        return callback(*args)  # call_from_thread awaits it (dismiss returns an awaitable)
    if closed:
        dialog.app.notify(closed)
    return None


class FormDialog(ClosesOnce[R | None], Generic[R]):
    DEFAULT_CSS = """
    FormDialog {
        align: center middle;
    }
    FormDialog > Vertical {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    FormDialog .form-title {
        text-style: bold;
        width: 100%;
        padding-bottom: 1;
    }
    FormDialog #form-banner {
        color: $text-error;
        display: none;
    }
    FormDialog #form-banner.-shown {
        display: block;
    }
    FormDialog #form-banner.-busy {
        color: $text-warning;
    }
    FormDialog VerticalScroll {
        height: auto;
        max-height: 18;
    }
    FormDialog .form-row {
        height: auto;
    }
    FormDialog .form-label {
        width: 18;
        padding-right: 1;
        text-align: right;
    }
    FormDialog .form-row Input, FormDialog .form-row Select {
        width: 1fr;
    }
    FormDialog .form-row SelectionList {
        width: 1fr;
        height: auto;
        max-height: 6;
    }
    FormDialog .form-error {
        color: $text-error;
        padding-left: 19;
        display: none;
    }
    FormDialog .form-error.-shown {
        display: block;
    }
    FormDialog .form-help {
        color: $text-muted;
        padding-left: 19;
    }
    FormDialog #form-buttons {
        height: auto;
        align-horizontal: right;
        padding-top: 1;
    }
    FormDialog #form-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        values: dict[str, str],
        save: Callable[[dict[str, str]], R],
        *,
        banner: str = "",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = tuple(fields)
        self.initial = dict(values)
        self._save = save
        self._banner = banner
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            # plain text: titles, options and messages quote names and input as typed ("[/]" is not markup)
            yield Label(self.form_title, classes="form-title", markup=False)
            yield Static(self._banner, id="form-banner", classes="-shown" if self._banner else "", markup=False)
            with VerticalScroll():
                for spec in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(spec.label, classes="form-label")
                        yield self._widget(spec)
                    yield Static("", id=f"error-{spec.name}", classes="form-error", markup=False)
                    if spec.help:
                        yield Static(spec.help, classes="form-help", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Save (ctrl+s)", id="form-save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="form-cancel", compact=True)

    def _widget(self, spec: FormField) -> Widget:
        value = self.initial.get(spec.name, "")
        widget_id = f"field-{spec.name}"
        if spec.kind == "select":
            return SafeSelect(
                [(Text(label), v) for label, v in spec.options],
                value=value if value in {v for _, v in spec.options} else Select.NULL,
                prompt=spec.placeholder or "Choose...",
                id=widget_id,
                compact=True,
            )
        if spec.kind == "multi":
            chosen = {v.strip() for v in value.split(",") if v.strip()}
            options = [(Text(label), v, v in chosen) for label, v in spec.options]
            return SelectionList[str](*options, id=widget_id, compact=True)
        suggester = SuggestFromList(spec.suggestions, case_sensitive=False) if spec.suggestions else None
        return Input(value, placeholder=spec.placeholder, id=widget_id, suggester=suggester, compact=True)

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Select):
                out[spec.name] = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, SelectionList):
                out[spec.name] = ",".join(str(v) for v in widget.selected)
            elif isinstance(widget, Input):
                out[spec.name] = widget.value
        return out

    # -- saving ---------------------------------------------------------------
    @on(Button.Pressed, "#form-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        if not self._saving:
            self._saving = True
            self._run_save(self.values())

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss_once(None)

    @work(thread=True, exclusive=True, group="form-save")
    def _run_save(self, values: dict[str, str]) -> None:
        run_save(
            self,
            lambda: self._save(values),
            done=self.dismiss_once,
            failed=lambda errors, banner: self._show_failure(_Failure(errors, banner)),
            busy=self._show_busy,
        )

    def _show_busy(self) -> None:
        banner = self.query_one("#form-banner", Static)
        banner.update(BUSY_NOTE)
        banner.add_class("-shown", "-busy")

    def _show_failure(self, failure: _Failure) -> None:
        self._saving = False
        banner = self.query_one("#form-banner", Static)
        banner.update(failure.banner)
        banner.set_class(bool(failure.banner), "-shown")
        banner.remove_class("-busy")
        first: Widget | None = None
        for spec in self.fields:
            message = failure.errors.get(spec.name, "")
            error = self.query_one(f"#error-{spec.name}", Static)
            error.update(message)
            error.set_class(bool(message), "-shown")
            if message and first is None:
                first = self.query_one(f"#field-{spec.name}")
        unplaced = [m for k, m in failure.errors.items() if k not in {s.name for s in self.fields}]
        if unplaced:
            banner.update("\n".join(unplaced))
            banner.add_class("-shown")
        if first is not None:
            first.focus()
