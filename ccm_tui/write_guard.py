"""A write the user has walked away from writes nothing.

A save that waits for the book's write lock (another ccm is importing) can
get it after the user closed the form. The worker that runs the save
installs `abandoned` (is my worker cancelled?) with `unless_abandoned`; the
store asks it once it holds the lock, before it writes, and gives up then.
Kept apart from both so the store never imports Textual and the screens
never import the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()


@contextmanager
def unless_abandoned(abandoned: Callable[[], bool]) -> Iterator[None]:
    """Writes started in this thread inside the block ask `abandoned()` once they hold the lock."""
    previous = getattr(_local, "abandoned", None)
    _local.abandoned = abandoned
    try:
        yield
    finally:
        _local.abandoned = previous


def is_abandoned() -> bool:
    check: Callable[[], bool] | None = getattr(_local, "abandoned", None)
    return check is not None and check()
