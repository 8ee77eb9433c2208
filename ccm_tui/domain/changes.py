"""One entry of the append-only change log: who changed which record, when, and how."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Entity(enum.StrEnum):
    CUSTOMER = "customer"
    CONTACT = "contact"
    SITE = "site"
    ORDER = "order"
    ACTIVATION_STEP = "activation_step"
    CHECKLIST_ITEM = "checklist_item"
    TIME_ENTRY = "time_entry"
    REVIEW = "review"
    AGENDA_ITEM = "agenda_item"
    ACTION_ITEM = "action_item"
    INCIDENT = "incident"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


# The actions every record shares; a domain action ("rescheduled", "imported") is any other word.
CREATED = "created"
CHANGED = "changed"
REMOVED = "removed"
IMPORTED = "imported"

# A field's value as the log keeps it: JSON's scalars (dates and times as ISO text).
Plain = str | int | float | bool | None


@dataclass(frozen=True)
class ChangeEntry:
    seq: int
    at: datetime  # aware, UTC
    author: str  # the login
    author_name: str
    entity: Entity
    entity_id: int
    customer_id: int | None
    action: str
    # field -> (from, to), only the fields that differed
    changes: dict[str, tuple[Plain, Plain]] = field(default_factory=dict)
    reason: str = ""
    # the record's name as it is now (a timeline reads it; "" if not read, or the record is gone)
    record: str = ""
    # the change (one transaction, one user action) this entry belongs to
    txn: str = ""
    # for an undo or a redo, the change it turned back; "" otherwise
    reverts: str = ""

    @property
    def who(self) -> str:
        return self.author_name.strip() or self.author

    def as_document(self) -> dict[str, object]:
        """The entry as the JSON export writes it."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "author": self.author,
            "author_name": self.author_name,
            "entity": self.entity.value,
            "entity_id": self.entity_id,
            "customer_id": self.customer_id,
            "action": self.action,
            "changes": {name: list(pair) for name, pair in self.changes.items()},
            "reason": self.reason,
        }
