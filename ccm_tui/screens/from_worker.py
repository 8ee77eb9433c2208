"""Dialogs and workers: a dialog a worker has prepared is shown only where the
user still is; a dialog a worker's answer closes is closed once, and only it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

T = TypeVar("T")


def push_if_active(screen: Screen[Any], dialog: Screen[Any], callback: Callable[[Any], object] | None = None) -> None:
    """On the app's thread: push `dialog` over `screen`, unless the user has left it meanwhile.

    The worker read the book first (the customer to edit, the names to filter
    by); a fast typist may have opened the palette or another screen by then.
    The dialog would have opened over that (and ctrl+p over it, a second
    palette). The request is dropped instead: the user has moved on.
    """
    if screen.is_active:
        screen.app.push_screen(dialog, callback)


class ClosesOnce(ModalScreen[T]):
    """A dialog a worker's answer may close: it dismisses once, and only itself.

    `dismiss` pops whatever is on top of the current mode. A save that ends
    after esc (ctrl+s, esc in one burst) dismissed again and popped the
    screen below, or a mode's root (ScreenStackError). One that ends while
    the help, the palette or another mode is in front popped that instead.
    Now a second close does nothing, and a covered dialog closes when the
    user is back on it. A result (a save that went through) wins over a
    cancel that was waiting, since it is what the book now holds.
    """

    _dismissed = False
    _held: tuple[T] | None = None  # a result that came while the dialog was covered

    @property
    def dismissed(self) -> bool:
        return self._dismissed

    @property
    def gone(self) -> bool:
        """Dismissed, or being taken down: no widgets left to show a worker's answer in.

        A mode's key ("4" on the agenda) pops every screen over its root without
        dismissing them. Textual's removal hides a screen (`display`) before it
        takes its widgets away, and detaches it last.
        """
        return self._dismissed or not self.is_attached or not self.display

    def dismiss_once(self, result: T) -> AwaitComplete | None:
        if self._dismissed:
            return None
        if self._held is not None and result is None:
            result = self._held[0]
        if not self.is_active:
            self._held = (result,)
            return None
        self._dismissed, self._held = True, None
        return self.dismiss(result)

    def on_screen_resume(self) -> None:
        if self._held is not None:
            self.dismiss_once(self._held[0])
