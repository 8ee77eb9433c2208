"""The casefolded text `/` matches against, kept on the customer row.

One indexed-free LIKE over a single column of the customer table stays fast
at 50,000 customers and needs no SQLite-only full-text extension.
"""

from __future__ import annotations

from collections.abc import Iterable


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def customer_search_text(name: str, account_number: str, contact_names: Iterable[str], cities: Iterable[str]) -> str:
    parts = [name, account_number, *contact_names, *cities]
    return "\n".join(fold(p) for p in parts if p and p.strip())[:4000]
