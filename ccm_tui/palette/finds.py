"""Command palette: contacts (by name, phone or e-mail), cities, orders and
activations, each saying what it is and whose ("contact Chloé Martin · Café
Lumière SARL"); Enter opens the customer, or the activation. A query that
starts with a kind ("order 6235") finds that kind only.

Like the customer search, the lookup (accent- and case-blind) runs in SQL
off the event loop; the palette's matcher only ranks and highlights.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import Hit, Hits, Provider

from ccm_tui.domain.book_search import BookHit, HitKind
from ccm_tui.palette.customers import highlight_literally

if TYPE_CHECKING:  # the services import the ORM: the palette loads before it
    from ccm_tui.services import Services

# Below a customer found by name: "acme" opens Acme before Acme's contacts.
RANK = 0.9


def hit_label(hit: BookHit) -> str:
    match hit.kind:
        case HitKind.CONTACT:
            found = f" <{hit.matched}>" if "@" in hit.matched else f", {hit.matched}" if hit.matched else ""
            return f"contact {hit.what}{found} · {hit.customer_name}"
        case HitKind.ACTIVATION:
            return f"activation {hit.what} · order {hit.order_number} · {hit.customer_name}"
        case _:
            return f"{hit.kind.value} {hit.what} · {hit.customer_name}"


def narrowed(query: str) -> tuple[HitKind | None, str]:
    """ "order 6235" looks for orders only, "activation 6235" activations: the labels' first word."""
    first, _, rest = query.strip().partition(" ")
    if rest.strip() and first.casefold() in set(HitKind):
        return HitKind(first.casefold()), rest.strip()
    return None, query.strip()


class FindCommands(Provider):
    async def search(self, query: str) -> Hits:
        # Provider.app is typed App; the palette opens only once the book is (CcmApp.check_action).
        services: Services = self.app.services  # type: ignore[attr-defined]  # Provider.app is typed App
        kind, wanted = narrowed(query)
        if len(wanted) < 2:
            return  # CustomerCommands says when a query is cut
        hits = await asyncio.to_thread(services.book.find_in_book, wanted)
        if kind is not None:
            hits = [hit for hit in hits if hit.kind is kind]
        app: Any = self.app  # CcmApp: Provider.app is typed App
        matcher = self.matcher(query)
        for hit in hits:
            label = hit_label(hit)
            if hit.activation_id is not None:
                command, help_text = partial(app.open_activation, hit.activation_id), "Open this activation"
            else:
                command, help_text = partial(app.open_customer, hit.customer_id), "Open this customer"
            yield Hit(
                max(matcher.match(label), 0.1) * RANK, highlight_literally(matcher, label), command, text=label, help=help_text
            )
