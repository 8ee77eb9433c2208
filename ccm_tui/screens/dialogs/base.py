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

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast

from textual import events
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from ccm_tui.domain.action_rules import ActionRefused
from ccm_tui.domain.status import IllegalMove
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.errors import StaleEdit, StoreError
from ccm_tui.screens.base import BUSY_NOTE, NOTE_EVERY_S, retry_while_busy

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


class KeysAhead:
    """Keys typed right after a key that moves the focus (a dialog's, `/`), held until the focus has moved.

    A burst of keys (`n` and a name, typed at once or pasted) reaches the app
    before the first key's action has run: the dialog is pushed by that
    action, or only after a worker has read the book, and meanwhile the
    letters went to the screen beneath, where `e`, `t` or `s` are keys of
    their own. So a key whose binding names one of its screen's (or widget's)
    `FOCUS_ACTIONS` holds the keys after it; once the dialog is up (its
    first field focused) they are typed again into it. If no dialog comes
    (nothing selected, the worker refused), they go where they would have gone,
    which is where a filter key leaves them: Textual moves the focus after the
    key's action, so "/har" typed at once gave its "h" to the list.
    Only ctrl+p is never held: the palette opens at once, and a dialog still
    being read stays away, as `push_if_active` says.

    The app calls `take` with each key as it arrives and `action_ran` after each
    action (CcmApp.on_event, CcmApp.run_action).
    """

    POLL_S = 0.01
    # The binding is looked up as the key arrives; keys typed before it may still move the user elsewhere
    # ("3" then "x"), where it is not a dialog's key: if its action has not run by then, the keys go on.
    ACTION_WITHIN_S = 0.5
    HOLD_AT_MOST_S = 5.0  # a dialog that takes longer to prepare (a slow server) gets the keys typed after this

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._held: list[events.Key] | None = None
        self._awaited: tuple[str, DOMNode] | None = None  # the action whose key started the hold, until it has run

    def take(self, event: events.Key) -> bool:
        """A key as typed: True if it is held for a dialog on its way (the caller drops it)."""
        active = self.app.screen.active_bindings.get(event.key)
        if self._held is not None:
            if active is not None and active.node is self.app and active.binding.priority:
                return False  # ctrl+p leaves for the palette now; a dialog still being read stays away (push_if_active)
            self._held.append(event)
            return True
        if active is None or not active.enabled:
            return False
        action = active.binding.action
        if action.split("(", 1)[0] in getattr(active.node, "FOCUS_ACTIONS", ()):
            self._held, self._awaited = [], (action, active.node)
            before = set(self.app.workers)
            self.app.run_worker(self._release_when_ready(self.app.screen, before), group="keys-ahead")
        return False

    def action_ran(self, action: object, namespace: object) -> None:
        if self._awaited is not None and self._awaited == (action, namespace):
            self._awaited = None

    async def _release_when_ready(self, origin: Screen[Any], before: set[Worker[Any]]) -> None:
        app, started = self.app, time.monotonic()
        while (waited := time.monotonic() - started) < self.HOLD_AT_MOST_S:
            await asyncio.sleep(self.POLL_S)
            if self._awaited is not None and waited >= self.ACTION_WITHIN_S:
                break  # the key did something else: it was not this dialog's
            if app.screen is not origin:
                if app.screen.is_mounted:  # mounted: its first field has the focus (FormDialog.on_mount)
                    break
            elif self._awaited is None and not any(
                not worker.is_finished and worker not in before and worker.group != "keys-ahead" for worker in app.workers
            ):
                break  # the action ran, and the work it started ended without a dialog
        held, self._held, self._awaited = self._held or [], None, None
        for key in held:
            app.post_message(events.Key(key.key, key.character))


def push_if_active(screen: Screen[Any], dialog: Screen[Any], callback: Callable[[Any], None] | None = None) -> None:
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
