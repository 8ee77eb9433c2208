"""DatePickerDialog: a small month to pick a date field's day from.

A form opens it from a date field (ctrl+t or alt+down) at the field's date,
or today when the field names none; it dismisses with the day picked
(Enter, or a double click) or None (esc). Seven cells of five columns and
two lines of keys: it fits at 80x24 with room around it.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from ccm_tui.screens.dialogs.base import Dialog
from ccm_tui.screens.dialogs.confirm import PARTS_CSS
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.date_picker import DayPicker

KEYS_HINT = "←→ day  ↑↓ week  [ ] month\nt today  enter pick  esc close"


class DatePickerDialog(Dialog[date | None]):
    """A month of days: the cursor starts on `day`; today is marked."""

    DEFAULT_CSS = (
        PARTS_CSS.format(name="DatePickerDialog")
        + """
    DatePickerDialog > Vertical {
        width: 39;
    }
    DatePickerDialog .date-keys {
        color: $text-muted;
        padding-top: 1;
    }
    """
    )
    BINDINGS = [Binding("escape", "dismiss", "Close", id="date.close")]

    def __init__(self, title: str, day: date, today: date, formatter: Formatter) -> None:
        super().__init__()
        self.picker_title = title
        self.day = day
        self.today = today
        self.formatter = formatter

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.picker_title, classes="dialog-title", markup=False)
            yield DayPicker(self.day, self.today, self.formatter, id="day-picker")
            yield Static(KEYS_HINT, classes="date-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(DayPicker).focus()

    # once: two enters in a burst each pick; a second dismissal popped the form below
    @on(DayPicker.Picked)
    def _picked(self, event: DayPicker.Picked) -> None:
        self.dismiss_once(event.day)
