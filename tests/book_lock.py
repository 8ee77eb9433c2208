"""Another writer holding the book: a thread keeps SQLite's write lock until told to let go.

This stands in for a long import in a second ccm process. The test releases the
lock with an Event (`release()`), so nothing waits on a fixed sleep.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from types import TracebackType

HOLD_AT_MOST_S = 60.0  # a failing test must not leave the thread waiting for ever


class HeldLock:
    """`with HeldLock(path, exclusive=False):` the write lock (BEGIN IMMEDIATE) is held inside."""

    def __init__(self, path: Path, *, exclusive: bool = False) -> None:
        self.path = path
        # Exclusive locking mode keeps even readers out (what a read session can meet).
        self.exclusive = exclusive
        self._held = threading.Event()
        self._release = threading.Event()
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._hold, name="held-lock", daemon=True)

    def _hold(self) -> None:
        try:
            other = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except BaseException as error:  # noqa: BLE001 - reported in __enter__
            self._failed = error
            self._held.set()
            return
        try:
            if self.exclusive:
                other.execute("PRAGMA locking_mode=EXCLUSIVE")
                other.execute("BEGIN IMMEDIATE")
                other.execute("CREATE TABLE IF NOT EXISTS held_lock_probe (x INTEGER)")
                other.execute("COMMIT")  # exclusive mode keeps the lock after the commit
            other.execute("BEGIN IMMEDIATE")
            self._held.set()
            self._release.wait(HOLD_AT_MOST_S)
            other.execute("ROLLBACK")
        except BaseException as error:  # noqa: BLE001 - reported in __enter__
            self._failed = error
            self._held.set()
        finally:
            other.close()

    def release(self) -> None:
        self._release.set()
        self._thread.join(HOLD_AT_MOST_S)

    def __enter__(self) -> HeldLock:
        self._thread.start()
        self._held.wait(HOLD_AT_MOST_S)
        if self._failed is not None:
            raise self._failed
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
