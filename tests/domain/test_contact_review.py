"""Contact list review: overdue after 90 days, or when never reviewed."""

from __future__ import annotations

from datetime import date

import pytest

from ccm_tui.domain.contacts import REVIEW_INTERVAL_DAYS, has_role, is_review_overdue
from ccm_tui.domain.model import Contact, ContactRole

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("last_reviewed", "expected"),
    [
        (None, True),
        (TODAY, False),
        (date(2026, 3, 17), False),  # 90 days ago: due today
        (date(2026, 3, 16), True),  # 91 days ago
        (date(2025, 6, 15), True),
    ],
    ids=["never", "today", "90-days", "91-days", "a-year"],
)
def test_is_review_overdue(last_reviewed: date | None, expected: bool) -> None:
    assert is_review_overdue(last_reviewed, TODAY) is expected


def test_interval() -> None:
    assert REVIEW_INTERVAL_DAYS == 90


@pytest.mark.parametrize(
    ("role", "expected"),
    [(ContactRole.DESIGNATED, True), (ContactRole.BILLING, True), (ContactRole.EXECUTIVE, False)],
    ids=lambda v: str(v) if isinstance(v, ContactRole) else None,
)
def test_has_role(role: ContactRole, expected: bool) -> None:
    contact = Contact(id=1, customer_id=1, name="Ada", roles=frozenset({ContactRole.DESIGNATED, ContactRole.BILLING}))
    assert has_role(contact, role) is expected
