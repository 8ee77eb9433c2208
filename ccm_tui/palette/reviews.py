"""Command palette: "Prepare review for <customer>", by name or account number.

Like the customer search, the lookup runs in SQL off the event loop; the
palette's matcher only ranks and highlights.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider

from ccm_tui.palette.customers import highlight_literally

if TYPE_CHECKING:  # the services import the ORM: the palette loads before it
    from ccm_tui.services import Services


class ReviewCommands(Provider):
    async def search(self, query: str) -> Hits:
        # Provider.app is typed App; the palette opens only once the book is (CcmApp.check_action).
        services: Services = self.app.services  # type: ignore[attr-defined]  # Provider.app is typed App
        wanted = query.strip()
        for prefix in ("prepare review for ", "review "):
            if wanted.casefold().startswith(prefix):
                wanted = wanted[len(prefix) :]
        if len(wanted.strip()) < 2:
            return
        asked = wanted != query.strip()  # the query named a review: these are what is wanted
        hits = await asyncio.to_thread(services.book.find_customers, wanted.strip(), 20)
        matcher = self.matcher(query)
        for hit in hits:
            label = f"Prepare review for {hit.name} ({hit.account_number})"
            score = max(matcher.match(label), 0.05)
            yield Hit(
                score if asked else score / 2,  # a bare name opens the customer first
                highlight_literally(matcher, label),
                partial(self.app.prepare_review, hit.customer_id),  # type: ignore[attr-defined]  # Provider.app is typed App
                text=label,
                help="Service-review agenda for this customer (key 4)",
            )
