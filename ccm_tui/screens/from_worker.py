"""A dialog a worker has prepared, shown only where the user still is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen


def push_if_active(screen: Screen[Any], dialog: Screen[Any], callback: Callable[[Any], object] | None = None) -> None:
    """On the app's thread: push `dialog` over `screen`, unless the user has left it meanwhile.

    The worker read the book first (the customer to edit, the names to filter
    by); a fast typist may have opened the palette or another screen by then.
    The dialog would have opened over that (and ctrl+p over it, a second
    palette). The request is dropped instead: the user has moved on.
    """
    if screen.is_active:
        screen.app.push_screen(dialog, callback)
