"""A five-line app per widget test: one widget, focused, alone on the screen; what it posts is kept.

No database, no services, no full app: the widget gets in-memory domain
objects (tests/widgets/data.py) the way a screen would hand them down, and
the test presses keys and reads `posted` and the widget's state.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget


class Harness(App[None]):
    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_mount(self) -> None:
        # Every message the widget handles passes its signal; keep those of its own classes
        # (MonthGrid.Moved, CustomerTable.NeedMore), not the keys, or DataTable's own.
        own = tuple(v for v in vars(type(self.widget)).values() if isinstance(v, type) and issubclass(v, Message))
        self.widget.message_signal.subscribe(self, lambda m: self.posted.append(m) if isinstance(m, own) else None, immediate=True)
        self.widget.focus()

    def notes(self) -> list[str]:
        return [n.message for n in self._notifications]


def plain(widget: Widget) -> str:
    """What a widget that renders one Text shows, without its styles."""
    shown = widget.render()
    assert isinstance(shown, Text)
    return shown.plain
