"""Following the book: other sessions' changes, told to the UI as they commit.

`services.watch.start(changed)` starts one watcher thread (store/watch.py)
that calls `changed()`, from that thread, when another ccm (another
person, another window, a CLI import) commits a change to the book; our
own writes are not reported. `stop()` ends it and waits for the thread.
Both may be called from any thread, and twice.

`last_change(stale)` says who made the change a stale edit ran into, and
when: the change log's latest entry for that record.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ccm_tui.domain.changes import ChangeEntry, Entity
from ccm_tui.errors import StaleEdit
from ccm_tui.store import change_log
from ccm_tui.store.watch import BookWatcher

if TYPE_CHECKING:
    from ccm_tui.services import Services

log = logging.getLogger(__name__)

# What a StaleEdit names (its `what`, keyed by the record's id) as the change log's entity.
_STALE_ENTITIES = {
    "customer": Entity.CUSTOMER,
    "contact": Entity.CONTACT,
    "site": Entity.SITE,
    "order": Entity.ORDER,
    "event": Entity.ACTIVATION_STEP,
    "checklist item": Entity.CHECKLIST_ITEM,
    "time entry": Entity.TIME_ENTRY,
    "service review": Entity.REVIEW,
    "agenda item": Entity.AGENDA_ITEM,
    "action item": Entity.ACTION_ITEM,
    "incident": Entity.INCIDENT,
}


class WatchService:
    def __init__(self, services: Services) -> None:
        self._engine = services.engine
        self._lock = threading.Lock()
        self._watcher: BookWatcher | None = None

    def start(self, changed: Callable[[], None]) -> bool:
        """Follow the book (a no-op if already following); False if it cannot be followed.

        An in-memory book has no one else to follow; a server that refuses the
        listening connection leaves the book usable, only not live.
        """
        with self._lock:
            if self._watcher is not None:
                return True
            if not BookWatcher.can_watch(self._engine):
                return False
            watcher = BookWatcher(self._engine, changed)
            try:
                watcher.start()
            except Exception:
                log.warning("cannot follow the book's changes", exc_info=True)
                watcher.stop()
                return False
            self._watcher = watcher
            return True

    def stop(self) -> None:
        with self._lock:
            watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop()

    def last_change(self, stale: StaleEdit) -> ChangeEntry | None:
        """Who last changed the record a stale edit ran into, and when (None: the log cannot say)."""
        entity = _STALE_ENTITIES.get(stale.what)
        if entity is None or not isinstance(stale.key, int):
            return None  # e.g. a whole activation: its steps each have their own entries
        return change_log.last_change(self._engine, entity, stale.key)

    @property
    def following(self) -> bool:
        watcher = self._watcher
        return watcher is not None and watcher.running

    @property
    def checks(self) -> int:
        """How often the book has been looked at (SQLite): a change made before one is noticed by it."""
        watcher = self._watcher
        return watcher.checks if watcher is not None else 0
