"""ccm's `work`: a worker is described by its method's name, and its arguments are never repr()'d to say so."""

from __future__ import annotations

from textual.app import App

from ccm_tui.widgets.workers import work
from tests.pilot_helpers import settle


class Loud:
    """An argument that counts how often it is described (a day's hundred events, say)."""

    def __init__(self) -> None:
        self.described = 0

    def __repr__(self) -> str:
        self.described += 1
        return "Loud()"


class Working(App[None]):
    got: list[object]

    def on_mount(self) -> None:
        self.got = []

    @work(thread=True, exclusive=True, group="read")
    def read(self, what: Loud, *, also: Loud) -> None:
        self.got += [what, also]

    @work
    async def show(self, what: Loud) -> None:
        self.got.append(what)


async def test_a_worker_is_named_by_its_method_and_its_arguments_are_not_described() -> None:
    app = Working()
    async with app.run_test() as pilot:
        first, second, third = Loud(), Loud(), Loud()
        threaded = app.read(first, also=second)
        awaited = app.show(third)
        await settle(pilot)
        assert (threaded.description, awaited.description) == ("read", "show")
        assert (threaded.group, threaded.is_finished, awaited.is_finished) == ("read", True, True)
        assert app.got == [first, second, third]
        assert [loud.described for loud in (first, second, third)] == [0, 0, 0]
