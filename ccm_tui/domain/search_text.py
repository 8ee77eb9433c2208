"""The casefolded text `/` matches against (kept on the customer row by the store), and
the one bound on what a filter or search may ask for.

One indexed-free LIKE over a single column of the customer table stays fast
at 50,000 customers and needs no SQLite-only full-text extension.

Every LIKE search (the book's filter, the checklist's, the palette's
customer search) folds its query through `query_text`: SQLite refuses a
LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too complex"), and
no name, account or city is anywhere near `QUERY_LIMIT` characters long.
"""

from __future__ import annotations

from collections.abc import Iterable

QUERY_LIMIT = 200  # characters of a filter or search that are used; the UI says when it cuts


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def query_text(text: str) -> str:
    """What a typed filter or search matches: folded, at most QUERY_LIMIT characters."""
    return fold(text)[:QUERY_LIMIT].rstrip()  # the cut may leave a trailing space


def query_is_cut(text: str) -> bool:
    """Whether `query_text` drops part of `text` (for the UI to say so)."""
    return len(fold(text)) > QUERY_LIMIT


def customer_search_text(name: str, account_number: str, contact_names: Iterable[str], cities: Iterable[str]) -> str:
    """The customer row's `search_text`, from its rows as stored: every writer of
    the column (repositories, import, demo, seeder) calls this, so they agree.
    `cities` are its sites' cities; two sites in one city list it once."""
    unique_cities = dict.fromkeys(fold(city) for city in cities)
    parts = [name, account_number, *contact_names, *unique_cities]
    return "\n".join(fold(p) for p in parts if p and p.strip())[:4000]
