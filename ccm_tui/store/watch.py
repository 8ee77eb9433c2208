"""Notice when another connection changes the book, so open screens can follow it.

`BookWatcher(engine, changed)` runs one thread with one connection of its
own and calls `changed()` (in that thread) soon after another process, or
another engine, commits a change:

- SQLite: `PRAGMA data_version` on the watcher's connection, polled. It moves
  whenever any other connection commits, our own pool's included, so our own
  writes are recognised as they commit (listeners on the engine, below).
- PostgreSQL: `LISTEN ccm_book`. Every engine `make_engine` builds announces
  its writing commits (`announce_commits`), with a token naming the engine,
  and the watcher skips its own engine's.

Why a hook on the engine and not a trigger per table: every ccm write (an
ORM session, `engine.begin()`, a migration, an import, any CLI command)
commits through an engine `make_engine` built, so none can leave it out; a
trigger would have to be remembered in every migration that adds a table.
Writes made outside ccm (psql by hand) are not announced.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import uuid
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event

CHANNEL = "ccm_book"
POLL_S = 0.5  # SQLite: how often data_version is read; a change shows within this (plus a reload)
RECONNECT_S = 5.0  # PostgreSQL: a lost LISTEN connection is tried again this often
_CHANGES_AT_BEGIN = "ccm_watch_changes"
_VERSION_AT_COMMIT = "ccm_watch_version"

# Each announcing engine's token: a notification carrying it is that engine's own commit.
_tokens: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def announce_commits(engine: Engine) -> None:
    """(PostgreSQL) Every transaction of `engine` that wrote sends NOTIFY ccm_book as it commits.

    The notification goes out with the commit and not at all on a rollback;
    a transaction that only read (no transaction id assigned) sends none.
    """
    token = _tokens.setdefault(engine, uuid.uuid4().hex)

    @event.listens_for(engine, "commit")
    def _notify(connection: Connection) -> None:
        # The raw cursor: a statement through `connection` here would re-enter SQLAlchemy's transaction.
        with connection.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute("SELECT pg_notify(%s, %s) WHERE pg_current_xact_id_if_assigned() IS NOT NULL", (CHANNEL, token))


class _Watching:
    """The SQLite watchers of one engine; the engine's hooks read it from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now: tuple[BookWatcher, ...] = ()  # replaced, never changed in place: safe to iterate
        self.hooked = False  # the engine's hooks are in (track_own_commits)

    def add(self, watcher: BookWatcher) -> None:
        with self._lock:
            self.now = (*self.now, watcher)

    def discard(self, watcher: BookWatcher) -> None:
        with self._lock:
            self.now = tuple(w for w in self.now if w is not watcher)


_watchers: weakref.WeakKeyDictionary[Engine, _Watching] = weakref.WeakKeyDictionary()
_tracking_lock = threading.Lock()


def _watching(engine: Engine) -> _Watching:
    with _tracking_lock:
        return _watchers.setdefault(engine, _Watching())


def track_own_commits(engine: Engine) -> None:
    """(SQLite) Hooks on `engine` that tell its watchers about its own writing commits; once per engine.

    `make_engine` calls it as it builds a file book's engine, before any other thread can use it:
    SQLAlchemy keeps an event's listeners in a deque, and a listener added or removed while another
    thread runs that event breaks it ("deque mutated during iteration"). So the hooks stay for the
    engine's life, and a watcher joins or leaves `_watching(engine)` instead.
    """
    watching = _watching(engine)
    with _tracking_lock:
        if watching.hooked:
            return
        watching.hooked = True

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        raw = connection.connection.dbapi_connection
        connection.connection.info[_CHANGES_AT_BEGIN] = raw.total_changes  # type: ignore[union-attr]

    @event.listens_for(engine, "commit")
    def _on_commit(connection: Connection) -> None:
        info, raw = connection.connection.info, connection.connection.dbapi_connection
        watchers = watching.now
        if not watchers or raw is None or raw.total_changes == info.get(_CHANGES_AT_BEGIN, raw.total_changes):
            return  # nobody watching, or it only read
        for watcher in watchers:
            watcher._before_own_commit()
        # A connection's own data_version ignores its own commits: read again at check-in, it tells
        # whether anyone else committed right after us.
        info[_VERSION_AT_COMMIT] = (raw.execute("PRAGMA data_version").fetchone()[0], watchers)

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(raw: Any, record: Any) -> None:
        # After the commit: the pool takes its connection back.
        at_commit = record.info.pop(_VERSION_AT_COMMIT, None)
        if at_commit is None:
            return
        before, watchers = at_commit
        after = raw.execute("PRAGMA data_version").fetchone()[0] if raw is not None else None
        for watcher in watchers:
            watcher._after_own_commit(someone_else_since=after != before)


