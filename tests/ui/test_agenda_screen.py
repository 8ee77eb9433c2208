"""Pilot flows on the service-review agenda: keys in, the database checked after."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import and_, func, or_, select
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Select, Static, TextArea

from ccm_tui.app import CcmApp
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.review_agenda import ReviewAgendaScreen
from ccm_tui.screens.review_dialogs import ConfirmDialog, EditorDialog, PickDialog
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import (
    ActionItemRow,
    AgendaItemRow,
    ContactRow,
    CustomerRow,
    IncidentRow,
    ServiceReviewRow,
)
from ccm_tui.widgets.agenda_list import AgendaList
from tests.pilot_helpers import settle, wait_until

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _no_animation(demo_app: CcmApp) -> None:
    # Pilot waits for every animation after each key; these flows test data, not motion.
    demo_app.animation_level = "none"


async def type_into(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press(char if char != " " else "space")


def due_customer(services: Services) -> int:
    """A customer whose firewall review is due and who has a contact to review."""
    overdue = TODAY - timedelta(days=91)
    with read_session(services.engine) as session:
        return session.scalars(
            select(CustomerRow.id)
            .join(ContactRow, ContactRow.customer_id == CustomerRow.id)
            .where(
                CustomerRow.firewall_reviewed_on < TODAY - timedelta(days=93),
                or_(ContactRow.last_reviewed.is_(None), ContactRow.last_reviewed < overdue),
            )
            .order_by(CustomerRow.id)
        ).first()


def draft_items(services: Services, customer_id: int) -> list[AgendaItemRow]:
    with read_session(services.engine) as session:
        return list(
            session.scalars(
                select(AgendaItemRow)
                .join(ServiceReviewRow, ServiceReviewRow.id == AgendaItemRow.review_id)
                .where(ServiceReviewRow.customer_id == customer_id, ServiceReviewRow.status == "draft")
                .order_by(AgendaItemRow.position)
            ).all()
        )


async def open_quarterly(pilot, app: CcmApp, customer_id: int) -> ReviewAgendaScreen:  # type: ignore[no-untyped-def]
    """The palette's route: prepare a review for the customer, type quarterly, today."""
    app.prepare_review(customer_id)
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, FormDialog)
    assert dialog.query_one("#field-held_on", Input).value == TODAY.isoformat()
    dialog.query_one("#field-kind", Select).value = "quarterly"
    await pilot.press("ctrl+s")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ReviewAgendaScreen) and screen.workspace is not None
    return screen


async def test_key_4_lists_the_reviews_due_and_enter_prepares_one(demo_app: CcmApp, demo_services: Services) -> None:
    due, _ = demo_services.agenda.reviews_due()
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("4")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, ReviewAgendaScreen) and screen.mode == "due"
        summary = str(screen.query_one("#agenda-summary", Static).render())
        assert f"{len(due)} reviews due" in summary
        await pilot.press("enter")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-kind", Select).value == due[0].kind.value  # from the cadence
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen and screen.mode == "draft"
        assert screen.workspace is not None and screen.workspace.review.customer_id == due[0].customer_id
        shown = screen.query_one(AgendaList)
        assert shown.option_count > len(screen.workspace.review.items)  # items and their section headings
    items = draft_items(demo_services, due[0].customer_id)
    assert items and all(i.key for i in items)
    assert any(i.details for i in items), "the agenda is filled with the customer's facts"


