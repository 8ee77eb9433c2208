"""The first glance at a book: its first customers by name before it is open.

The app shows these while the book opens (the ORM's import and the schema
check take about half a second); the real first page replaces them. Only a
local book file has one: a server book, or the demo (rebuilt when stale), opens
as before.
"""

from __future__ import annotations

from ccm_tui.book_location import BookLocation
from ccm_tui.domain.book import BookPage
from ccm_tui.store import book_glance


def first_glance(book: BookLocation, limit: int) -> BookPage | None:
    """The book's first `limit` customers by name, with its count; None when there is none to trust."""
    if book.path is None or book.demo:
        return None
    return book_glance.first_page(book.path, limit)
