"""Command palette: jump to any customer by name or account number.

The search runs in SQL (off the event loop), so it stays quick on a book
of 50,000 customers; the palette's fuzzy matcher only ranks and highlights.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import Hit, Hits, Provider

from ccm_tui.domain.search_text import QUERY_LIMIT, query_is_cut


class CustomerCommands(Provider):
    _told_cut = False  # say it once per palette, not at every key

    async def search(self, query: str) -> Hits:
        services = getattr(self.app, "services", None)
        if services is None or len(query.strip()) < 2:
            return
        if query_is_cut(query) and not self._told_cut:
            self._told_cut = True  # the store searches the first QUERY_LIMIT characters only
            self.app.notify(f"Search cut to the first {QUERY_LIMIT} characters.", title="Search", severity="warning")
        hits = await asyncio.to_thread(services.find_customers, query.strip(), 20)
        matcher = self.matcher(query)
        for hit in hits:
            label = f"{hit.name} ({hit.account_number})"
            yield Hit(
                max(matcher.match(label), 0.1),
                matcher.highlight(label),
                partial(self.app.open_customer, hit.customer_id),  # type: ignore[attr-defined]
                text=label,
                help="Open this customer",
            )
