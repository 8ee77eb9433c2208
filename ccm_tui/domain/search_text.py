"""The folded text `/` matches against (kept on the customer row by the store), and
the one bound on what a filter or search may ask for.

`fold` is the one rule for "the same to a CCM": case, accents and spacing
do not count, so `cafe` finds Café, `sao paulo` São Paulo, and `chloe` and
`chloé` are one name. The stored text (search_text, sort_name) and every
typed query go through it, so both sides agree.

One indexed-free LIKE over a single column of the customer table stays fast
at 50,000 customers and needs no SQLite-only full-text extension.

Every LIKE search (the book's filter, the checklist's, the palette's
customer search) folds its query through `query_text`: SQLite refuses a
LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too complex"), and
no name, account or city is anywhere near `QUERY_LIMIT` characters long.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

QUERY_LIMIT = 200  # characters of a filter or search that are used; the UI says when it cuts
SORT_NAME_LIMIT = 200  # the sort_name column's width: folding can lengthen a name (ß -> ss)

# Letters with no decomposition that a CCM types as their plain letter: Turkish
# dotless i (U+0131) as i (a capital dotted I already decomposes to i + a dot),
# o with stroke, l with stroke, d with stroke, ae and oe ligatures.
_PLAIN_LETTERS = str.maketrans({"\u0131": "i", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe"})


def _without_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """`text` as a CCM means it: accents dropped (NFKD, combining marks left out),
    casefolded (ß -> ss), each run of whitespace one space, none at the ends.

    Marks are dropped before and after casefolding: casefold can make new
    ones (İ -> i + dot above) and compatibility forms new capitals (㎒ -> MHz).
    """
    if text.isascii():  # most names: the same result, several times faster (a 50k book's migration)
        return " ".join(text.lower().split())
    folded = _without_marks(_without_marks(text).casefold()).casefold().translate(_PLAIN_LETTERS)
    return " ".join(folded.split())


def query_text(text: str) -> str:
    """What a typed filter or search matches: folded, at most QUERY_LIMIT characters."""
    return fold(text)[:QUERY_LIMIT].rstrip()  # the cut may leave a trailing space


def query_is_cut(text: str) -> bool:
    """Whether `query_text` drops part of `text` (for the UI to say so)."""
    return len(fold(text)) > QUERY_LIMIT


def customer_sort_name(name: str) -> str:
    """The customer row's `sort_name`: the name folded, so Émile sorts with the E's."""
    return fold(name)[:SORT_NAME_LIMIT].rstrip()


def customer_search_text(name: str, account_number: str, contact_names: Iterable[str], cities: Iterable[str]) -> str:
    """The customer row's `search_text`, from its rows as stored: every writer of
    the column (repositories, import, demo, seeder) calls this, so they agree.
    `cities` are its sites' cities; two sites in one city list it once."""
    unique_cities = dict.fromkeys(fold(city) for city in cities)
    parts = [name, account_number, *contact_names, *unique_cities]
    return "\n".join(fold(p) for p in parts if p and p.strip())[:4000]
