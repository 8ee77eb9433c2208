"""A monkey at the keyboard: seeded random keys and pastes over all four screens.

Whatever is pressed or pasted, the app must not crash, and the book must still
pass SQLite's own checks afterwards. The keys are a pure function of the seed;
a failure names the seed and the last keys. Workers run in threads, so a
replay may take a slightly different path; a longer or single run:

    MONKEY_SEEDS=7 MONKEY_KEYS=5000 pytest -s tests/ui/test_monkey.py
    MONKEY_SEEDS=4242,5 MONKEY_HOSTILE=1 pytest -s tests/ui/test_monkey.py

Keys come in bursts, as fast as a terminal delivers them (a held-down arrow,
a fast typist), with the app settled now and then so workers finish. Quit
keys are left out; the palette can still reach "Quit", and a clean quit only
re-opens the app on the same book. One run uses a book whose names and notes
hold markup and right-to-left text, as users and imports can put there.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import ascii_letters, digits

import pytest
from textual import events, work
from textual.app import App

from ccm_tui.app import CcmApp
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.services import Services
from tests.pilot_helpers import burst, settle

# 30-40 ms a key on this 2-core machine (Textual restyles and re-renders as screens
# and dialogs come and go): 3 runs of 150 keys take ~11 s when it is not busy, and
# between them visit every screen and paste. MONKEY_KEYS runs more.
KEYS = int(os.environ.get("MONKEY_KEYS", "150"))
MAX_BURST = 8  # keys typed without a pause
PASTE_CHANCE = 0.03  # of a burst being a paste instead
SETTLE_EVERY = 10  # bursts between full settles
TRAIL = 60  # keys (and "|" between bursts) shown when a run fails

QUIT_KEYS = {"q", "ctrl+q", "ctrl+c"}
LETTERS = [char for char in ascii_letters if char not in QUIT_KEYS]
NAVIGATION = [
    "enter", "escape", "tab", "shift+tab", "up", "down", "left", "right",
    "pageup", "pagedown", "home", "end", "space", "backspace", "delete",
]  # fmt: skip
CONTROL = [
    "ctrl+s", "ctrl+p", "ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u", "ctrl+w", "ctrl+d", "ctrl+f",
    "ctrl+up", "ctrl+down", "ctrl+left", "ctrl+right", "ctrl+home", "ctrl+end", "ctrl+v", "ctrl+x",
]  # fmt: skip
# Mostly typing and moving; now and then another screen.
POOLS = [(LETTERS, 30), (list(digits), 8), (NAVIGATION, 32), (["1", "2", "3", "4"], 6), (CONTROL, 8), (list(":/?[]-.,+@"), 6)]
ODD_TEXTS = [
    "\x00", "a\x00b", "\x1b", "\x1b[A\x1b[2J", "one\ntwo\r\nthree", "\n", "\t", " ", "",
    "²", "³½", "٣", "مرحبا بالعالم", "שלום עולם", "\u202eevil\u202c", "\u200b", "🙂👍🏽", "𝔘𝔫𝔦",
    "x" * 300, "ب" * 300, "0001-01-01", "9999-12-31T23:59", "9999-12-31", "0000-00-00", "2026-02-30",
    "25:61", "-1", "1e309", "NaN", "99999999999999999999", "0.0000001", "[bold]x[/", "[/]", "%s {0} %(x)s",
    "'; DROP TABLE customer; --", "~nobody/x.csv", "~/../../", "/", "AU-NSW", "ZZ", "America/New_York",
]  # fmt: skip
HOSTILE = " [/]x[/b \u202bمرحبا\u202c"  # what the hostile book appends to names and notes


@dataclass(frozen=True)
class Paste:
    text: str

    def __str__(self) -> str:
        return f"paste({self.text[:40]!r})"


Burst = list[str] | Paste


def monkey(seed: int, count: int) -> list[Burst]:
    """The seed's `count` keys, in bursts; a paste counts as one key."""
    rng = random.Random(seed)
    pools, weights = zip(*POOLS, strict=True)
    bursts: list[Burst] = []
    left = count
    while left > 0:
        if rng.random() < PASTE_CHANCE:
            bursts.append(Paste("".join(rng.choices(ODD_TEXTS, k=rng.randint(1, 3)))))
            left -= 1
            continue
        size = min(rng.randint(1, MAX_BURST), left)
        bursts.append([rng.choice(rng.choices(pools, weights)[0]) for _ in range(size)])
        left -= size
    return bursts


def stopped(app: CcmApp) -> bool:
    # Set by exit() and by Textual's handler of an unhandled exception (1).
    return app.return_code is not None


async def run_monkey(make_app: Callable[[], CcmApp], bursts: list[Burst], size: tuple[int, int], trail: deque[str]) -> int:
    """Drive the bursts through as many app runs as clean quits need; the number of runs.

    An exception in a handler or worker is re-raised by `run_test` as it ends.
    """
    done = runs = 0
    while done < len(bursts):
        app = make_app()
        runs += 1
        # Notifications drawn, as in a terminal: a toast that reads a name as markup crashes too.
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot, app)
            while done < len(bursts) and not stopped(app):
                keys = bursts[done]
                done += 1
                if isinstance(keys, Paste):
                    trail.append(str(keys))
                    app.post_message(events.Paste(keys.text))  # as the terminal driver posts it
                    await pilot.pause(0)
                else:
                    trail.extend([*keys, "|"])
                    await burst(pilot, keys)
                if done % SETTLE_EVERY == 0 and not stopped(app):
                    await settle(pilot, app)
            if not stopped(app):
                # Keys still queued when run_test shuts the app down hit a screenless app.
                await settle(pilot, app)
        if app.return_code not in (None, 0):
            raise AssertionError(f"the app exited with code {app.return_code}")
    return runs