async def test_edit_an_agenda_hold_the_meeting_and_complete_it(demo_app: CcmApp, demo_services: Services) -> None:
    customer_id = due_customer(demo_services)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        screen = await open_quarterly(pilot, demo_app, customer_id)
        first, second = draft_items(demo_services, customer_id)[:2]
        # move the first item down and back up
        await pilot.press("J")
        await settle(pilot, demo_app)
        assert [i.id for i in draft_items(demo_services, customer_id)[:2]] == [second.id, first.id]
        await pilot.press("K")
        await settle(pilot, demo_app)
        assert [i.id for i in draft_items(demo_services, customer_id)[:2]] == [first.id, second.id]
        # add an item of our own: refused without text, then saved
        await pilot.press("a")
        await settle(pilot, demo_app)
        editor = demo_app.screen
        assert isinstance(editor, EditorDialog)
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is editor and "item is required" in str(editor.query_one("#error-text", Static).render())
        editor.query_one("#field-text", Input).value = "New SD-WAN option"
        editor.query_one("#field-body", TextArea).text = "asked about it on the last call"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        added = [i for i in draft_items(demo_services, customer_id) if i.text == "New SD-WAN option"]
        assert len(added) == 1 and added[0].key == "" and added[0].details == "asked about it on the last call"
        assert added[0].section == first.section  # the section of the item the cursor was on
        assert screen.query_one(AgendaList).current_item().id == added[0].id  # type: ignore[union-attr]
        # edit it
        await pilot.press("e")
        await settle(pilot, demo_app)
        editor = demo_app.screen
        assert isinstance(editor, EditorDialog)
        editor.query_one("#field-text", Input).value = "SD-WAN: a proposal by December"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        # remove it: the confirmation names it; n keeps it, y removes it
        await pilot.press("d")
        await settle(pilot, demo_app)
        confirm = demo_app.screen
        assert isinstance(confirm, ConfirmDialog) and "SD-WAN: a proposal by December" in str(confirm.body)
        await pilot.press("n")
        await settle(pilot, demo_app)
        assert any(i.text == "SD-WAN: a proposal by December" for i in draft_items(demo_services, customer_id))
        await pilot.press("d")
        await settle(pilot, demo_app)
        await pilot.press("y")
        await settle(pilot, demo_app)
        await pilot.press("home")
        items = draft_items(demo_services, customer_id)
        assert not any("SD-WAN" in i.text for i in items)
        assert [i.position for i in items] == list(range(1, len(items) + 1))

        # -- then hold the meeting with it and complete the review
        review = screen.workspace.review  # type: ignore[union-attr]
        listed = {cid for item in review.items for cid in item.contact_ids}
        assert listed, "the agenda lists the contacts due for review"
        assert any(i.key == "firewall_rule_review" for i in review.items)
        await pilot.press("m")
        await settle(pilot, demo_app)
        assert screen.mode == "meeting"
        # minutes on the first item: enter opens them in a meeting
        await pilot.press("enter")
        await settle(pilot, demo_app)
        editor = demo_app.screen
        assert isinstance(editor, EditorDialog)
        editor.query_one("#field-body", TextArea).text = "Customer pleased with response times."
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        # an action item: a due date before the review is refused at the field
        await pilot.press("A")
        await settle(pilot, demo_app)
        form = demo_app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-text", Input).value = "Send the SD-WAN brochure"
        form.query_one("#field-owner", Input).value = "Alex Morgan"
        form.query_one("#field-due", Input).value = "2026-11-01"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert "before the review" in str(form.query_one("#error-due", Static).render())
        form.query_one("#field-due", Input).value = "2026-11-27"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        # complete: the confirmation says what will be marked and carried
        await pilot.press("c")
        await settle(pilot, demo_app)
        confirm = demo_app.screen
        assert isinstance(confirm, ConfirmDialog)
        body = str(confirm.body)
        assert "the firewall rules" in body and "Send the SD-WAN brochure" in body
        with read_session(demo_services.engine) as session:
            names = set(session.scalars(select(ContactRow.name).where(ContactRow.id.in_(listed))).all())
        assert all(f"contact {name}" in body for name in names)
        await pilot.press("y")
        await settle(pilot, demo_app)
        assert screen.mode == "past"
        # read-only now: keys that write say so and change nothing
        await pilot.press("a")
        await settle(pilot, demo_app)
        assert not isinstance(demo_app.screen, (EditorDialog, FormDialog))
    with read_session(demo_services.engine) as session:
        stored = session.get(ServiceReviewRow, review.id)
        assert stored.status == "completed" and stored.completed_at is not None  # type: ignore[union-attr]
        reviewed = dict(session.execute(select(ContactRow.id, ContactRow.last_reviewed).where(ContactRow.id.in_(listed))).all())
        customer = session.get(CustomerRow, customer_id)
        minutes = session.scalars(
            select(AgendaItemRow.minutes).where(AgendaItemRow.review_id == review.id, AgendaItemRow.minutes != "")
        ).all()
        actions = session.scalars(select(ActionItemRow.text).where(ActionItemRow.review_id == review.id)).all()
    assert set(reviewed.values()) == {TODAY}, "every contact the agenda listed is marked reviewed on the review date"
    assert customer.firewall_reviewed_on == TODAY and customer.monitoring_reviewed_on == TODAY  # type: ignore[union-attr]
    assert minutes == ["Customer pleased with response times."]
    assert "Send the SD-WAN brochure" in actions


