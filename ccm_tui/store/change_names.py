"""The names of the records a list of change-log entries speaks of, as they are now.

The log keeps ids, not names (a name changes, and the log is never
rewritten); a timeline shows "contact Khalid Al Marzouqi", not "contact 57".
One query per kind of record on the page, by primary key.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlmodel import Session, col, select

from ccm_tui.domain.changes import ChangeEntry, Entity
from ccm_tui.store.tables import (
    ActionItemRow,
    ActivationRow,
    ActivationStepRow,
    AgendaItemRow,
    ChecklistItemRow,
    ContactRow,
    CustomerRow,
    IncidentRow,
    OrderRow,
    ServiceReviewRow,
    SiteRow,
    TimeEntryRow,
)


def _pairs(
    session: Session, id_column: Any, *name_columns: Any, join: Callable[[Any], Any] | None = None
) -> Callable[[list[int]], dict[int, str]]:
    def read(ids: list[int]) -> dict[int, str]:
        stmt = select(id_column, *name_columns)
        if join is not None:
            stmt = join(stmt)
        rows = session.exec(stmt.where(col(id_column).in_(ids))).all()
        return {row[0]: " · ".join(str(part) for part in row[1:] if part not in (None, "")) for row in rows}

    return read


def with_record_names(session: Session, entries: Sequence[ChangeEntry]) -> list[ChangeEntry]:
    """`entries` with `record` set to each record's current name ("" for a record since removed)."""
    wanted: dict[Entity, set[int]] = defaultdict(set)
    for entry in entries:
        wanted[entry.entity].add(entry.entity_id)
    readers: dict[Entity, Callable[[list[int]], dict[int, str]]] = {
        Entity.CUSTOMER: _pairs(session, CustomerRow.id, CustomerRow.name),
        Entity.CONTACT: _pairs(session, ContactRow.id, ContactRow.name),
        Entity.SITE: _pairs(session, SiteRow.id, SiteRow.name),
        Entity.ORDER: _pairs(session, OrderRow.id, OrderRow.number),
        Entity.ACTIVATION_STEP: _pairs(
            session,
            ActivationStepRow.id,
            SiteRow.name,
            ActivationStepRow.kind,
            join=lambda s: s.join(ActivationRow, col(ActivationRow.id) == ActivationStepRow.activation_id).join(
                SiteRow, col(SiteRow.id) == ActivationRow.site_id
            ),
        ),
        Entity.CHECKLIST_ITEM: _pairs(session, ChecklistItemRow.id, ChecklistItemRow.text),
        Entity.TIME_ENTRY: _pairs(session, TimeEntryRow.id, TimeEntryRow.day, TimeEntryRow.category),
        Entity.REVIEW: _pairs(session, ServiceReviewRow.id, ServiceReviewRow.held_on),
        Entity.AGENDA_ITEM: _pairs(session, AgendaItemRow.id, AgendaItemRow.text),
        Entity.ACTION_ITEM: _pairs(session, ActionItemRow.id, ActionItemRow.text),
        Entity.INCIDENT: _pairs(session, IncidentRow.id, IncidentRow.summary),
    }
    names = {entity: readers[entity](sorted(ids)) for entity, ids in wanted.items()}
    return [dataclasses.replace(e, record=names[e.entity].get(e.entity_id, "")) for e in entries]
