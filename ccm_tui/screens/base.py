"""What every ccm screen reads from the app: services, settings, formatter.

The app opens the book in a worker after the first frame, so the first
screen is up before the book is. A screen never asks whether it is open:
- data loads go through `when_services(callback)`, called as soon as the
  book is open (at once if it already is);
- keys that need the book are named in the screen's `BOOK_ACTIONS`; until
  it opens they are shown dimmed and do nothing (`check_action`);
- everything else (a key on a row, a save) can only happen once data came,
  so `services` is simply there.

Every save runs in a thread worker through `retry_while_busy`: while
another ccm holds the book's write lock (a 300,000-row import holds it for
half a minute), the save says "Book busy" and tries again, then gives up
with `BookBusy` and the user's input is still in the form.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.dom import DOMNode
from textual.worker import NoActiveWorker, get_current_worker

from ccm_tui.errors import BookBusy
from ccm_tui.write_guard import unless_abandoned

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
            with unless_abandoned(_cancelled):  # the lock may come only after the user closed the form
                return write()
        except BookBusy as busy:
            if _cancelled():  # the user closed the form: no more tries
                raise BookBusy("the book was busy and the save was cancelled; nothing was written") from busy
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


class BookNotOpen(RuntimeError):
    """A screen read `services` before the book was open: that read should wait (`when_services`, `BOOK_ACTIONS`)."""


class ServicesMixin:
    app: Any
    BOOK_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """The screen's actions that need the book: dimmed and inert until it is open."""
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """The screen's actions that write to the book: hidden in a read-only session.

    An action with parameters may be named as "act:no_show" (only that one) or "act" (all of them).
    """
    ONCALL_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Of WRITE_ACTIONS, what an on-call session still does at night (a provider no-show, a note)."""
    _waiting_for_book: list[Callable[[], object]] | None = None

    @property
    def services(self) -> Services:
        services: Services | None = self.app.services
        if services is None:
            raise BookNotOpen(f"{type(self).__name__} read the book's services before the book was open")
        return services

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.BOOK_ACTIONS and self.app.services is None:
            return None  # shown dimmed, so the footer keeps its keys in place when they light up
        # hidden (False) where the database would refuse it: see domain.people.Access
        return self.may_write(action, parameters)

    def may_write(self, action: str, parameters: tuple[object, ...] = ()) -> bool:
        """False for a write this session may not make (a read-only book, an on-call login)."""
        names = {action, f"{action}:{parameters[0]}"} if parameters else {action}
        services: Services | None = self.app.services
        if services is None or not names & self.WRITE_ACTIONS:
            return True
        return services.access.allows(oncall_write=bool(names & self.ONCALL_ACTIONS))

    @property
    def app_settings(self) -> Settings:
        return self.app.settings

    @property
    def app_formatter(self) -> Formatter:
        return self.app.formatter

    def when_services(self, callback: Callable[[], object]) -> None:
        """`callback()` now if the book is open, else once it opens (asked twice meanwhile, called once)."""
        if self.app.services is not None:
            callback()
            return
        if self._waiting_for_book is None:
            self._waiting_for_book = waiting = [callback]

            def opened(services: object) -> None:
                if services is not None:
                    for then in waiting:
                        then()
                    waiting.clear()

            assert isinstance(self, DOMNode)
            self.watch(self.app, "services", opened, init=False)
        elif callback not in self._waiting_for_book:
            self._waiting_for_book.append(callback)

    def write_retrying(self, write: Callable[[], T]) -> T:
        """(In a thread worker.) `write`, retried while the book is busy, with a "Book busy" notification."""

        def note() -> None:
            self.app.call_from_thread(self.app.notify, BUSY_NOTE, title="Book busy", severity="warning", timeout=NOTE_EVERY_S)

        return retry_while_busy(write, note)
