"""FormDialog: the one form engine. A modal form that saves through a
callback and dismisses with what was saved.

The caller passes `save(values) -> R`, which validates (domain) and writes
(services); it runs in a thread worker (`Dialog.save_in_worker`). Each
error shows under its field, or in the banner; in every failure the user's
input stays where it is. Nothing is written until `save` succeeds.

Fields are one-line text (with inline completion), a date, a select, a
multiple choice (a group of checkboxes that read "[x]" or "[ ]") or a text
area. A date field takes YYYY-MM-DD or words (`fri`, `+3d`: the domain's
`fields.typed_day`), shows under it the day the words name ("fri → Fri,
Nov 27, 2026") before anything is saved, and opens a small month on
ctrl+t (or alt+down). Its words count from the form's `today`: the
caller's (a site's today for a site's date), else the CCM's from the
services' clock.
Labels sit left of their fields, or above them (`stacked`, for a form with
a text area).

A form opens with the cursor in its first field (or the one asked for), so
keys typed at once land there; Tab goes through the fields in the order
shown. Esc (or Cancel) closes an untouched form at once; a form whose
values differ from those it opened with asks before discarding them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Literal, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ccm_tui.domain.fields import typed_day
from ccm_tui.screens.base import BUSY_NOTE
from ccm_tui.screens.dialogs.base import Dialog, Failure
from ccm_tui.screens.dialogs.confirm import ConfirmDialog
from ccm_tui.screens.dialogs.date_picker import DatePickerDialog
from ccm_tui.widgets.checkbox_group import CheckboxGroup
from ccm_tui.widgets.date_picker import PICK_KEYS, DateInput
from ccm_tui.widgets.safe_select import SafeSelect
from ccm_tui.widgets.workers import work

FieldKind = Literal["text", "date", "select", "multi", "area"]
DATE_WORDS = "today, fri, +3d or YYYY-MM-DD"  # the date fields' hint, before a date is typed
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
    aliases: tuple[str, ...] = ()  # the validators' other names for this field ("minutes" for the body)


class FormDialog(Dialog[R | None], Generic[R]):
    DEFAULT_CSS = """
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
    FormDialog.-stacked .form-fields {
        height: auto;
    }
    FormDialog.-stacked .form-label {
        width: auto;
        padding: 1 0 0 0;
        text-align: left;
        color: $text-muted;
    }
    FormDialog.-stacked .form-error {
        padding-left: 0;
    }
    FormDialog.-stacked Select, FormDialog.-stacked Input {
        width: 100%;
    }
    FormDialog TextArea {
        height: 8;
        min-height: 4;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        values: dict[str, str],
        save: Callable[[dict[str, str]], R],
        *,
        banner: str = "",
        focus: str = "",
        stacked: bool = False,
        today: date | None = None,
    ) -> None:
        super().__init__(classes="-stacked" if stacked else "")
        self._today = today  # what date fields' words count from; None: the CCM's today
        self.form_title = title
        self.fields = tuple(fields)
        self.initial = dict(values)
        self._save = save
        self._banner = banner
        self._focus = focus or (self.fields[0].name if self.fields else "")  # the field the cursor starts in
        self.stacked = stacked
        self._saving = False
        self._opened: dict[str, str] = {}  # the values as the form opened: esc asks only if they changed

    # -- drawing --------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical():
            # plain text: titles, options and messages quote names and input as typed ("[/]" is not markup)
            yield Label(self.form_title, classes="form-title", markup=False)
            yield from self.compose_head()
            yield Static(self._banner, id="form-banner", classes="-shown" if self._banner else "", markup=False)
            # the scroll takes no focus: it came first in the Tab order and swallowed the first keys
            with Vertical(classes="form-fields") if self.stacked else VerticalScroll(can_focus=False):
                for spec in self.fields:
                    if self.stacked:
                        yield Label(spec.label, classes="form-label", markup=False)
                        yield self._widget(spec)
                    else:
                        with Horizontal(classes="form-row"):
                            yield Label(spec.label, classes="form-label")
                            yield self._widget(spec)
                    yield Static("", id=f"error-{spec.name}", classes="form-error", markup=False)
                    if spec.kind == "date":
                        yield Static("", id=f"resolved-{spec.name}", classes="form-help", markup=False)
                    if spec.help:
                        yield Static(spec.help, id=f"help-{spec.name}", classes="form-help", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(self.save_label(), id="form-save", variant="primary", compact=True)
                yield Button(self.cancel_label(), id="form-cancel", compact=True)

    def compose_head(self) -> Iterable[Widget]:
        """What a form shows between its title and its banner (a note, the fee panel)."""
        return ()

    def save_label(self) -> str:
        return "Save (ctrl+s)"

    def cancel_label(self) -> str:
        return "Cancel (esc)"

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
            return CheckboxGroup(spec.options, chosen, id=widget_id)
        if spec.kind == "area":
            return TextArea(value, id=widget_id, soft_wrap=True, show_line_numbers=False, compact=True)
        if spec.kind == "date":
            return DateInput(value, placeholder=spec.placeholder, id=widget_id, compact=True)
        suggester = SuggestFromList(spec.suggestions, case_sensitive=False) if spec.suggestions else None
        return Input(value, placeholder=spec.placeholder, id=widget_id, suggester=suggester, compact=True)

    def on_mount(self) -> None:
        self._opened = self.values()
        for spec in self.fields:
            if spec.kind == "date":
                self._show_resolved(spec.name)
        if self._focus:
            self.query_one(f"#field-{self._focus}").focus()

    @property
    def changed(self) -> bool:
        """The values differ from those the form opened with."""
        return self.values() != self._opened

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Select):
                out[spec.name] = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, CheckboxGroup):
                out[spec.name] = ",".join(widget.selected)
            elif isinstance(widget, TextArea):
                out[spec.name] = widget.text
            elif isinstance(widget, Input):
                out[spec.name] = widget.value
        return out

    # -- date fields ----------------------------------------------------------
    def dates_today(self) -> date | None:
        """The day date fields' words count from: the form's own, else the CCM's (the services' clock)."""
        if self._today is not None:
            return self._today
        services = getattr(self.app, "services", None)  # a widget's harness app has none
        return services.today() if services is not None else None

    def _resolved(self, name: str, text: str) -> date | None:
        spec = next(spec for spec in self.fields if spec.name == name)
        try:
            return typed_day(text.strip(), spec.label.lower(), self.dates_today()) if text.strip() else None
        except ValueError:
            return None

    def _show_resolved(self, name: str) -> None:
        """Under a date field: the day its text names, or the words it takes; and the calendar's key."""
        text = self.query_one(f"#field-{name}", Input).value.strip()
        day = self._resolved(name, text)
        if day is None:
            said = DATE_WORDS if self.dates_today() is not None else "YYYY-MM-DD"
        else:
            said = self.host.formatter.weekday_date(day)
            if not text[:1].isdigit():
                said = f"{text[:24]} → {said}"
        resolved = self.query_one(f"#resolved-{name}", Static)
        resolved.update(f"{said} · {PICK_KEYS}: calendar")
        resolved.display = True

    @on(Input.Changed)
    def _date_typed(self, event: Input.Changed) -> None:
        if isinstance(event.input, DateInput) and event.input.id:
            self._show_resolved(event.input.id.removeprefix("field-"))

    @on(DateInput.PickRequested)
    def _pick_requested(self, event: DateInput.PickRequested) -> None:
        event.stop()
        self.pick_date(event.field)

    def pick_date(self, field: DateInput | None = None) -> None:
        """Open a month at `field`'s date (the focused or first date field's), or today; Enter puts the day in."""
        if field is None:
            dates = [widget for widget in self.query(DateInput) if widget.id]
            focused = self.focused
            field = focused if isinstance(focused, DateInput) else (dates[0] if dates else None)
        if field is None or field.id is None:
            return
        name = field.id.removeprefix("field-")
        today = self.dates_today()
        start = self._resolved(name, field.value) or today
        if start is None:
            return  # no clock (a harness app) and no date typed: nothing to start the month at
        label = next(spec.label for spec in self.fields if spec.name == name)

        def picked(day: date | None) -> None:
            if day is not None:
                field.value = day.isoformat()
                field.cursor_position = len(field.value)
            field.focus()

        self.app.push_screen(DatePickerDialog(label, start, today or start, self.host.formatter), picked)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The form's own commands for the palette: pick a date, when it has a date field."""
        if any(spec.kind == "date" for spec in self.fields):
            yield SystemCommand("Pick a date", f"A month to pick the date field's day from ({PICK_KEYS})", self.pick_date)

    # -- saving ---------------------------------------------------------------
    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        if not self._saving:
            self._saving = True
            self._run_save(self.values())

    @on(Input.Submitted)
    def _submitted(self) -> None:
        # enter in a one-line field saves; with a text area below, it goes there (enter there is a new line)
        area = next((spec for spec in self.fields if spec.kind == "area"), None)
        if area is not None:
            self.query_one(f"#field-{area.name}").focus()
        else:
            self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        # A save under way is past asking: it goes through, or is given up, as before.
        if self.dismissed or self._saving or not self.changed:
            self.dismiss_once(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss_once(None)

        body = "What you typed in this form is lost; n (or esc) goes back to it."
        self.app.push_screen(
            ConfirmDialog("Discard your changes?", body, "Discard", decline="Keep editing", start_on_yes=True), answered
        )

    @work(thread=True, exclusive=True, group="form-save")
    def _run_save(self, values: dict[str, str]) -> None:
        self.save_in_worker(lambda: self._save(values), self.dismiss_once)

    def show_busy(self) -> None:
        banner = self.query_one("#form-banner", Static)
        banner.update(BUSY_NOTE)
        banner.add_class("-shown", "-busy")

    def show_failure(self, failure: Failure) -> None:
        self._saving = False
        names = {alias: spec.name for spec in self.fields for alias in (spec.name, *spec.aliases)}
        errors: dict[str, str] = {}
        unplaced: list[str] = []
        for name, message in failure.errors.items():
            if name in names:
                errors.setdefault(names[name], message)
            else:
                unplaced.append(message)
        banner = self.query_one("#form-banner", Static)
        text = "\n".join([failure.banner, *unplaced]).strip()
        banner.update(text)
        banner.set_class(bool(text), "-shown")
        banner.remove_class("-busy")
        first: Widget | None = None
        for spec in self.fields:
            message = errors.get(spec.name, "")
            error = self.query_one(f"#error-{spec.name}", Static)
            error.update(message)
            error.set_class(bool(message), "-shown")
            if spec.kind == "date":  # its message says what the field takes: the hint below waits for a key
                self.query_one(f"#resolved-{spec.name}").display = not message
            if message and first is None:
                first = self.query_one(f"#field-{spec.name}")
        if first is not None:
            first.focus()
