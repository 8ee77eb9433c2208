"""Command palette: "View: <name>" for each saved view, "Book: LATE only" and the book's other
flags, and "Calendar: late-change window only" and "Calendar: past or at-risk CCD only".

Views come from the settings (config.toml's `[[views]]`, or ccm's own);
running one opens its screen with the view's filters, as `V` does there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ccm_tui.domain.book import BookFlag
from ccm_tui.domain.event_filters import EventFlag
from ccm_tui.domain.views import SavedView, ViewScreen
from ccm_tui.palette.customers import highlight_literally

FLAG_TITLES = {
    BookFlag.LATE: "Book: LATE only",
    BookFlag.CCD: "Book: CCD only",
    BookFlag.NOT_READY: "Book: not ready (NR) only",
    BookFlag.HOURS_OVER: "Book: hours over only",
}
EVENT_FLAG_COMMANDS = {
    EventFlag.LATE: ("Calendar: late-change window only", "Events still to happen whose late-change cut-off has passed (L)"),
    EventFlag.CCD: ("Calendar: past or at-risk CCD only", "Events whose order is past its CCD (!) or that land after it (?)"),
}


def on_root(app: Any, mode: str, method: str, *args: object) -> Callable[[], None]:
    """A command: show the mode's screen, then call `method` on its root screen (a detail may sit on it)."""

    def go() -> None:
        app.action_show(mode)

        def then() -> None:
            found = getattr(app.screen_stack[0], method, None)
            if callable(found):
                found(*args)

        app.call_after_refresh(then)

    return go


def view_help(view: SavedView) -> str:
    where = "the book" if view.screen is ViewScreen.BOOK else "the calendar"
    return f"Saved view on {where} (V there cycles the views)"


class ViewCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, str, Callable[[], None]]]:
        app = self.app
        for view in app.settings.views:  # type: ignore[attr-defined]  # Provider.app is typed App
            yield f"View: {view.name}", view_help(view), on_root(app, view.screen.value, "show_view", view)
        for flag, title in FLAG_TITLES.items():
            help_text = f"Only the customers where {flag.meaning} (f on the book cycles the flags)"
            yield title, help_text, on_root(app, "book", "show_flags", frozenset({flag}))
        for event_flag, (title, help_text) in EVENT_FLAG_COMMANDS.items():
            help_text += "; the rest of the filter is kept (f on the calendar, Flags)"
            yield title, help_text, on_root(app, "calendar", "show_flags", frozenset({event_flag}))

    async def discover(self) -> Hits:
        for title, help_text, command in self._commands():
            if title.startswith("View: "):
                yield DiscoveryHit(title, command, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, highlight_literally(matcher, title), command, text=title, help=help_text)
