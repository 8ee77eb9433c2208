"""The agenda's tables alone: reviews due by lateness, action items and incidents as typed, the cursor kept across a refill."""

from __future__ import annotations

from datetime import UTC, date, datetime

from textual.widgets import DataTable

from ccm_tui.domain.incidents import Incident, IncidentKind
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.reviews import ReviewCadence, ReviewDue
from ccm_tui.domain.service_review import ActionItem
from ccm_tui.widgets.review_tables import ActionItemsTable, IncidentsTable, ReviewsDueTable
from tests.pilot_helpers import settle
from tests.widgets.data import FMT, FRIDAY, ZONE
from tests.widgets.harness import Harness


def cells(table: DataTable[object], column: int) -> list[str]:
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


def due(customer_id: int, name: str, on: date, draft: int | None = None) -> ReviewDue:
    return ReviewDue(
        customer_id, name, f"AC-{customer_id:04}", "Ann Lee", ReviewCadence.MONTHLY, None, None, on, ReviewKind.MONTHLY, draft
    )


async def test_reviews_due_say_how_late_and_keep_typed_names() -> None:
    table = ReviewsDueTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 20)) as pilot:
        table.show(
            [
                due(1, "Harbor [/] Logistics", date(2026, 11, 17)),
                due(2, "Cedar Health", FRIDAY, draft=9),
                due(3, "Dune Foods", date(2026, 11, 24)),
            ],
            FRIDAY,
        )
        await settle(pilot)
        assert cells(table, 0) == ["3 d late", "today", "Tue, Nov 24"]
        assert cells(table, 1)[0] == "Harbor [/] Logistics"  # as typed, not read as markup
        assert cells(table, 2) == ["monthly", "monthly (draft)", "monthly"]
        assert cells(table, 3) == ["never"] * 3


ACTIONS = (
    ActionItem(1, 1, "Send the [x] report", owner="Bo", due=date(2026, 11, 18)),
    ActionItem(2, 1, "Renew the contract", done=True, carried_from_id=7),
)


async def test_action_items_mark_done_carried_and_overdue_and_keep_the_cursor() -> None:
    table = ActionItemsTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(120, 20)) as pilot:
        table.show(ACTIONS, FRIDAY)
        await pilot.press("down")
        table.show(ACTIONS, FRIDAY)  # saved: the same actions again
        await settle(pilot)
        assert table.cursor_row == 1
        assert cells(table, 0) == ["[ ]", "[x]"]
        assert cells(table, 1) == ["Send the [x] report", "Renew the contract (carried)"]
        assert cells(table, 3)[0].endswith(" OVERDUE") and cells(table, 2) == ["Bo", "-"]
        table.show((), FRIDAY)
        await settle(pilot)
        assert cells(table, 1) == ["No action items yet: A adds one"]


async def test_incidents_show_open_or_when_closed_in_the_ccms_days() -> None:
    opened = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    table = IncidentsTable(FMT, ZONE)
    app = Harness(table)
    async with app.run_test(size=(120, 20)) as pilot:
        table.show(
            [
                Incident(1, 1, IncidentKind.INCIDENT, 2, "Link [down]", opened),
                Incident(2, 1, IncidentKind.ESCALATION, 1, "Slow DNS", opened, closed_at=datetime(2026, 11, 21, 2, 0, tzinfo=UTC)),
            ]
        )
        await settle(pilot)
        assert cells(table, 3) == ["OPEN", "closed Fri, Nov 20"]  # 02:00 UTC is still the 20th in New York
        assert cells(table, 4) == ["Link [down]", "Slow DNS"]
        assert cells(table, 2) == ["S2", "S1"]
        table.show([])
        await settle(pilot)
        assert cells(table, 4) == ["No incidents logged: a logs one"]
