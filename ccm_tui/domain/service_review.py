"""A service review as it is kept: its agenda items, attendees, minutes and
action items. A draft is edited before and during the meeting; a completed
review is history and never changes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from ccm_tui.domain.hours import BurnDown, HoursUsage
from ccm_tui.domain.incidents import Incident
from ccm_tui.domain.model import ReviewKind

# Catalogue keys whose completion is recorded on the customer itself.
FIREWALL_KEY = "firewall_rule_review"
MONITORING_KEY = "monitoring_review"
ATTENDEE_SEPARATOR = "; "


class ReviewStatus(enum.StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


@dataclass(frozen=True)
class AgendaItem:
    id: int
    review_id: int
    position: int
    section: str
    text: str
    details: tuple[str, ...] = ()  # the facts filled in under the item, one line each
    minutes: str = ""
    key: str = ""  # the catalogue item; empty for the CCM's own items
    contact_ids: tuple[int, ...] = ()  # contacts the item lists as due for review


@dataclass(frozen=True)
class ActionItem:
    id: int
    review_id: int
    text: str
    owner: str = ""
    due: date | None = None
    done: bool = False
    done_on: date | None = None
    carried_from_id: int | None = None

    def is_overdue(self, today: date) -> bool:
        return not self.done and self.due is not None and self.due < today


@dataclass(frozen=True)
class ReviewHeader:
    """A review without its items: for lists of past reviews."""

    id: int
    customer_id: int
    kind: ReviewKind
    held_on: date
    status: ReviewStatus
    completed_at: datetime | None = None

    @property
    def read_only(self) -> bool:
        return self.status is ReviewStatus.COMPLETED


@dataclass(frozen=True)
class ServiceReview:
    id: int
    customer_id: int
    customer_name: str
    account_number: str
    kind: ReviewKind
    held_on: date
    status: ReviewStatus
    attendees: tuple[str, ...]
    items: tuple[AgendaItem, ...]  # in position order
    actions: tuple[ActionItem, ...]
    version: int = 1
    completed_at: datetime | None = None

    @property
    def read_only(self) -> bool:
        return self.status is ReviewStatus.COMPLETED

    def sections(self) -> list[tuple[str, list[AgendaItem]]]:
        """Items grouped by section, sections in the order they first appear."""
        grouped: dict[str, list[AgendaItem]] = {}
        for item in self.items:
            grouped.setdefault(item.section, []).append(item)
        return list(grouped.items())


@dataclass(frozen=True)
class CompletionPlan:
    """What completing a review will record: shown before the CCM confirms."""

    contacts: tuple[str, ...]  # names of the contacts to be marked reviewed on the review date
    firewall: bool
    monitoring: bool
    carried: tuple[ActionItem, ...]  # open actions the next review picks up
    to_carry_in: int  # open actions of the last review not yet on this one, added now


def completion_plan(review: ServiceReview, contact_names: dict[int, str], last_open: tuple[ActionItem, ...]) -> CompletionPlan:
    """What completing `review` does, given its contacts' names and the last review's open actions."""
    keys = {item.key for item in review.items}
    listed = dict.fromkeys(cid for item in review.items for cid in item.contact_ids)
    already = {a.carried_from_id for a in review.actions}
    missing = tuple(a for a in last_open if a.id not in already)
    return CompletionPlan(
        contacts=tuple(contact_names[cid] for cid in listed if cid in contact_names),
        firewall=FIREWALL_KEY in keys,
        monitoring=MONITORING_KEY in keys,
        carried=tuple(a for a in review.actions if not a.done) + missing,
        to_carry_in=len(missing),
    )


def split_attendees(text: str) -> tuple[str, ...]:
    """Attendees typed as "Ann Lee; Bo Chen" (or one per line)."""
    parts = text.replace("\n", ";").split(";")
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


@dataclass(frozen=True)
class NewAgendaItem:
    """An item of a new draft: generated from the catalogue, details already in words."""

    section: str
    text: str
    details: tuple[str, ...] = ()
    key: str = ""
    contact_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReviewWorkspace:
    """What the agenda screen shows for one review: the review, the customer's
    hours this month and before, and the incident log."""

    review: ServiceReview
    cadence: str  # the customer's review cadence
    burn: BurnDown  # this month, by the CCM's today
    earlier: tuple[HoursUsage, ...]  # the three months before, most recent first
    incidents: tuple[Incident, ...]  # newest first
