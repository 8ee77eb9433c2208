"""Pilot flows on the checklist screen (key 3): keys in, database checked after."""

from __future__ import annotations

import os
from datetime import UTC
from pathlib import Path

from sqlalchemy import func, select
from textual.widgets import Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.checklist import ItemState, Owner
from ccm_tui.domain.checklist_views import UpcomingQuery
from ccm_tui.screens.checklist import ChecklistScreen
from ccm_tui.screens.checklist_history import ItemHistoryScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ChecklistChangeRow, ChecklistItemRow
from ccm_tui.widgets.checklist_table import ChecklistTable
from ccm_tui.widgets.upcoming_table import UpcomingTable
from tests.pilot_helpers import settle


async def open_checklist(pilot, app: CcmApp) -> ChecklistScreen:  # type: ignore[no-untyped-def]
    await settle(pilot, app)
    await pilot.press("3")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ChecklistScreen)
    return screen


async def highlight(pilot, app: CcmApp, screen: ChecklistScreen, wanted) -> int:  # type: ignore[no-untyped-def]
    """Focus the checklist and put its cursor on the first line `wanted(line)` accepts; the item id."""
    table = screen.query_one(ChecklistTable)
    table.focus()
    row = next(i for i, e in enumerate(table._entries) if hasattr(e, "item") and wanted(e))
    table.move_cursor(row=row)
    await settle(pilot, app)
    line = table.current()
    assert line is not None
    return line.item.id


def item_row(services: Services, item_id: int) -> ChecklistItemRow:
    with read_session(services.engine) as session:
        row = session.get(ChecklistItemRow, item_id)
        assert row is not None
        return row


def changes(services: Services, item_id: int) -> list[ChecklistChangeRow]:
    with read_session(services.engine) as session:
        return list(
            session.scalars(
                select(ChecklistChangeRow).where(ChecklistChangeRow.item_id == item_id).order_by(ChecklistChangeRow.id)
            )
        )


async def test_key_3_leads_with_the_risks(demo_app: CcmApp, demo_services: Services) -> None:
    expected = demo_services.checklists.upcoming(UpcomingQuery(limit=5))
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        table = screen.query_one(UpcomingTable)
        first = table.current()
        assert first is not None and first.activation_id == expected.rows[0].activation_id
        assert first.readiness.at_risk
        assert f"{expected.at_risk} at risk" in str(screen.query_one("#checklist-status", Static).render())
        assert screen.checklist is not None and screen.checklist.activation.id == first.activation_id
        assert "RISK" in str(screen.query_one("#checklist-risk", Static).render())


async def test_space_n_and_o_change_the_item_and_keep_history(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        item_id = await highlight(pilot, demo_app, screen, lambda line: line.item.state is ItemState.OPEN)
        await pilot.press("space")
        await settle(pilot, demo_app)
        row = item_row(demo_services, item_id)
        assert (row.state, row.updated_by, row.version) == ("done", "Alex Morgan", 2)
        await pilot.press("space")
        await settle(pilot, demo_app)
        assert item_row(demo_services, item_id).state == "open"
        await pilot.press("n")
        await settle(pilot, demo_app)
        assert item_row(demo_services, item_id).state == "not_applicable"
        await pilot.press("o")
        await settle(pilot, demo_app)
        assert item_row(demo_services, item_id).state == "open"
        await pilot.press("h")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ItemHistoryScreen)
        await pilot.press("escape")
    history = changes(demo_services, item_id)
    moves = [(c.from_state, c.to_state) for c in history]
    assert moves == [("open", "done"), ("done", "open"), ("open", "not_applicable"), ("not_applicable", "open")]
    assert {c.who for c in history} == {"Alex Morgan"}
    assert history[0].at == demo_services.now().astimezone(UTC).replace(tzinfo=None)


async def test_block_needs_a_note(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        item_id = await highlight(pilot, demo_app, screen, lambda line: line.item.state is ItemState.OPEN)
        await pilot.press("b")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog, "a block without a note must stay open"
        assert "waiting for" in str(dialog.query_one("#error-note", Static).render())
        assert item_row(demo_services, item_id).state == "open"
        dialog.query_one("#field-note", Input).value = "Landlord approves the riser on Tuesday"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ChecklistScreen)
    row = item_row(demo_services, item_id)
    assert (row.state, row.note) == ("blocked", "Landlord approves the riser on Tuesday")
    assert changes(demo_services, item_id)[-1].note == "Landlord approves the riser on Tuesday"


async def test_add_an_adhoc_item(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        activation_id = screen.checklist.activation.id  # type: ignore[union-attr]
        await pilot.press("a")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-text", Input).value = "Parking permit for the technician's van"
        dialog.query_one("#field-due_business_days", Input).value = "forty"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        assert "whole number" in str(dialog.query_one("#error-due_business_days", Static).render())
        dialog.query_one("#field-due_business_days", Input).value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ChecklistScreen)
        texts = [line.item.text for line in screen.checklist.lines]  # type: ignore[union-attr]
        assert "Parking permit for the technician's van" in texts
    with read_session(demo_services.engine) as session:
        row = session.scalars(
            select(ChecklistItemRow).where(ChecklistItemRow.text.startswith("Parking permit for the technician"))
        ).one()
    assert (row.activation_id, row.source, row.owner, row.due_offset_days, row.blocking) == (
        activation_id,
        "adhoc",
        "customer",
        2,
        False,
    )


