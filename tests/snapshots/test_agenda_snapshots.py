"""Snapshots of the service-review agenda, at 80x24 and 120x40.

Pinned clock, locale and zone (tests/conftest.py) and the demo book for that
day. Drafts are prepared through the services before the app starts, so no
toast or dialog timing is in the picture unless the test opens one.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import or_, select
from textual.pilot import Pilot

from ccm_tui.app import CcmApp
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.review_inputs import ActionInput, ReviewSetup
from ccm_tui.domain.reviews import ReviewCadence
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ContactRow, CustomerRow
from tests.pilot_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
TODAY = date(2026, 11, 20)


def prepared(services: Services) -> int:
    """A quarterly draft for a customer with contacts and the firewall review due; its customer id."""
    with read_session(services.engine) as session:
        customer_id = session.scalars(
            select(CustomerRow.id)
            .join(ContactRow, ContactRow.customer_id == CustomerRow.id)
            .where(
                CustomerRow.firewall_reviewed_on < TODAY - timedelta(days=93),
                or_(ContactRow.last_reviewed.is_(None), ContactRow.last_reviewed < TODAY - timedelta(days=91)),
            )
            .order_by(CustomerRow.id)
        ).first()
    assert customer_id is not None
    review = services.agenda.prepare(customer_id, ReviewSetup(ReviewKind.QUARTERLY, TODAY, ReviewCadence.QUARTERLY))
    services.agenda.set_minutes(review.items[0].id, "Customer pleased with response times; asked about SD-WAN.")
    services.agenda.add_action(review.id, ActionInput("Send the SD-WAN brochure", "Alex Morgan", date(2026, 11, 27)))
    return customer_id


@pytest.mark.parametrize("size", SIZES)
class TestReviewAgenda:
    def test_reviews_due(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_draft_agenda_in_a_meeting(
        self, snap_compare, demo_app: CcmApp, demo_services: Services, size: tuple[int, int]
    ) -> None:
        customer_id = prepared(demo_services)

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            pilot.app.prepare_review(customer_id)  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press("m")
            await settle(pilot)
            pilot.app.clear_notifications()
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_hours_and_actions(self, snap_compare, demo_app: CcmApp, demo_services: Services, size: tuple[int, int]) -> None:
        customer_id = prepared(demo_services)
        # 80 columns: the Hours tab; 120: the Actions tab, with the hours beside it.
        presses = ["right_square_bracket"] * (3 if size[0] < 110 else 1)

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            pilot.app.prepare_review(customer_id)  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press(*presses)
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_completion_asks_first(self, snap_compare, demo_app: CcmApp, demo_services: Services, size: tuple[int, int]) -> None:
        customer_id = prepared(demo_services)

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            pilot.app.prepare_review(customer_id)  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)
