"""The book watcher: another connection's commit is noticed within two seconds; our own is not."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event

from ccm_tui.store.engine import make_engine
from ccm_tui.store.meta import get_meta, set_meta
from ccm_tui.store.watch import BookWatcher

NOTICED_WITHIN_S = 2.0
QUIET_FOR_S = 0.6  # six SQLite polls, many NOTIFY round trips: time enough to misfire


class Changes:
    """Counts the watcher's calls; a test waits for one with a deadline."""

    def __init__(self) -> None:
        self.count = 0
        self._event = threading.Condition()

    def __call__(self) -> None:
        with self._event:
            self.count += 1
            self._event.notify_all()

    def wait_for(self, count: int, within: float) -> bool:
        with self._event:
            return self._event.wait_for(lambda: self.count >= count, within)


@pytest.fixture
def other(engine: Engine) -> Iterator[Engine]:
    """A second engine on the same book: another ccm, as far as the watcher can tell."""
    second = make_engine(engine.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


@pytest.fixture
def changes(engine: Engine) -> Iterator[Changes]:
    seen = Changes()
    watcher = BookWatcher(engine, seen, poll_s=0.1)
    watcher.start()
    try:
        yield seen
    finally:
        watcher.stop()
        assert not watcher.running


def test_another_engines_commit_is_noticed(engine: Engine, other: Engine, changes: Changes) -> None:
    set_meta(other, "watched", "1")
    assert changes.wait_for(1, NOTICED_WITHIN_S), "the watcher missed another engine's commit"


def test_own_commits_and_reads_are_not_reported(engine: Engine, changes: Changes) -> None:
    for n in range(3):
        set_meta(engine, "mine", str(n))
    assert get_meta(engine, "mine") == "2"
    assert not changes.wait_for(1, QUIET_FOR_S), "our own commit was reported as someone else's"


def test_a_read_by_another_engine_is_not_a_change(engine: Engine, other: Engine, changes: Changes) -> None:
    get_meta(other, "anything")
    assert not changes.wait_for(1, QUIET_FOR_S)


def test_a_commit_right_after_ours_is_not_taken_for_ours(engine: Engine, other: Engine, changes: Changes, db_path: object) -> None:
    """(SQLite: db_path.) Between our commit and the pool taking its connection back, another commit lands: it is seen."""
    done = False

    def sneak_in(_raw: object, _record: object) -> None:
        nonlocal done
        if not done:
            done = True
            set_meta(other, "sneaked", "1")

    # Registered after the watcher's own check-in listener would run after it: insert it first.
    event.listen(engine.pool, "checkin", sneak_in, insert=True)
    set_meta(engine, "mine", "1")
    assert done
    assert changes.wait_for(1, NOTICED_WITHIN_S)


def test_stop_is_prompt_and_leaves_no_thread(engine: Engine) -> None:
    watcher = BookWatcher(engine, lambda: None)
    watcher.start()
    started = time.monotonic()
    watcher.stop()
    assert time.monotonic() - started < 1.0
    assert not watcher.running
    assert not any(t.name == "ccm-book-watcher" and t.is_alive() for t in threading.enumerate())
