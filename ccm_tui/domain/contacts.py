"""Keeping the contact list fresh.

The authorised contact list is reviewed with the customer; an entry not
reviewed within the interval (or never) is raised at the next service review.
"""

from __future__ import annotations

from datetime import date, timedelta

from ccm_tui.domain.model import Contact, ContactRole

REVIEW_INTERVAL_DAYS = 90


def review_due_on(last_reviewed: date) -> date:
    """The last day the entry counts as reviewed."""
    return last_reviewed + timedelta(days=REVIEW_INTERVAL_DAYS)


def is_review_overdue(last_reviewed: date | None, today: date) -> bool:
    """Never reviewed, or reviewed more than REVIEW_INTERVAL_DAYS ago."""
    return last_reviewed is None or today > review_due_on(last_reviewed)


def has_role(contact: Contact, role: ContactRole) -> bool:
    return role in contact.roles
