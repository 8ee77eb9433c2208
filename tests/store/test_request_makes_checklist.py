"""Requesting a window gives the activation its checklist, in the same transaction."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from ccm_tui.domain.action_inputs import WindowInput
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import ChecklistItemRow


def items_of(services: Services, activation_id: int) -> int:
    with read_session(services.engine) as session:
        return (
            session.scalar(
                select(func.count()).select_from(ChecklistItemRow).where(ChecklistItemRow.activation_id == activation_id)
            )
            or 0
        )


def test_a_requested_window_comes_with_the_template_checklist(demo_services: Services) -> None:
    waiting, _ = demo_services.calendar.waiting()
    step = waiting[0].step
    activation_id = waiting[0].activation.id
    with write_session(demo_services.engine) as session:
        session.execute(delete(ChecklistItemRow).where(ChecklistItemRow.activation_id == activation_id))
    assert items_of(demo_services, activation_id) == 0

    start = demo_services.now() + timedelta(days=7)
    demo_services.calendar.request(step.id, step.version, WindowInput(start, start + timedelta(hours=3), "agreed"))

    service = waiting[0].activation.service
    expected = len(demo_services.checklists.templates[service].items)
    assert items_of(demo_services, activation_id) == expected > 0


def test_a_second_request_keeps_the_ticks(demo_services: Services) -> None:
    waiting, _ = demo_services.calendar.waiting()
    activation_id = waiting[0].activation.id
    before = items_of(demo_services, activation_id)
    step = waiting[0].step
    start = demo_services.now() + timedelta(days=7)
    demo_services.calendar.request(step.id, step.version, WindowInput(start, start + timedelta(hours=3), "agreed"))
    assert items_of(demo_services, activation_id) == before
