"""The footer, fitted to its width: no key is ever cut mid-word.

Textual's footer lays its keys in a row and clips the row at the command
palette's key: at 80 columns the customer's detail read "? H". Here the
keys that do not fit give way, from the right, to an ellipsis; `?` never
gives way: it lists them all. (Textual's compact style would fit a key or
two more, at the cost of the gaps that make the keys easy to tell apart.)
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

KEPT_ACTIONS = ("help", "app.help")  # the key that shows the keys that gave way
LAYOUT_TRIES = 5


class FittedFooter(Footer):
    DEFAULT_CSS = """
    FittedFooter FooterLabel.-more {
        margin: 0 1 0 0;
    }
    """

    _fitted_width = -1
    _tries = 0

    def compose(self) -> ComposeResult:
        yield from super().compose()
        self._tries = 0
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_width:
            self.refresh(recompose=True)

    def _fit(self) -> None:
        """Hide the keys past the palette's key, right to left (all but `?`), and say so with an ellipsis."""
        width = self.size.width
        if not width or not self.is_attached or self.query_children(".-more"):
            return  # not laid out yet, or fitted already (each composing asks once)
        self._fitted_width = width
        keys = [key for key in self.query_children(FooterKey) if not key.has_class("-command-palette")]
        if any(not key.outer_size.width for key in keys) and self._tries < LAYOUT_TRIES:
            self._tries += 1  # composed, not laid out yet: its keys have no width to add up
            self.call_after_refresh(self._fit)
            return
        room = width - sum(key.outer_size.width for key in self.query_children(FooterKey) if key.has_class("-command-palette"))

        def used(shown: list[FooterKey]) -> int:
            return sum(key.outer_size.width + key.styles.margin.width for key in shown)

        if not keys or used(keys) <= room:
            return
        ellipsis = FooterLabel("…", classes="-more")
        room -= 2  # the ellipsis and its margin
        shown = list(keys)
        for key in reversed(keys):
            if used(shown) <= room:
                break
            if key.action not in KEPT_ACTIONS:
                shown.remove(key)
        for key in keys:
            key.display = key in shown
        kept = [key for key in shown if key.action in KEPT_ACTIONS]
        if kept:
            self.mount(ellipsis, before=kept[0])
        else:
            self.mount(ellipsis, after=shown[-1] if shown else None)
