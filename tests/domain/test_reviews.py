"""Review cadence: when the next review is due, which kind, the "reviews due"
cut-off, and what completing a review records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.reviews import (
    ReviewCadence,
    ReviewDue,
    add_months,
    default_review_kind,
    due_cutoff,
    is_item_due,
    next_review_due,
    period_start,
)
from ccm_tui.domain.service_review import (
    ActionItem,
    AgendaItem,
    ReviewStatus,
    ServiceReview,
    completion_plan,
    split_attendees,
)

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -3, date(2025, 10, 10)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
    ],
    ids=["jan31-plus-1", "leap-feb", "into-next-year", "december", "back-into-february", "back-a-quarter", "zero"],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("last", "cadence", "expected"),
    [
        (None, ReviewCadence.MONTHLY, TODAY),
        (None, ReviewCadence.QUARTERLY, TODAY),
        (date(2026, 10, 31), ReviewCadence.MONTHLY, date(2026, 11, 30)),
        (date(2026, 9, 30), ReviewCadence.QUARTERLY, date(2026, 12, 30)),
        (date(2026, 11, 30), ReviewCadence.QUARTERLY, date(2027, 2, 28)),
    ],
    ids=["never-monthly", "never-quarterly", "month-end", "quarter", "quarter-into-february"],
)
def test_next_review_due(last: date | None, cadence: ReviewCadence, expected: date) -> None:
    assert next_review_due(last, cadence, TODAY) == expected


@given(
    last=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    by=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    cadence=st.sampled_from(list(ReviewCadence)),
)
def test_due_cutoff_agrees_with_next_review_due(last: date, by: date, cadence: ReviewCadence) -> None:
    """The SQL filter (last <= cutoff) picks exactly the customers due by `by`."""
    assert (last <= due_cutoff(cadence, by)) == (next_review_due(last, cadence, by) <= by)


@pytest.mark.parametrize(
    ("by", "cadence", "expected"),
    [
        (date(2026, 2, 28), ReviewCadence.MONTHLY, date(2026, 1, 31)),
        (date(2026, 3, 1), ReviewCadence.MONTHLY, date(2026, 2, 1)),
        (date(2026, 5, 31), ReviewCadence.QUARTERLY, date(2026, 2, 28)),
    ],
    ids=["end-of-february-takes-late-january", "first-of-march", "quarter-back-into-february"],
)
def test_due_cutoff_at_month_ends(by: date, cadence: ReviewCadence, expected: date) -> None:
    assert due_cutoff(cadence, by) == expected


@pytest.mark.parametrize(
    ("cadence", "last_quarterly", "expected"),
    [
        (ReviewCadence.QUARTERLY, date(2026, 11, 1), ReviewKind.QUARTERLY),
        (ReviewCadence.MONTHLY, None, ReviewKind.QUARTERLY),
        (ReviewCadence.MONTHLY, date(2026, 8, 20), ReviewKind.QUARTERLY),
        (ReviewCadence.MONTHLY, date(2026, 8, 21), ReviewKind.MONTHLY),
        (ReviewCadence.MONTHLY, date(2026, 10, 15), ReviewKind.MONTHLY),
    ],
    ids=["quarterly-customer", "monthly-never-quarterly", "quarter-old", "a-day-short", "recent-quarterly"],
)
def test_default_review_kind(cadence: ReviewCadence, last_quarterly: date | None, expected: ReviewKind) -> None:
    assert default_review_kind(cadence, last_quarterly, TODAY) is expected


@pytest.mark.parametrize(
    ("last", "kind", "expected"),
    [
        (date(2026, 10, 20), ReviewKind.MONTHLY, date(2026, 10, 20)),
        (None, ReviewKind.MONTHLY, date(2026, 10, 20)),
        (None, ReviewKind.QUARTERLY, date(2026, 8, 20)),
        (None, ReviewKind.EXECUTIVE, date(2026, 8, 20)),
        (TODAY, ReviewKind.MONTHLY, date(2026, 10, 20)),  # a review the same day is not "since"
    ],
    ids=["last-review", "monthly-period", "quarterly-period", "executive-period", "same-day"],
)
def test_period_start(last: date | None, kind: ReviewKind, expected: date) -> None:
    assert period_start(last, TODAY, kind) == expected


@pytest.mark.parametrize(
    ("last", "months", "expected"),
    [
        (None, 3, True),
        (date(2026, 8, 20), 3, True),
        (date(2026, 8, 21), 3, False),
        (date(2026, 5, 20), 6, True),
        (date(2026, 10, 20), 1, True),
    ],
    ids=["never", "exactly-due", "a-day-early", "half-year", "monthly"],
)
def test_is_item_due(last: date | None, months: int, expected: bool) -> None:
    assert is_item_due(last, months, TODAY) is expected


@pytest.mark.parametrize(("text", "expected"), [("monthly", ReviewCadence.MONTHLY), (" Quarterly ", ReviewCadence.QUARTERLY)])
def test_cadence_parse(text: str, expected: ReviewCadence) -> None:
    assert ReviewCadence.parse(text) is expected


def test_cadence_parse_refuses_with_the_choices() -> None:
    with pytest.raises(ValueError, match="monthly or quarterly"):
        ReviewCadence.parse("weekly")


def test_days_overdue() -> None:
    row = ReviewDue(1, "Acme", "NA-1", "Alex", ReviewCadence.MONTHLY, None, None, TODAY - timedelta(days=3), ReviewKind.MONTHLY)
    assert row.days_overdue(TODAY) == 3
    assert row.days_overdue(TODAY - timedelta(days=5)) == -2


def _review(items: tuple[AgendaItem, ...], actions: tuple[ActionItem, ...]) -> ServiceReview:
    return ServiceReview(1, 1, "Acme", "NA-1", ReviewKind.QUARTERLY, TODAY, ReviewStatus.DRAFT, (), items, actions)


def test_completion_plan_names_what_it_will_mark_and_carry() -> None:
    items = (
        AgendaItem(1, 1, 1, "Relationship", "Contacts", key="contact_management", contact_ids=(5, 6)),
        AgendaItem(2, 1, 2, "Configuration", "Firewall", key="firewall_rule_review"),
    )
    actions = (
        ActionItem(10, 1, "carried, still open", carried_from_id=3),
        ActionItem(11, 1, "new and done", done=True),
        ActionItem(12, 1, "new and open"),
    )
    last_open = (ActionItem(3, 9, "carried, still open"), ActionItem(4, 9, "not yet carried"))
    plan = completion_plan(_review(items, actions), {5: "Ann Lee", 6: "Bo Chen"}, last_open)
    assert plan.contacts == ("Ann Lee", "Bo Chen")
    assert (plan.firewall, plan.monitoring) == (True, False)
    assert [a.text for a in plan.carried] == ["carried, still open", "new and open", "not yet carried"]
    assert plan.to_carry_in == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ann Lee; Bo Chen", ("Ann Lee", "Bo Chen")),
        ("Ann Lee\nBo Chen;; ", ("Ann Lee", "Bo Chen")),
        ("Ann Lee; Ann Lee", ("Ann Lee",)),
        ("", ()),
    ],
    ids=["semicolons", "lines-and-blanks", "duplicates", "empty"],
)
def test_split_attendees(text: str, expected: tuple[str, ...]) -> None:
    assert split_attendees(text) == expected
