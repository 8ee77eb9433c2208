"""The footer: the screen's keys on one line, fitted to its width, drawn as text.

Textual's footer mounts a widget per key and composes them all again on
every change of the bindings (each focus move, each screen): its CSS was
about a sixth of a key press's work, and at 80 columns it clipped the row
at the palette's key ("? H"). This one is a single line of text, rebuilt
only when what it shows changes: keys that do not fit give way, from the
right, to an ellipsis, and `?` never gives way (it lists them all). It
looks as Textual's does (the same component classes and theme variables),
and a click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.screen import Screen
from textual.widget import Widget

KEPT_ACTIONS = ("help", "app.help")  # the key that shows the keys that gave way
MORE = "…"
PALETTE_EDGE = "▏"


@dataclass(frozen=True, slots=True)
class FooterEntry:
    key: str  # the key pressed on a click
    display: str  # as the user reads it ("⏎", "^p")
    description: str
    action: str
    enabled: bool


class FittedFooter(Widget, can_focus=False):
    """One line: the keys that fit, `…`, `? Help`, and the palette's key on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer--palette-edge"}
    DEFAULT_CSS = """
    FittedFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--palette-edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entries: tuple[FooterEntry, ...] = ()
        self.palette: FooterEntry | None = None
        self._spans: list[tuple[int, int, FooterEntry]] = []  # where each key was drawn, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        entries: dict[str, FooterEntry] = {}  # one key per action, the first bound
        palette: FooterEntry | None = None
        for key, active in screen.active_bindings.items():
            binding = active.binding
            entry = FooterEntry(key, self.app.get_key_display(binding), binding.description, binding.action, active.enabled)
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = entry
            elif binding.show and binding.action not in entries:
                entries[binding.action] = entry
        shown = tuple(entries.values())
        if (shown, palette) != (self.entries, self.palette):
            self.entries, self.palette = shown, palette
            self.refresh()

    # -- drawing ------------------------------------------------------------------
    def render(self) -> RenderResult:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        dim = Style(dim=True)
        width = self.size.width
        right = Text()
        if self.palette is not None:
            right.append(PALETTE_EDGE, self.get_component_rich_style("footer--palette-edge"))
            right.append(f"{self.palette.display} ", key_style)
            right.append(f"{self.palette.description} ", description_style)
            right.append(" ")
        room = width - right.cell_len
        shown = fitted(self.entries, room)
        line = Text()
        self._spans = []
        for entry in shown:
            if entry is None:
                line.append(MORE, description_style)
                continue
            start = line.cell_len
            extra = dim if not entry.enabled else Style()
            line.append(f" {entry.display} ", key_style + extra)
            line.append(f"{entry.description} ", description_style + extra)
            self._spans.append((start, line.cell_len, entry))
        line.append(" " * max(0, room - line.cell_len))
        if self.palette is not None:
            self._spans.append((line.cell_len, line.cell_len + right.cell_len, self.palette))
        line.append_text(right)
        line.truncate(width)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, entry in self._spans:
            if start <= event.x < end:
                if entry.enabled:
                    self.app.simulate_key(entry.key)
                else:
                    self.app.bell()
                return


def entry_width(entry: FooterEntry | None) -> int:
    if entry is None:
        return len(MORE)
    return Text(f" {entry.display} {entry.description} ").cell_len


def fitted(entries: tuple[FooterEntry, ...], room: int) -> list[FooterEntry | None]:
    """The entries that fit in `room` columns, in order; None where the ones that gave way were (`…`).

    They give way from the right; the help key never does, so `?` is always there.
    """
    if sum(entry_width(e) for e in entries) <= room:
        return list(entries)
    kept = [e for e in entries if e.action in KEPT_ACTIONS]
    budget = room - entry_width(None) - sum(entry_width(e) for e in kept)
    shown: list[FooterEntry | None] = []
    for entry in entries:
        if entry.action in KEPT_ACTIONS:
            continue
        if entry_width(entry) > budget:
            break
        shown.append(entry)
        budget -= entry_width(entry)
    return [*shown, None, *kept]