def book_checks(path: Path) -> tuple[list[tuple[str]], list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall(), connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()


def make_hostile(path: Path) -> None:
    """Names, places, items and notes as a careless paste or import leaves them."""
    columns = {
        "customer": ("name", "ccm", "notes"),
        "contact": ("name",),
        "site": ("name", "city", "address"),
        "checklist_item": ("text", "note"),
        "agenda_item": ("text", "minutes"),
        "action_item": ("text", "owner"),
        "incident": ("summary",),
    }
    connection = sqlite3.connect(path)
    with connection:
        for table, names in columns.items():
            for name in names:
                connection.execute(f"UPDATE {table} SET {name} = {name} || ?", (HOSTILE,))
    connection.close()


RUNS = [  # seed, terminal size, hostile book
    (20261120, (80, 24), False),
    (7, (120, 40), False),
    (4242, (100, 30), True),
]
if os.environ.get("MONKEY_SEEDS"):  # MONKEY_HOSTILE=1: on the hostile book
    RUNS = [(int(seed), (100, 30), bool(os.environ.get("MONKEY_HOSTILE"))) for seed in os.environ["MONKEY_SEEDS"].split(",")]


@pytest.fixture
def monkey_app(
    demo_services: Services, settings: Settings, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], CcmApp]:
    """A factory of apps on the same demo book, built as the `demo_app` fixture builds one."""
    # Exports, review Markdown and screenshots go to the working folder or home: keep them here.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    book = BookLocation(url=str(demo_services.engine.url), label="Demo book", demo=True)
    return lambda: CcmApp(settings, clock, book, services=demo_services)


@pytest.mark.parametrize(("seed", "size", "hostile"), RUNS, ids=[f"seed{s}{'-hostile' if h else ''}" for s, _, h in RUNS])
async def test_random_keys_never_crash_the_app_or_hurt_the_book(
    seed: int, size: tuple[int, int], hostile: bool, monkey_app: Callable[[], CcmApp], tmp_path: Path
) -> None:
    book = tmp_path / "demo.sqlite"
    if hostile:
        make_hostile(book)
    trail: deque[str] = deque(maxlen=TRAIL)
    started = time.monotonic()
    try:
        runs = await run_monkey(monkey_app, monkey(seed, KEYS), size, trail)
    except Exception as error:
        raise AssertionError(
            f"seed {seed} at {size[0]}x{size[1]}{' (hostile book)' if hostile else ''}: {type(error).__name__}: {error}\n"
            f"last keys, | between bursts: {' '.join(trail)}"
        ) from error
    print(f"seed {seed}: {KEYS} keys in {time.monotonic() - started:.1f} s, {runs} run(s)")
    integrity, foreign_keys = book_checks(book)
    assert integrity == [("ok",)], f"seed {seed}: {integrity}"
    assert foreign_keys == [], f"seed {seed}: rows that point at nothing: {foreign_keys[:10]}"


# -- the monkey itself: it must notice a crash ------------------------------------------


async def test_the_monkey_notices_a_key_handler_that_raises(
    monkey_app: Callable[[], CcmApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: CustomerBookScreen) -> None:
        raise RuntimeError("a screen's key handler failed")

    monkeypatch.setattr(CustomerBookScreen, "action_cycle_sort", broken)
    with pytest.raises(RuntimeError, match="key handler failed"):
        await run_monkey(monkey_app, [["1", "s"], ["down"]], (80, 24), deque())


async def test_the_monkey_notices_a_worker_that_raises(
    monkey_app: Callable[[], CcmApp], demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("a worker's query failed")

    monkeypatch.setattr(demo_services.book, "book_page", broken)
    with pytest.raises(Exception, match="query failed"):
        await run_monkey(monkey_app, [["1", "s"]], (80, 24), deque())


async def test_a_clean_quit_only_reopens_the_app(monkey_app: Callable[[], CcmApp], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CustomerBookScreen, "action_cycle_sort", lambda self: self.app.exit())  # as the palette's Quit
    assert await run_monkey(monkey_app, [["1", "s"], ["down", "s"], ["down"]], (80, 24), deque()) == 3


def test_the_stream_is_the_seeds_and_never_quits() -> None:
    first, again = monkey(5, 3000), monkey(5, 3000)
    assert first == again and first != monkey(6, 3000)
    keys = [key for keys in first if not isinstance(keys, Paste) for key in keys]
    assert len(keys) + sum(isinstance(keys, Paste) for keys in first) == 3000
    assert not QUIT_KEYS & set(keys)
    assert {"1", "2", "3", "4", "enter", "escape", "ctrl+s", "ctrl+p", ":", "/", "?"} <= set(keys)
    assert any(isinstance(keys, Paste) for keys in first)


class ExclusiveHarness(App[None]):
    """One exclusive worker group: a second load cancels the first."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    @work(thread=True, exclusive=True, group="load")
    def load(self, first: bool) -> None:
        if first:
            self.release.wait(10)


async def test_settle_waits_past_a_worker_its_successor_cancelled() -> None:
    """A cancelled worker made `workers.wait_for_complete` raise WorkerCancelled out of settle()."""
    app = ExclusiveHarness()
    async with app.run_test() as pilot:
        first = app.load(True)
        # While settle() waits for the first: cancel it, then let its thread end, which
        # settle() also waits for (a cancelled thread worker's thread runs on).
        app.set_timer(0.05, lambda: (app.load(False), app.release.set()))
        await settle(pilot)
        assert first.is_cancelled and all(worker.is_finished for worker in app.workers)
