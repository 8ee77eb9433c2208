"""What every ccm screen reads from the app: services, settings, formatter.

The app opens the book in a worker after the first frame; a screen that
needs data registers `when_services(callback)` and is called as soon as the
book is open (at once if it already is).

Every save runs in a thread worker through `retry_while_busy`: while
another ccm holds the book's write lock (a 300,000-row import holds it for
half a minute), the save says "Book busy" and tries again, then gives up
with `BookBusy` and the user's input is still in the form.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.dom import DOMNode
from textual.worker import NoActiveWorker, get_current_worker

from ccm_tui.errors import BookBusy

if TYPE_CHECKING:
    from ccm_tui.config import Settings
    from ccm_tui.services import Services
    from ccm_tui.text.formatting import Formatter

T = TypeVar("T")

BUSY_NOTE = "Book busy: another ccm is writing (an import?) — retrying…"
BUSY_PATIENCE_S = 60.0  # how long a save keeps trying; each try also waits out the store's busy timeout
FIRST_PAUSE_S = 0.25
LONGEST_PAUSE_S = 2.0
NOTE_EVERY_S = 8.0  # a notification fades: say it again while still waiting


def retry_while_busy(write: Callable[[], T], on_busy: Callable[[], object]) -> T:
    """Run `write` (in a thread worker); while the book is busy, call `on_busy` and try again.

    `on_busy` is called at the first refusal, then every NOTE_EVERY_S while
    it lasts. Pauses grow from FIRST_PAUSE_S to LONGEST_PAUSE_S. After BUSY_PATIENCE_S,
    or once the worker is cancelled (its dialog closed), BookBusy says what
    happened; nothing was written. `write` must be all or nothing (one store
    transaction), so trying it again is safe.
    """
    give_up_at = time.monotonic() + BUSY_PATIENCE_S
    pause = FIRST_PAUSE_S
    next_note = 0.0
    while True:
        try:
            return write()
        except BookBusy as busy:
            if time.monotonic() + pause > give_up_at:
                raise BookBusy(
                    f"the book stayed busy for {BUSY_PATIENCE_S:g} s (another ccm is writing, an import?); "
                    "nothing was written: try again when it is done"
                ) from busy
            if time.monotonic() >= next_note:
                next_note = time.monotonic() + NOTE_EVERY_S
                on_busy()
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)
            if _cancelled():  # the user closed the form meanwhile: no write after that
                raise BookBusy("the book was busy and the save was cancelled; nothing was written") from busy


def _cancelled() -> bool:
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:
        return False


class ServicesMixin:
    app: Any

    @property
    def services(self) -> Services | None:
        return self.app.services

    @property
    def app_settings(self) -> Settings:
        return self.app.settings

    @property
    def app_formatter(self) -> Formatter:
        return self.app.formatter

    def when_services(self, callback: Callable[[], object]) -> None:
        if self.app.services is not None:
            callback()
            return

        def ready(services: object) -> None:
            if services is not None:
                callback()

        assert isinstance(self, DOMNode)
        self.watch(self.app, "services", ready, init=False)

    def write_retrying(self, write: Callable[[], T]) -> T:
        """(In a thread worker.) `write`, retried while the book is busy, with a "Book busy" notification."""

        def note() -> None:
            self.app.call_from_thread(self.app.notify, BUSY_NOTE, title="Book busy", severity="warning", timeout=NOTE_EVERY_S)

        return retry_while_busy(write, note)
