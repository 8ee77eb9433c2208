"""Command palette: "Book: my customers" and "Book: customers of <name>".

The names are every CCM the book knows (the people's names and those its
customers name), read once per palette, off the event loop, as it opens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ccm_tui.palette.customers import highlight_literally

if TYPE_CHECKING:  # the services import the ORM: the palette loads before it
    from ccm_tui.services import Services

MY_CUSTOMERS = "Book: my customers"
MY_HELP = "Only the customers whose CCM you are (m on the book)"


class BookCommands(Provider):
    _names: tuple[str, ...] = ()

    async def startup(self) -> None:
        # Provider.app is typed App; the palette opens only once the book is (CcmApp.check_action).
        services: Services = self.app.services  # type: ignore[attr-defined]  # Provider.app is typed App
        self._names = tuple(await asyncio.to_thread(services.book.ccm_choices))

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        show = self.app.show_customers_of  # type: ignore[attr-defined]  # Provider.app is typed App
        yield MY_CUSTOMERS, MY_HELP, partial(show, None)
        for name in self._names:
            yield f"Book: customers of {name}", f"Only the customers whose CCM is {name}", partial(show, name)

    async def discover(self) -> Hits:
        title, help_text, command = next(self._commands())
        yield DiscoveryHit(title, command, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, highlight_literally(matcher, title), command, text=title, help=help_text)
