"""The base of every ccm dialog.

A dialog is a `ModalScreen[T]` that dismisses with its value (None:
cancelled). The caller receives it one way: the callback it passes to
`push_screen`, or to `push_if_active` when a worker prepared the dialog.

`Dialog` carries what they all share: the frame (written here once; a
dialog sets only its width and its own parts), closing once, and saving in
a thread worker with the errors turned into words in one place:
`InvalidInput` puts each message under its field; a store error (stale
edit, busy book) or a rule's refusal (illegal move, MRS/MSS gate) goes to
the banner. While another ccm holds the book (a long import) the save says
"Book busy" and tries again, then gives up with a clear message.

A screen names the actions that move the keyboard's focus (open a dialog,
go to a filter field) in `FOCUS_ACTIONS`: keys typed right after such a key
wait for the new focus (`KeysAhead`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

from ccm_tui.domain.action_rules import ActionRefused
from ccm_tui.domain.status import IllegalMove
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.errors import StaleEdit, StoreError
from ccm_tui.screens.base import BUSY_NOTE, NOTE_EVERY_S, retry_while_busy
from ccm_tui.screens.dialogs.opening import push_if_active as push_if_active  # the dialogs' importers find it here

if TYPE_CHECKING:
    from ccm_tui.config import Settings
    from ccm_tui.domain.changes import ChangeEntry
    from ccm_tui.services import Services
    from ccm_tui.text.formatting import Formatter

T = TypeVar("T")
R = TypeVar("R")

SAVED_AFTER_ALL = "Saved after all: the book came free as the form closed."


class Host(Protocol):
    """What a dialog reads from the app (CcmApp; screens may not import it)."""

    services: Services | None
    settings: Settings
    formatter: Formatter


def stale_words(what: str, last: ChangeEntry, formatter: Formatter, zone: str, today: date) -> str:
    """'Sam Lee changed this contact at 14:02 CET; your input is kept…': a stale edit, in words."""
    same_day = formatter.local(last.at, zone).date() == today
    when = f"at {formatter.time_in(last.at, zone)}" if same_day else f"on {formatter.when_in(last.at, zone)}"
    return f"{last.who} changed this {what} {when}; your input is kept: review it and save again"


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

    async def action_dismiss(self, result: Any = None) -> None:
        # keys typed in one burst all reach the dialog: the second close would pop the screen below
        self.dismiss_once(result)

    def on_screen_resume(self) -> None:
        if self._held is not None:
            self.dismiss_once(self._held[0])


@dataclass(frozen=True)
class Failure:
    """A save that did not go through, in words: messages per field, and the banner's."""

    errors: dict[str, str] = field(default_factory=dict)
    banner: str = ""


class Dialog(ClosesOnce[T]):
    """The frame, closing once, and saving with its errors shown.

    A subclass sets its width (`MyDialog > Vertical { width: 90; }`) and
    shows a `Failure` and the busy note where it has room (`show_failure`,
    `show_busy`); `failure` is the one place that words an error.
    """

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog > Vertical {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    # esc on a changed form asks first: a `y` typed after it answers that question (KeysAhead)
    FOCUS_ACTIONS: ClassVar[frozenset[str]] = frozenset({"cancel"})
    # said when a save the user no longer waited for went through (esc while the book was busy)
    DONE_AFTER_CLOSE = SAVED_AFTER_ALL
    # What a save may raise that the user can act on; anything else is a bug and stops the app.
    SHOWN_ERRORS: ClassVar[tuple[type[Exception], ...]] = (InvalidInput, StoreError, IllegalMove, ActionRefused)

    @property
    def host(self) -> Host:
        return cast("Host", self.app)

    def failure(self, error: Exception) -> Failure:
        """(On the app's thread.) One of SHOWN_ERRORS, in words: field messages, or the banner."""
        if isinstance(error, InvalidInput):
            return Failure(dict(error.errors))
        return Failure(banner=str(error))

    def show_failure(self, failure: Failure) -> None:
        self.notify("\n".join([failure.banner, *failure.errors.values()]).strip(), severity="error", markup=False)

    def show_busy(self) -> None:
        self.notify(BUSY_NOTE, title="Book busy", severity="warning", timeout=NOTE_EVERY_S)

    def save_in_worker(self, save: Callable[[], R], done: Callable[[R], object]) -> None:
        """The body of a dialog's save worker (in its thread).

        `save` runs, retried while the book is busy. Then `done(result)`, or
        the failure is shown, on the app's thread. If the dialog was closed
        meanwhile, nothing is shown in it; a save that still went through is
        notified. `done` should close the dialog with `dismiss_once`.
        """
        app = self.app
        try:
            result = retry_while_busy(save, lambda: app.call_from_thread(self._if_open, self.show_busy))
        except self.SHOWN_ERRORS as error:
            if isinstance(error, StaleEdit):
                self._name_who_changed(error)
            app.call_from_thread(self._if_open, self._fail, error)
        else:
            app.call_from_thread(self._if_open, done, result, closed=self.DONE_AFTER_CLOSE)

    def _name_who_changed(self, error: StaleEdit) -> None:
        """(In the save's thread.) Say who changed the record meanwhile, and when: the change log knows."""
        services: Services | None = getattr(self.app, "services", None)  # a widget's harness app has none
        if services is None:
            return
        try:
            last = services.watch.last_change(error)
        except StoreError:
            return  # the plain words still hold
        if last is not None:
            zone = services.settings.time_zone
            error.args = (stale_words(error.what, last, self.host.formatter, zone, services.today()),)

    def _fail(self, error: Exception) -> None:
        self.show_failure(self.failure(error))

    def _if_open(self, callback: Callable[..., object], *args: object, closed: str = "") -> object:
        # On the app's thread: the user may have closed the dialog (esc) while the save ran.
        # `is_attached` stays true until Textual has removed it, after the pop: not enough.
        if not self.gone:
            return callback(*args)  # call_from_thread awaits it (dismiss returns an awaitable)
        if closed:
            self.app.notify(closed)
        return None
