"""Opening a dialog: keys typed ahead of it wait for it, and it opens only over the screen that asked.

Apart from dialogs/base.py (the dialogs themselves, their validation and
errors): the app holds a `KeysAhead` from its first frame, and the book screen
pushes its dialogs with `push_if_active`, neither needing a dialog's rules.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker


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