async def test_export_then_open_a_past_review_read_only(demo_app: CcmApp, demo_services: Services, tmp_path: Path) -> None:
    customer_id = due_customer(demo_services)
    target = tmp_path / "agenda.md"
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        screen = await open_quarterly(pilot, demo_app, customer_id)
        await pilot.press("x")
        await settle(pilot, demo_app)
        form = demo_app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-path", Input).value = str(tmp_path / "missing" / "agenda.md")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert "does not exist" in str(form.query_one("#error-path", Static).render())
        form.query_one("#field-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen
        # a past review: the first in the list is today's draft, the next a completed one
        await pilot.press("p")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, PickDialog)
        await pilot.press("down", "enter")
        await settle(pilot, demo_app)
        assert screen.mode == "past" and screen.workspace is not None and screen.workspace.review.read_only
        past = screen.workspace.review
        await pilot.press("M")
        await pilot.press("d")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen
        assert "COMPLETED" in str(screen.query_one("#agenda-summary", Static).render())
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Quarterly review: ") and "## Configuration management" in text
    with read_session(demo_services.engine) as session:
        assert session.get(ServiceReviewRow, past.id).version == past.version  # type: ignore[union-attr]


async def test_find_a_customer_with_slash_or_the_palette(demo_app: CcmApp, demo_services: Services) -> None:
    with read_session(demo_services.engine) as session:
        name, customer_id = session.execute(select(CustomerRow.name, CustomerRow.id).order_by(CustomerRow.sort_name)).first()  # type: ignore[misc]
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("4")
        await settle(pilot, demo_app)
        await pilot.press("slash")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, PickDialog)
        await type_into(pilot, name[:8].lower())
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog) and name in dialog.form_title
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ReviewAgendaScreen)
        # the palette's "Prepare review for ..." reaches the same set-up
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(demo_app.screen, CommandPalette), "the command palette to open")
        await type_into(pilot, f"review {name[:6]}")
        await settle(pilot, demo_app)  # the palette searches in a worker and a thread
        hits = demo_app.screen.query_one(CommandList)
        assert hits.option_count and "Prepare review for" in str(hits.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, FormDialog) and name in demo_app.screen.form_title
    with read_session(demo_services.engine) as session:
        drafts = session.scalar(
            select(func.count())
            .select_from(ServiceReviewRow)
            .where(and_(ServiceReviewRow.customer_id == customer_id, ServiceReviewRow.status == "draft"))
        )
    assert drafts == 0, "cancelling the set-up makes no draft"


async def test_log_and_close_an_incident(demo_app: CcmApp, demo_services: Services) -> None:
    customer_id = due_customer(demo_services)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await open_quarterly(pilot, demo_app, customer_id)
        await pilot.press("right_square_bracket", "right_square_bracket")  # the Incidents tab
        await settle(pilot, demo_app)
        await pilot.press("a")
        await settle(pilot, demo_app)
        form = demo_app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-summary", Input).value = "Router at the head office rebooted"
        form.query_one("#field-severity", Select).value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ReviewAgendaScreen)
        with read_session(demo_services.engine) as session:
            logged = session.scalars(select(IncidentRow).where(IncidentRow.summary == "Router at the head office rebooted")).one()
        assert logged.closed_at is None and logged.severity == 2
        await pilot.press("home", "enter")  # the newest, ours, is first
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, demo_app)
    with read_session(demo_services.engine) as session:
        assert session.get(IncidentRow, logged.id).closed_at is not None  # type: ignore[union-attr]


async def test_back_on_key_4_the_reviews_due_are_read_again_only_when_the_book_moved(
    demo_app: CcmApp, demo_services: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from ccm_tui.domain.checklist_views import UpcomingQuery

    reads: list[int] = []
    real = demo_services.agenda.reviews_due

    def counted(limit: int = 200):  # type: ignore[no-untyped-def]
        reads.append(limit)
        return real(limit)

    monkeypatch.setattr(demo_services.agenda, "reviews_due", counted)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("4")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ReviewAgendaScreen) and len(reads) == 1
        await pilot.press("1")
        await settle(pilot, demo_app)
        await pilot.press("4")
        await settle(pilot, demo_app)
        assert len(reads) == 1  # nothing changed: the list on screen is the book's
        await pilot.press("1")
        await settle(pilot, demo_app)
        # a change anywhere in the book (here a checklist item, through its service): read again
        row = demo_services.checklists.upcoming(UpcomingQuery(limit=1)).rows[0]
        line = demo_services.checklists.checklist(row.activation_id).lines[0]
        demo_services.checklists.toggle(line.item)
        await pilot.press("4")
        await settle(pilot, demo_app)
        assert len(reads) == 2