class BookWatcher:
    """One thread that calls `changed()` when someone else changes the book; `start()`, then `stop()`."""

    def __init__(self, engine: Engine, changed: Callable[[], None], poll_s: float = POLL_S) -> None:
        self._engine = engine
        self._changed = changed
        self._poll_s = poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sqlite = engine.dialect.name == "sqlite"
        # SQLite: the watcher's connection, its last data_version, and our own commits under way
        self._lock = threading.Lock()
        self._raw: Any = None
        self._version: object = None
        self._own_commits = 0
        self.checks = 0  # SQLite: data_version reads so far (a test waits for one after a write)
        self._wake_r, self._wake_w = os.pipe()  # PostgreSQL: stop() wakes the thread from select()

    @staticmethod
    def can_watch(engine: Engine) -> bool:
        """A file or a server: an in-memory SQLite book has no other connection to watch."""
        if engine.dialect.name == "postgresql":
            return True
        database = engine.url.database
        return engine.dialect.name == "sqlite" and bool(database) and database != ":memory:"

    def start(self) -> None:
        if self._thread is not None:
            return
        if self._sqlite:
            self._raw = self._connect()
            self._version = self._data_version()
            track_own_commits(self._engine)
            _watching(self._engine).add(self)
            target = self._poll_sqlite
        else:
            self._raw = self._listen()  # before start() returns: a commit just after it is not missed
            target = self._listen_postgres
        self._thread = threading.Thread(target=target, name="ccm-book-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the thread and close its connection; at once, whatever it was waiting on."""
        self._stop.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout)
        if self._sqlite and self._raw is not None:
            _watching(self._engine).discard(self)
            with self._lock:
                self._raw.close()
                self._raw = None
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _connect(self) -> Any:
        # One of the engine's own connections, taken out of its pool: the same set-up, never shared.
        proxy = self._engine.raw_connection()
        proxy.detach()
        raw: Any = proxy.dbapi_connection
        if not self._sqlite:
            raw.rollback()  # the pool's ping may have opened a transaction
            raw.autocommit = True
        return raw

    def _fire(self) -> None:
        if not self._stop.is_set():
            self._changed()

    # -- SQLite ---------------------------------------------------------------------
    def _data_version(self) -> object:
        # (with self._lock held, or before the thread starts)
        return self._raw.execute("PRAGMA data_version").fetchone()[0]

    def _poll_sqlite(self) -> None:
        while not self._stop.wait(self._poll_s):
            with self._lock:
                if self._raw is None or self._own_commits:
                    continue  # our own commit is under way: checked when it is in
                version = self._data_version()
                moved, self._version = version != self._version, version
                self.checks += 1
            if moved:
                self._fire()

    def _before_own_commit(self) -> None:
        # Our commit is about to happen; a transaction that wrote holds the write lock, so nobody
        # else commits now: anything data_version shows is someone else's, before ours.
        with self._lock:
            if self._raw is None:
                return
            version = self._data_version()
            moved, self._version = version != self._version, version
            self._own_commits += 1
        if moved:
            self._fire()

    def _after_own_commit(self, someone_else_since: bool) -> None:
        with self._lock:
            self._own_commits -= 1
            if self._raw is not None:
                self._version = self._data_version()  # ours is in: not a change to report
        if someone_else_since:
            self._fire()

    # -- PostgreSQL -----------------------------------------------------------------
    def _listen(self) -> Any:
        raw = self._connect()
        raw.execute(f"LISTEN {CHANNEL}")
        return raw

    def _listen_postgres(self) -> None:
        own = _tokens.get(self._engine)
        raw, self._raw = self._raw, None  # the thread's own from here on
        while not self._stop.is_set():
            try:
                if raw is None:
                    raw = self._listen()
                ready, _, _ = select.select([raw.fileno(), self._wake_r], [], [], RECONNECT_S)
                if self._stop.is_set():
                    break
                if raw.fileno() in ready:
                    notes = list(raw.notifies(timeout=0))
                    if any(note.payload != own for note in notes):
                        self._fire()
                        # A busy team commits many times a second: one reload per poll's time at most.
                        self._stop.wait(self._poll_s)
            except Exception:  # noqa: BLE001 - the server went away: try again, and say the book may have moved
                with contextlib.suppress(Exception):
                    if raw is not None:
                        raw.close()
                if raw is not None:
                    self._fire()
                raw = None
                self._stop.wait(RECONNECT_S)
        if raw is not None:
            with contextlib.suppress(Exception):
                raw.close()