async def test_clearing_the_overdue_items_clears_the_risk(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        activation_id = screen.checklist.activation.id  # type: ignore[union-attr]
        before = demo_services.checklists.upcoming(UpcomingQuery()).at_risk
        while screen.checklist is not None and screen.checklist.readiness.at_risk:
            await highlight(
                pilot, demo_app, screen, lambda line: line.overdue and line.item.owner is Owner.CUSTOMER and line.item.blocking
            )
            await pilot.press("space")
            await settle(pilot, demo_app)
        assert demo_services.checklists.readiness_for([activation_id])[activation_id].at_risk is False
        page = demo_services.checklists.upcoming(UpcomingQuery())
        assert page.at_risk == before - 1
        assert activation_id not in [r.activation_id for r in page.rows[: page.at_risk]]
        listed = screen.query_one(UpcomingTable)
        assert listed.current() is not None and listed.current().activation_id == activation_id  # the cursor followed it
        assert not listed.current().readiness.at_risk  # type: ignore[union-attr]


async def test_filter_and_recent(demo_app: CcmApp, demo_services: Services) -> None:
    target = demo_services.checklists.upcoming(UpcomingQuery()).rows[-1]
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        await pilot.press("slash", *target.account_number.lower())
        await settle(pilot, demo_app)
        table = screen.query_one(UpcomingTable)
        assert {r.customer_id for r in table._rows} == {target.customer_id}
        await pilot.press("escape")
        await settle(pilot, demo_app)
        await pilot.press("r")
        await settle(pilot, demo_app)
        assert table.recent and table.loaded > 0
        assert "activated" in str(screen.query_one("#checklist-status", Static).render())
        assert screen.checklist is not None and screen.checklist.activated


async def test_broken_user_template_is_reported_and_the_screen_still_works(demo_app: CcmApp) -> None:
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "ccm" / "checklists"
    folder.mkdir(parents=True)
    item = 'phase = "lunch"\ntext = "x"\nowner = "customer"\ndue_business_days = 1\nblocking = true\n'
    (folder / "mrs.toml").write_text(f'service = "MRS"\nversion = 1\n[[items]]\n{item}', encoding="utf-8")
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        messages = [n.message for n in demo_app._notifications]
        assert any(f"{folder / 'mrs.toml'}, line 4: item 1, phase" in m for m in messages), messages
        assert screen.query_one(UpcomingTable).loaded > 0


async def test_palette_reaches_the_screens_actions(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        titles = {command.title for command in demo_app.get_system_commands(screen)}
    assert {"Pre-activation checklist", "Checklist: mark done", "Checklist: block item", "Checklist: add item"} <= titles


async def test_book_and_checklist_agree_on_risk(demo_app: CcmApp, demo_services: Services) -> None:
    from ccm_tui.domain.book import BookQuery

    page = demo_services.checklists.upcoming(UpcomingQuery())
    risky_customers = {r.customer_id for r in page.rows[: page.at_risk]}
    book = demo_services.book.book_page(BookQuery(limit=500))
    assert {row.customer_id for row in book.rows if row.not_ready_risk} == risky_customers
    with read_session(demo_services.engine) as session:
        assert session.scalar(select(func.count()).select_from(ChecklistItemRow)) > 0


async def test_c_makes_a_missing_checklist_from_its_template(demo_app: CcmApp, demo_services: Services) -> None:
    from ccm_tui.store.engine import write_session

    page = demo_services.checklists.upcoming(UpcomingQuery())
    first = page.rows[page.at_risk]  # not at risk, so it stays where it is without items
    with write_session(demo_services.engine) as session:
        session.execute(ChecklistItemRow.__table__.delete().where(ChecklistItemRow.activation_id == first.activation_id))  # type: ignore[attr-defined]
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        screen.query_one(UpcomingTable).move_cursor(row=page.at_risk)
        await settle(pilot, demo_app)
        assert screen.checklist is not None and screen.checklist.activation.id == first.activation_id
        assert screen.checklist.lines == ()
        assert "c makes it" in str(screen.query_one("#checklist-detail", Static).render())
        await pilot.press("c")
        await settle(pilot, demo_app)
        made = len(demo_services.checklists.templates[first.service].items)
        assert screen.checklist is not None and len(screen.checklist.lines) == made
    with read_session(demo_services.engine) as session:
        count = session.scalar(
            select(func.count()).select_from(ChecklistItemRow).where(ChecklistItemRow.activation_id == first.activation_id)
        )
    assert count == made


async def test_back_on_key_3_the_list_is_read_again_only_when_the_book_moved(
    demo_app: CcmApp, demo_services: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    reads: list[UpcomingQuery] = []
    real = demo_services.checklists.upcoming

    def counted(query: UpcomingQuery, **kwargs: bool):  # type: ignore[no-untyped-def]
        reads.append(query)
        return real(query, **kwargs)

    monkeypatch.setattr(demo_services.checklists, "upcoming", counted)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(pilot, demo_app)
        at_risk = demo_services.checklists.upcoming(UpcomingQuery()).at_risk
        read = len(reads)
        await pilot.press("1")
        await settle(pilot, demo_app)
        await pilot.press("3")
        await settle(pilot, demo_app)
        assert len(reads) == read  # nothing changed: the rows on screen are the book's
        assert f"{at_risk} at risk" in str(screen.query_one("#checklist-status", Static).render())
        # Away on key 1, the top risk's overdue customer items are done (this session, through the
        # service, as another screen would): back on key 3 the list is read again and the risk is gone.
        await pilot.press("1")
        await settle(pilot, demo_app)
        assert screen.checklist is not None
        for line in screen.checklist.lines:
            if line.overdue and line.item.owner is Owner.CUSTOMER:
                demo_services.checklists.toggle(line.item)
        await pilot.press("3")
        await settle(pilot, demo_app)
        assert len(reads) == read + 1
        assert f"{at_risk - 1} at risk" in str(screen.query_one("#checklist-status", Static).render())
