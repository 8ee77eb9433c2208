"""Command palette: jump to any customer by name or account number.

The search runs in SQL (off the event loop), so it stays quick on a book
of 50,000 customers; the palette's fuzzy matcher only ranks and highlights.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ccm_tui.domain.search_text import QUERY_LIMIT, query_is_cut

if TYPE_CHECKING:  # the services import the ORM: the palette loads before it
    from ccm_tui.services import Services


class CustomerCommands(Provider):
    _told_cut = False  # say it once per palette, not at every key

    async def search(self, query: str) -> Hits:
        # Provider.app is typed App; the palette opens only once the book is (CcmApp.check_action).
        services: Services = self.app.services  # type: ignore[attr-defined]  # Provider.app is typed App
        if len(query.strip()) < 2:
            return
        if query_is_cut(query) and not self._told_cut:
            self._told_cut = True  # the store searches the first QUERY_LIMIT characters only
            self.app.notify(f"Search cut to the first {QUERY_LIMIT} characters.", title="Search", severity="warning")
        hits = await asyncio.to_thread(services.book.find_customers, query.strip(), 20)
        matcher = self.matcher(query)
        for hit in hits:
            label = f"{hit.name} ({hit.account_number})"
            yield Hit(
                max(matcher.match(label), 0.1),
                highlight_literally(matcher, label),
                partial(self.app.open_customer, hit.customer_id),  # type: ignore[attr-defined]  # Provider.app is typed App
                text=label,
                help="Open this customer",
            )


def highlight_literally(matcher: Matcher, label: str) -> Content:
    """`matcher.highlight(label)`, with the label as text: Textual 8.2.8 reads it as markup.

    A customer named "Acme [/]" raised MarkupError there, and the provider's
    hits were lost: the customer could not be found in the palette.
    """
    content = Content(label)
    _, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
