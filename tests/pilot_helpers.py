"""What Pilot tests share: waiting until the app has truly settled, waiting for a condition, and typing fast."""

from __future__ import annotations

import asyncio
import functools
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.timer import Timer

QUIET_ROUNDS = 2  # in a row with nothing busy: work started by finished work has finished too
# Generous: two xdist workers share two cores. A healthy settle takes well under a second;
# only a hang or a worker stuck on a lock comes near this, and then the test should fail.
SETTLE_BUDGET_S = 30.0
# A one-shot timer due within this long is pending work (a debounce, the palette's "No matches"
# countdown, a scheduled animation); a longer one is a display timeout, such as a toast's 5 s.
SOON_S = 1.0
POLL_S = 0.01  # how often a wait looks again while only threads or short timers are busy


class CountingExecutor(ThreadPoolExecutor):
    """The loop's default executor, knowing which jobs are still running.

    Thread workers (`run_in_executor(None, ...)`) and `asyncio.to_thread` (the palette's
    customer search) both run here. A cancelled thread worker reports finished at once
    while its thread runs on, and may still post to the app, so finished Workers are
    not enough: settle() also waits for these jobs.
    """

    def __init__(self) -> None:
        super().__init__(thread_name_prefix="ccm-test")
        self._lock = threading.Lock()
        self._running: dict[Future[Any], str] = {}

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._running[future] = _job_name(fn, args)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future[Any]) -> None:
        with self._lock:
            self._running.pop(future, None)

    def running(self) -> list[str]:
        with self._lock:
            return list(self._running.values())


def _job_name(fn: Callable[..., Any], args: tuple[Any, ...]) -> str:
    # to_thread submits partial(context.run, func, ...); a thread worker submits runner(work)
    if isinstance(fn, functools.partial) and fn.args:
        job = fn.args[0]
    else:
        job = args[0] if args else fn
    while isinstance(job, functools.partial):  # @work wraps the method and its arguments
        job = job.func
    return getattr(job, "__qualname__", repr(job))


class CountingLoopPolicy(asyncio.DefaultEventLoopPolicy):
    """Every loop starts with a CountingExecutor (installed by conftest), so settle() also sees
    threads started before it was first called: a screen's first load, a snapshot's `app.run`."""

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = super().new_event_loop()
        loop.set_default_executor(CountingExecutor())
        return loop


def counting_executor() -> CountingExecutor:
    """The running loop's default executor, made a CountingExecutor here if another policy made the loop."""
    loop = asyncio.get_running_loop()
    executor = getattr(loop, "_default_executor", None)
    if not isinstance(executor, CountingExecutor):
        executor = CountingExecutor()
        loop.set_default_executor(executor)
    return executor


def _pumps(app: App) -> list[MessagePump]:  # type: ignore[type-arg]
    nodes: list[MessagePump] = [app, *app.screen_stack, *list(app._registry)]
    return [node for node in nodes if not (node._closing or node._closed)]


def _due_soon(timer: Timer) -> bool:
    """A one-shot timer, running, not paused, firing within SOON_S.

    Intervals (`set_interval`: the cursor blink, the screen's update tick, a header
    clock) never end, so waiting for them would wait forever; they are not work.
    """
    task = timer._task
    if task is None or task.done() or timer._repeat != 0 or timer._interval > SOON_S:
        return False
    paused = not timer._active.is_set() if "_active" in timer.__dict__ else timer._original_pause
    return not paused


def busy(app: App, executor: CountingExecutor) -> list[str]:  # type: ignore[type-arg]
    """What is still working: workers, threads, timers due soon, undelivered messages."""
    if app._exit or app.return_code is not None:
        return []  # exiting, or crashed (run_test re-raises the error): nothing more will be delivered
    found = [f"worker {worker.name!r} ({worker.state.name})" for worker in app.workers if not worker.is_finished]
    found += [f"thread running {name}" for name in executor.running()]
    for pump in _pumps(app):
        found += [f"{timer._interval:g} s timer on {pump!r}" for timer in list(pump._timers) if _due_soon(timer)]
        queue = pump.__dict__.get("_message_queue")  # a cached property: never create one here
        if (queue is not None and queue.qsize()) or pump._next_callbacks:
            found.append(f"messages waiting on {pump!r}")
    return found


async def settle(pilot: Pilot, app: App | None = None, budget_s: float = SETTLE_BUDGET_S) -> None:  # type: ignore[type-arg]
    """Let workers, threads, short timers and messages finish, and any work those start finish too.

    A worker's result can start another worker (save, then reload), so wait until
    the app has stayed quiet for a couple of rounds. Raises AssertionError naming
    what was still busy when the budget runs out: a test must not go on to assert
    against a half-loaded screen.
    """
    app = app or pilot.app
    executor = counting_executor()
    give_up = time.monotonic() + budget_s
    quiet = 0
    while quiet < QUIET_ROUNDS:
        await pilot.pause()
        still = busy(app, executor)
        if not still:
            quiet += 1
            continue
        quiet = 0
        if time.monotonic() > give_up:
            raise AssertionError(f"settle(): still busy after {budget_s:.0f} s: " + "; ".join(still))
        # Wake when a worker ends (asyncio.wait neither cancels nor awaits them), or soon,
        # for threads and timers.
        tasks = [worker._task for worker in app.workers if worker._task is not None and not worker._task.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=POLL_S * 10)
        else:
            await asyncio.sleep(POLL_S)


async def wait_until(pilot: Pilot, holds: Callable[[], bool], what: str, budget_s: float = SETTLE_BUDGET_S) -> None:  # type: ignore[type-arg]
    """Poll until `holds()`, for a state settle() cannot see (a thread the test itself blocks); fail loudly."""
    give_up = time.monotonic() + budget_s
    while not holds():
        if time.monotonic() > give_up:
            raise AssertionError(f"still waiting for {what} after {budget_s:.0f} s")
        await pilot.pause(POLL_S)


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
