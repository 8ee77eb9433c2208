"""What Pilot tests share: waiting until the app has truly settled."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot

QUIET_ROUNDS = 2  # in a row with no worker running: chained work has finished
MAX_ROUNDS = 60


async def settle(pilot: Pilot, app: App | None = None) -> None:  # type: ignore[type-arg]
    """Let workers finish, their messages land, and any work those start finish too.

    A fixed number of rounds is not enough on a loaded machine: a worker's
    result can start another worker (save, then reload), so wait until the
    app has stayed quiet for a couple of rounds.
    """
    app = app or pilot.app
    quiet = 0
    for _ in range(MAX_ROUNDS):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if any(not worker.is_finished for worker in app.workers):
            quiet = 0
            continue
        quiet += 1
        if quiet >= QUIET_ROUNDS:
            return
