"""Edits the team, read-only and live-book tests make through the services, as a screen would."""

from __future__ import annotations

from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.services import Services


def rename(services: Services, customer_id: int, name: str) -> None:
    """The customer renamed, everything else as it is."""
    c = services.book.get_customer(customer_id)
    services.book.update_customer(
        c.id, c.version, CustomerInput(name, c.account_number, c.region, c.ccm, c.hours_per_month, c.notes)
    )


def rename_first(services: Services) -> None:
    """The book's first customer gets " renamed" after its name."""
    row = services.book.book_page(BookQuery(limit=1)).rows[0]
    rename(services, row.customer_id, row.name + " renamed")
