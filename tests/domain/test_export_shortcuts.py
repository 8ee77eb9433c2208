"""The exports' shortcuts for speed give what the plain rules give.

- A CSV cell skips `neutralise` unless its first character is one it may act on:
  every character it does act on must be in that set.
- `BookDocuments` judges each (place, window) once and reuses it: a document
  made by a writer that has judged other customers' windows (and forgotten
  some, past its bound) equals one made afresh.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ccm_tui.domain import book_facts
from ccm_tui.domain.book_facts import BookDocuments, CustomerRecords, FactsContext, customer_document
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.exports import _MAYBE_FORMULA
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Customer,
    Order,
    OrderStatus,
    Region,
    ServiceKind,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.spreadsheet import neutralise

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)


def test_every_character_neutralise_acts_on_is_checked() -> None:
    acted_on = {
        chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and neutralise(chr(c) + "x") != chr(c) + "x"
    }
    assert acted_on <= _MAYBE_FORMULA
    assert "'" in _MAYBE_FORMULA  # a quote before a formula character gets one more


def customer(n: int, site: Site, starts: list[datetime], status: StepStatus) -> CustomerRecords:
    """Customer `n` with an activation per start at `site` (its steps one hour long, one of them open-ended)."""
    order = Order(
        n, n, f"SO-{n}", (ServiceKind.MRS,), Decimal(100), Decimal(0), "USD", date(2026, 12, 1), OrderStatus.PROVISIONING
    )
    activations = []
    for i, start in enumerate(starts):
        aid = n * 100 + i
        steps = (
            ActivationStep(aid * 2, aid, StepKind.INSTALLATION, start - timedelta(days=3), None, StepStatus.REQUESTED),
            ActivationStep(aid * 2 + 1, aid, StepKind.ACTIVATION, start, start + timedelta(hours=1), status),
        )
        activations.append(Activation(aid, n, n, site.id, ServiceKind.MRS, False, steps))
    return CustomerRecords(
        Customer(n, f"NA-{n}", f"Customer {n}", Region.NORTH_AMERICA, "Alex Morgan", Decimal(8)),
        (),
        (site,),
        (order,),
        tuple(activations),
        Decimal(0),
    )


@pytest.mark.parametrize("kept", [1000, 3], ids=["all-remembered", "some-forgotten"])
def test_documents_sharing_windows_equal_documents_made_afresh(kept: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(book_facts, "_WINDOWS_KEPT", kept)
    ctx = FactsContext(NOW, date(2026, 11, 1), BusinessHours())
    # the same place under another site and customer, and another place: windows shared and not
    boston = Site(1, 1, "Boston", "1 Main St", "Boston", "US", "America/New_York", subdivision="US-MA")
    also_boston = Site(2, 2, "Cambridge", "", "Cambridge", "US", "America/New_York", subdivision="US-MA")
    nsw = Site(3, 3, "Sydney", "", "Sydney", "AU", "Australia/Sydney", subdivision="AU-NSW")
    starts = [NOW + timedelta(hours=h) for h in (2, 20, 40, 70, 100)]  # inside the cut-off, and past it
    customers = [
        customer(1, boston, starts, StepStatus.CONFIRMED),
        customer(2, also_boston, starts, StepStatus.CANCELLED),  # same windows: late_change_now differs by status
        customer(3, nsw, starts, StepStatus.CONFIRMED),
        customer(4, boston, starts[::-1], StepStatus.REQUESTED),
    ]
    documents = BookDocuments(ctx)
    shared = [documents.customer(records) for records in customers]
    assert shared == [customer_document(records, ctx) for records in customers]
    assert len(documents._windows) <= kept
    nows = [step["late_change_now"] for a in shared[0]["activations"] for step in a["steps"]]
    assert any(nows) and not all(nows)  # the windows judged include both sides of the cut-off
