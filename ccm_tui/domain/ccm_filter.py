"""Whose customers: the book narrowed to one CCM's, and the CCMs to choose from.

A customer's CCM is free text (typed in a form, read from a CSV cell), so
one person may own customers as "Alex Morgan", "alex morgan" or by their
login. A filter carries every spelling it matches, and the store tests them
exactly (`ccm IN (...)`), which its index on the column serves. Case is
folded here, once, over the few distinct names the book holds, not per row
in SQL: `lower(ccm)` would read every customer, and SQLite's lower() folds
ASCII only ("Lucía").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CcmFilter:
    """Only the customers whose CCM is `who`, as written in any of `spellings`."""

    who: str  # the person, as the screen names them
    spellings: tuple[str, ...]  # the exact `customer.ccm` values that are theirs
    mine: bool = False  # `who` is the session's person

    @property
    def label(self) -> str:
        return "my customers" if self.mine else f"customers of {self.who}"


def spellings_of(names: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    """`names` (trimmed, blanks dropped) and each of the `known` CCM values that equals one of them but for case; sorted."""
    wanted = {name.strip() for name in names if name.strip()}
    folded = {name.casefold() for name in wanted}
    return tuple(sorted(wanted | {value for value in known if value.strip().casefold() in folded}))


def ccm_choices(people: Iterable[str], owners: Iterable[str]) -> list[str]:
    """People's names and the CCMs customers name, each once, blanks dropped, in alphabetical order.

    Values are kept exactly as written (a filter on one matches it exactly).
    """
    return sorted({name for name in (*people, *owners) if name.strip()}, key=lambda name: (name.casefold(), name))
