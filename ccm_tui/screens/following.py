"""Screens that follow the book: someone else's change shows without a key press.

The app follows the book (services/watch.py) and, on each change made by
another session, counts it (`book_moves`) and tells the screen on top
(`book_changed`), which reloads what it shows, keeping its cursor. A screen
under a dialog, or in another mode, is not told: a reload beneath a form
the user is typing in would move things under their hands. It reloads when
shown again; the book, the calendar, the checklist and the agenda do that
on every resume already, the detail screens ask `moved_while_away()`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from ccm_tui.services import Services

# What a screen shows again within this long of its reading, the book's change log where it was, is still
# the book's: not read again. Not for longer: risks, late-change marks and reviews due move with the clock.
RESHOW_S = 60.0

Reading = tuple[int, float]
"""When something shown was read: the book's change-log mark, and the monotonic time."""


def reading(services: Services) -> Reading:
    """(In a worker, before the read: a write after it makes the next read happen.)"""
    return (services.book_mark(), time.monotonic())


def still_current(was: Reading | None, now: Reading) -> bool:
    """Is what was read at `was` still the book's at `now`?"""
    return was is not None and was[0] == now[0] and now[1] - was[1] < RESHOW_S


class BookChanged(Message):
    """Another session changed the book (posted to the app from the watcher's thread)."""


class FollowsBook:
    """Mixin for a screen that shows the book: `reload_book` shows it as it is now, cursor kept."""

    app: Any
    _moves_seen: int | None = None

    def reload_book(self) -> None:
        raise NotImplementedError

    def book_changed(self) -> None:
        """(The app, on its thread.) Someone else changed the book while this screen is on top."""
        self._moves_seen = self.app.book_moves
        self.reload_book()

    def moved_while_away(self) -> bool:
        """(On resume.) Did someone else change the book since this screen last looked? The first ask says no."""
        moves: int = getattr(self.app, "book_moves", 0)
        seen, self._moves_seen = self._moves_seen, moves
        return seen is not None and seen != moves
