"""Parsed import rows into the book, a batch at a time, matched by natural key.

A row whose key is new is created; one whose key is in the book is updated
if anything differs, else left unchanged. Each batch reads what it needs
with a few IN queries and writes with executemany, in the caller's
transaction, so rows earlier in the same import (or an earlier file of the
same run) are seen like rows of the book. References to records that are
not there, and keys that clash with the book, come back as problems.

This module sends a batch to the writer of its kind (`upsert_customers`,
`upsert_contacts`, `upsert_sites`, `upsert_orders`, `upsert_activations`);
what they share is in `upsert_batch`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ccm_tui.domain.import_rows import (
    ActivationImport,
    ContactImport,
    OrderInput,
    ParsedRow,
    SiteImport,
)
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.store.upsert_activations import upsert_activations
from ccm_tui.store.upsert_batch import RowResult, Writer
from ccm_tui.store.upsert_contacts import upsert_contacts
from ccm_tui.store.upsert_customers import upsert_customers
from ccm_tui.store.upsert_orders import upsert_orders
from ccm_tui.store.upsert_sites import upsert_sites

# Each writer takes the rows of its own kind: `upsert` sends it only those.
Upsert = Callable[[Writer, Sequence[tuple[int, Any]]], list[RowResult]]

UPSERTS: dict[type, Upsert] = {
    CustomerInput: upsert_customers,
    ContactImport: upsert_contacts,
    SiteImport: upsert_sites,
    OrderInput: upsert_orders,
    ActivationImport: upsert_activations,
}


def upsert(w: Writer, batch: Sequence[tuple[int, ParsedRow]]) -> list[RowResult]:
    """Write one batch of rows of one kind; a result per row, in order."""
    if not batch:
        return []
    results = UPSERTS[type(batch[0][1])](w, batch)
    w.write_log()
    return results
