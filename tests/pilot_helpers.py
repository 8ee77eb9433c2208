"""What Pilot tests share: waiting until the app has truly settled, and typing fast."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

QUIET_ROUNDS = 2  # in a row with no worker running: chained work has finished
MAX_ROUNDS = 60


async def settle(pilot: Pilot, app: App | None = None) -> None:  # type: ignore[type-arg]
    """Let workers finish, their messages land, and any work those start finish too.

    A fixed number of rounds is not enough on a loaded machine: a worker's
    result can start another worker (save, then reload), so wait until the
    app has stayed quiet for a couple of rounds.
    """
    app = app or pilot.app
    quiet = 0
    for _ in range(MAX_ROUNDS):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # an exclusive worker replaced by a newer one: the next round waits for that one
        await pilot.pause()
        if any(not worker.is_finished for worker in app.workers):
            quiet = 0
            continue
        quiet += 1
        if quiet >= QUIET_ROUNDS:
            return


def key_event(key: str) -> events.Key:
    """The Key event `pilot.press(key)` would send (the same names: "enter", "ctrl+s", ":", "a")."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(pilot: Pilot, keys: Iterable[str]) -> None:  # type: ignore[type-arg]
    """Type keys as fast as a terminal delivers them, then wait until the screen has taken them all.

    `pilot.press` waits for the process to go idle after every key (at least
    40 ms, up to a second on a busy machine); a burst waits once, which is what
    a fast typist or a held-down arrow key gives the app.
    """
    for key in keys:
        pilot.app.post_message(key_event(key))
    await pilot.pause(0)
