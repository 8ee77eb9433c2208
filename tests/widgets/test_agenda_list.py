"""AgendaList alone: sections as headings the cursor skips, items numbered, the cursor kept across a refill."""

from __future__ import annotations

from datetime import date

from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.service_review import AgendaItem, ReviewStatus, ServiceReview
from ccm_tui.widgets.agenda_list import AgendaList
from tests.pilot_helpers import settle
from tests.widgets.harness import Harness


def review(*items: AgendaItem) -> ServiceReview:
    return ServiceReview(
        1, 1, "Harbor Logistics", "AC-0001", ReviewKind.MONTHLY, date(2026, 11, 20), ReviewStatus.DRAFT, (), items, ()
    )


ITEMS = (
    AgendaItem(11, 1, 1, "Service", "Open incidents", details=("2 open",), key="incidents"),
    AgendaItem(12, 1, 2, "Service", "Changes since last time", key="changes"),
    AgendaItem(13, 1, 3, "Commercial", "Renewal", minutes="Agreed in principle"),
)


async def test_the_cursor_goes_from_item_to_item_over_the_headings() -> None:
    agenda = AgendaList()
    app = Harness(agenda)
    async with app.run_test(size=(80, 30)) as pilot:
        agenda.show(review(*ITEMS), meeting=False)
        await settle(pilot)
        assert agenda.current_item() == ITEMS[0]  # not the "Service" heading above it
        await pilot.press("down", "down")
        await settle(pilot)
        assert agenda.current_item() == ITEMS[2]  # past the "Commercial" heading


async def test_a_refill_keeps_the_item_and_an_empty_agenda_says_how_to_add_one() -> None:
    agenda = AgendaList()
    app = Harness(agenda)
    async with app.run_test(size=(80, 30)) as pilot:
        agenda.show(review(*ITEMS), meeting=False)
        await pilot.press("down")
        agenda.show(review(*ITEMS), meeting=True)  # minutes saved: the same items again
        await settle(pilot)
        assert agenda.current_item() == ITEMS[1]
        agenda.show(review(), meeting=False)
        await settle(pilot)
        assert agenda.current_item() is None and agenda.option_count == 1
        assert "No items: a adds one" in str(agenda.get_option_at_index(0).prompt)
