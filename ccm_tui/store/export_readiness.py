"""Readiness for the export's walk: a batch's activations in one or two set-based queries.

The checklists' own `readiness_for` reads each batch's open steps and
their sites again and names the activations by a list of ids; the walk
holds both already, so it hands its steps over (with each site's calendar)
and counts the batch's items by its range of account numbers. The counts, the risk and its reason
are `checklist_readiness`'s own, so the export says what the checklist does.

Only the open steps that can be late are handed over: overdue grows with
the due offset (`overdue_before`), so a step starting at or after the
bound of the book's largest outstanding offset at its site has no overdue
item. That leaves a few hundred steps a batch, whose outstanding items are
read by id, instead of every open step's (370,000 rows on the benchmark book).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, text
from sqlmodel import col, select

from ccm_tui.domain.book_facts import CustomerRecords
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.readiness import NO_CHECKLIST, Readiness, overdue_before
from ccm_tui.store.checklist_readiness import Calendars, OpenStep, readiness_counts, readiness_from, risks_of
from ccm_tui.store.export_rows import RawQuery, batch_customers
from ccm_tui.store.tables import OUTSTANDING_CUSTOMER_BLOCKING, ActivationRow

# Written as ix_checklist_item_outstanding_due's predicate, word for word: the largest is one seek
_LARGEST_OUTSTANDING = text(f"SELECT max(due_offset_days) FROM checklist_item WHERE {OUTSTANDING_CUSTOMER_BLOCKING}")


class ReadinessAt(NamedTuple):
    """The instant readiness is judged at, and the business hours its site calendars use."""

    now: datetime
    business_hours: BusinessHours


class BatchReadiness:
    """The readiness of each batch of one walk (its site calendars made once for the whole walk)."""

    def __init__(self, connection: Connection, at: ReadinessAt) -> None:
        self.now = at.now
        self.calendars = Calendars(at.business_hours)
        self._connection = connection
        # the book's largest outstanding offset (None: nothing outstanding), read in the walk's transaction
        self._largest: int | None = connection.execute(_LARGEST_OUTSTANDING).scalar()
        self._late_from: dict[tuple[str, str, str], tuple[SiteCalendar, datetime]] = {}  # by place
        customers = batch_customers(bindparam("first", ""), bindparam("last", ""))
        activations = select(ActivationRow.id).where(col(ActivationRow.customer_id).in_(customers))
        self._counts = RawQuery(connection, readiness_counts(activations))

    def of(self, first: str, last: str, batch: Sequence[CustomerRecords]) -> dict[int, Readiness]:
        """Readiness of the activations of `batch`, the customers from account number `first` to `last`."""
        counts = self._counts.rows(first=first, last=last)
        listed = {row[0] for row in counts}  # the activations with checklist items: only they can be at risk
        steps: dict[int, list[OpenStep]] = {}
        for records in batch:
            places = None
            for activation in records.activations:
                if activation.id not in listed:
                    continue
                if places is None:
                    places = self._places(records)
                place = places.get(activation.site_id)
                if place is None:
                    continue  # a site not the customer's (the export leaves the activation out), or no step can be late
                cal, late_from = place
                own = [
                    OpenStep(step.kind, step.start, cal)
                    for step in activation.steps
                    if step.start is not None and step.start < late_from and step.status.open
                ]
                if own:
                    steps[activation.id] = own
        found = readiness_from(counts, risks_of(self._connection, steps, self.now) if steps else {})
        # as `readiness_for` says: an activation without checklist items has NO_CHECKLIST
        return {a.id: found.get(a.id, NO_CHECKLIST) for records in batch for a in records.activations}

    def _places(self, records: CustomerRecords) -> dict[int, tuple[SiteCalendar, datetime]]:
        """Each of the customer's sites' calendar, and the instant from which a step there has no overdue item."""
        if self._largest is None:
            return {}
        places = {}
        for site in records.sites:
            key = (site.timezone, site.country, site.subdivision)
            place = self._late_from.get(key)
            if place is None:
                cal = self.calendars(*key)
                place = self._late_from[key] = (cal, overdue_before(self.now, cal, self._largest))
            places[site.id] = place
        return places
