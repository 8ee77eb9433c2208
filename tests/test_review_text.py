"""The agenda screen's words: the reviews-due line, the heading of a review, what completing it will do."""

from __future__ import annotations

from datetime import date

import pytest

from ccm_tui.domain.hours import HoursLevel
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.service_review import ActionItem, AgendaItem, CompletionPlan, ReviewStatus, ServiceReview
from ccm_tui.text.formatting import Formatter
from ccm_tui.text.review_text import completion_summary, due_summary, item_removal, review_heading

FMT = Formatter("en_US")
UNTIL = date(2026, 12, 4)
REVIEW = ServiceReview(
    1, 1, "Harbor [/] Logistics", "AC-0001", ReviewKind.QUARTERLY, date(2026, 11, 20), ReviewStatus.DRAFT, ("Ann Lee",), (), ()
)


@pytest.mark.parametrize(
    ("shown", "total", "first_line"),
    [
        (3, 3, "Reviews due now or within two weeks (by Dec 4, 2026): 3 reviews due."),
        (100, 1250, "Reviews due now or within two weeks (by Dec 4, 2026): first 100 of 1,250 reviews due."),
        (0, 0, "No reviews due in the next two weeks."),
    ],
)
def test_due_summary(shown: int, total: int, first_line: str) -> None:
    assert due_summary(shown, total, UNTIL, FMT).plain.splitlines()[0] == first_line


@pytest.mark.parametrize(
    ("mode", "state"),
    [("draft", "DRAFT"), ("meeting", "MEETING"), ("past", "COMPLETED (read-only)")],
)
def test_review_heading(mode: str, state: str) -> None:
    first, second = review_heading(REVIEW, mode, "4.5 of 10 h", HoursLevel.OK, FMT).plain.splitlines()
    assert first == f"{state} · Harbor [/] Logistics (AC-0001) · Quarterly review · Nov 20, 2026"
    keys = "enter: minutes · A: action · m: end · " if mode == "meeting" else ""
    assert second == f"{keys}Hours: 4.5 of 10 h · Attendees: Ann Lee"


def test_completion_lists_what_is_marked_and_carried() -> None:
    carried = tuple(ActionItem(i, 1, f"Action {i}", owner="Bo" if i == 1 else "") for i in range(1, 11))
    plan = CompletionPlan(contacts=("Ann Lee",), firewall=True, monitoring=False, carried=carried, to_carry_in=2)
    text = completion_summary(REVIEW, plan, FMT).plain
    assert "  contact Ann Lee\n  the firewall rules\n" in text and "monitoring" not in text
    assert "  Action 1 (Bo)\n  Action 2 (no owner)" in text
    assert "Action 9" not in text and "\n  and 2 more\n(2 of them come from the last review and are added now.)" in text


def test_removing_an_item_warns_of_what_goes_with_it() -> None:
    item = AgendaItem(1, 1, 1, "Service", "Open incidents", minutes="Agreed", contact_ids=(4, 5))
    assert item_removal(item).plain == (
        "Open incidents\n\nIts minutes are removed with it.\n\n"
        "The 2 contacts it lists will not be marked reviewed when the review is completed."
    )
