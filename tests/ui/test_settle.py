"""settle() waits for workers, threads, short timers and messages, and fails loudly when its budget runs out."""

from __future__ import annotations

import asyncio
import threading

import pytest
from textual import work
from textual.app import App

from tests.pilot_helpers import settle, wait_until


class Harness(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.marks: list[str] = []

    @work(thread=True, group="stuck")
    def stuck(self) -> None:
        self.release.wait(10)

    def held_thread(self) -> None:
        self.release.wait(10)
        self.marks.append("thread")

    def search_in_a_thread(self) -> None:
        # as the command palette's providers do: a plain task awaiting asyncio.to_thread, no Worker
        self.search_task = asyncio.create_task(asyncio.to_thread(self.held_thread))


async def test_settle_fails_loudly_naming_the_worker_still_running() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.stuck()
        with pytest.raises(AssertionError, match=r"still busy.*worker 'stuck'"):
            await settle(pilot, budget_s=0.3)
        app.release.set()
        await settle(pilot)


async def test_settle_fails_loudly_naming_a_thread_still_running() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.search_in_a_thread()
        with pytest.raises(AssertionError, match=r"thread running Harness.held_thread"):
            await settle(pilot, budget_s=0.3)
        app.release.set()
        await settle(pilot)


async def test_settle_waits_for_a_thread_no_worker_tracks() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.search_in_a_thread()
        threading.Timer(0.2, app.release.set).start()  # a plain thread: settle() does not wait for the test's own
        await settle(pilot)
        assert app.marks == ["thread"]


async def test_settle_waits_for_a_timer_due_soon_but_not_for_intervals_or_long_timers() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.set_interval(0.05, lambda: None, name="blink")  # never ends: not work
        app.set_timer(0.3, lambda: app.marks.append("debounce"))
        app.set_timer(5, lambda: app.marks.append("toast expired"))  # a display timeout, not work
        await settle(pilot)
        assert app.marks == ["debounce"]


async def test_wait_until_fails_loudly_saying_what_it_waited_for() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        with pytest.raises(AssertionError, match="still waiting for the moon"):
            await wait_until(pilot, lambda: False, "the moon", budget_s=0.1)


class StartsAThread(Harness):
    def on_mount(self) -> None:
        self.search_in_a_thread()


async def test_settle_waits_for_a_thread_started_before_it_was_first_called() -> None:
    app = StartsAThread()
    async with app.run_test() as pilot:
        threading.Timer(0.2, app.release.set).start()
        await settle(pilot)
        assert app.marks == ["thread"]


class Crashes(Harness):
    def on_key(self) -> None:
        self.stuck()  # busy for ten seconds...
        raise RuntimeError("boom")  # ...but the app is dead: nothing more will happen


async def test_settle_returns_at_once_when_the_app_crashed() -> None:
    app = Crashes()
    still_busy: list[AssertionError] = []
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test() as pilot:
            await pilot.press("x")
            try:
                await settle(pilot, budget_s=2)
            except AssertionError as error:  # "still busy" after a crash: time lost, and noise beside the real error
                still_busy.append(error)
    app.release.set()
    assert still_busy == []


async def test_settle_names_a_thread_workers_method_and_a_timers_delay() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        app.stuck()
        app.set_timer(0.9, lambda: None)
        with pytest.raises(AssertionError) as caught:
            await settle(pilot, budget_s=0.2)
        assert "thread running Harness.stuck" in str(caught.value)
        assert "0.9 s timer on Harness" in str(caught.value)
        app.release.set()
        await settle(pilot)
