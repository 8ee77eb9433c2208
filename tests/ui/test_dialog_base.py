"""The dialog base turns a failed save into words in one place: a field's message under it,
a store's or a rule's refusal in the banner, a busy book as a note while the save retries.

A harness app with one form, whose save raises what the test hands it; then the fee
dialog, whose panel and save button are there at its first paint, and which shows the
store's new figures when the cut-off passes while it is open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Button, Input, Select, Static

from ccm_tui.app import CcmApp
from ccm_tui.clock import FixedClock
from ccm_tui.domain.action_rules import ActionRefused
from ccm_tui.domain.fee_guard import Initiator
from ccm_tui.domain.model import Region, StepKind, StepStatus
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.domain.status import Action, IllegalMove, allowed_actions
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.errors import BookBusy, StaleEdit
from ccm_tui.screens.base import BUSY_NOTE
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.screens.fee_guard_dialog import FeeGuardDialog
from ccm_tui.screens.review_dialogs import EditorDialog
from ccm_tui.services import Services
from tests.pilot_helpers import settle, wait_until

FIELDS = (FormField("name", "Name"), FormField("city", "City"))


class Harness(App[None]):
    """One form over an empty screen; `save` is the test's."""

    def __init__(self, make: Callable[[Callable[[dict[str, str]], object]], FormDialog[Any]], save: Callable[[], object]) -> None:
        super().__init__()
        self.make, self.save = make, save
        self.results: list[object] = []
        self.dialog: FormDialog[Any] | None = None

    def on_mount(self) -> None:
        self.dialog = self.make(lambda values: self.save())
        self.push_screen(self.dialog, self.results.append)


def form(save: Callable[[dict[str, str]], object]) -> FormDialog[Any]:
    return FormDialog("A form", FIELDS, {"name": "Acme", "city": "Leeds"}, save)


def shown(dialog: FormDialog[Any], selector: str) -> str:
    widget = dialog.query_one(selector, Static)
    return str(widget.render()) if widget.display and widget.has_class("-shown") else ""


async def saved_once(pilot, app: Harness) -> FormDialog[Any]:  # type: ignore[no-untyped-def]
    await settle(pilot)
    assert app.dialog is not None
    await pilot.press("ctrl+s")
    await settle(pilot)
    return app.dialog


async def test_a_field_error_shows_under_its_field_and_an_unknown_one_in_the_banner() -> None:
    def save() -> object:
        raise InvalidInput({"city": "no such city", "action": "not now"})

    app = Harness(form, save)
    async with app.run_test() as pilot:
        dialog = await saved_once(pilot, app)
        assert app.screen is dialog and app.results == []
        assert shown(dialog, "#error-city") == "no such city" and shown(dialog, "#error-name") == ""
        assert shown(dialog, "#form-banner") == "not now"
        assert app.focused is dialog.query_one("#field-city", Input)
        assert dialog.query_one("#field-city", Input).value == "Leeds"  # the input stays


@pytest.mark.parametrize(
    "refusal",
    [
        StaleEdit("customer", 7),
        IllegalMove(StepKind.ACTIVATION, StepStatus.COMPLETED, Action.CONFIRM),
        ActionRefused("the MRS is not signed yet"),
    ],
    ids=["stale edit", "illegal move", "rule refusal"],
)
async def test_a_store_or_rule_refusal_shows_in_the_banner(refusal: Exception) -> None:
    def save() -> object:
        raise refusal

    app = Harness(form, save)
    async with app.run_test() as pilot:
        dialog = await saved_once(pilot, app)
        assert app.screen is dialog and app.results == []
        assert shown(dialog, "#form-banner") == str(refusal)
        assert shown(dialog, "#error-name") == "" and shown(dialog, "#error-city") == ""


async def test_a_busy_book_is_noted_in_the_banner_and_the_save_goes_through_when_it_frees() -> None:
    tries, free = [], threading.Event()

    def save() -> object:
        tries.append(1)
        if len(tries) == 1:
            raise BookBusy()
        free.wait(10)  # the second try holds until the test has seen the note
        return "saved"

    app = Harness(form, save)
    async with app.run_test() as pilot:
        await settle(pilot)
        dialog = app.dialog
        assert dialog is not None
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: shown(dialog, "#form-banner") == BUSY_NOTE, "the book-busy note")
        assert dialog.query_one("#form-banner").has_class("-busy")
        free.set()
        await settle(pilot)
        assert app.results == ["saved"] and len(tries) == 2


async def test_an_editors_minutes_error_shows_under_its_text_area() -> None:
    """The validators call the editor's body "minutes" or "details": the field knows its other names."""

    def save() -> object:
        raise InvalidInput({"minutes": "say what was agreed"})

    app = Harness(lambda save: EditorDialog("Minutes", save, body_label="What was agreed"), save)
    async with app.run_test() as pilot:
        dialog = await saved_once(pilot, app)
        assert shown(dialog, "#error-body") == "say what was agreed" and shown(dialog, "#form-banner") == ""


# -- the fee dialog ------------------------------------------------------------------------


class FirstPaint(FeeGuardDialog):
    """Notes what the dialog holds when it is first mounted, before any handler of its own runs."""

    at_mount: tuple[str, str] | None = None

    def on_mount(self) -> None:
        panels = self.query("#fee-panel")
        panel = str(panels.first(Static).render()) if panels else ""
        self.at_mount = (panel, str(self.query_one("#form-save", Button).label))


async def test_the_fee_panel_and_the_fee_are_there_at_the_first_paint(demo_app: CcmApp, demo_services: Services) -> None:
    monday = demo_services.calendar.day(date(2026, 11, 23), CalendarFilter()).events
    event = next(e for e in monday if e.region is Region.NORTH_AMERICA and e.facts.late)
    detail = demo_services.calendar.detail(event.activation.id)
    step = next(s for s in detail.activation.steps if s.id == event.step.id)
    guard, versions = demo_services.calendar.quote(step.id, Action.RESCHEDULE)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        dialog = FirstPaint(demo_services, detail, step, Action.RESCHEDULE, guard, versions)
        demo_app.push_screen(dialog)
        await wait_until(pilot, lambda: dialog.at_mount is not None, "the dialog's mount")
        assert dialog.at_mount is not None
        panel, button = dialog.at_mount
        assert "LATE CHANGE" in panel and "pick who asked" in button
        children = list(dialog.query_one("#form-banner").parent.children)  # type: ignore[union-attr]
        assert [c.id for c in children[1:3]] == ["fee-panel", "form-banner"]  # under the title, above the banner


async def test_a_cutoff_that_passes_while_the_dialog_is_open_shows_the_fee_and_a_second_save_confirms_it(
    demo_app: CcmApp, demo_services: Services
) -> None:
    tuesday = demo_services.calendar.day(date(2026, 11, 24), CalendarFilter()).events
    event = next(
        e
        for e in tuesday
        if e.region is Region.NORTH_AMERICA
        and not e.facts.late
        and Action.RESCHEDULE in allowed_actions(e.step.kind, e.step.status)
    )
    detail = demo_services.calendar.detail(event.activation.id)
    step = next(s for s in detail.activation.steps if s.id == event.step.id)
    guard, versions = demo_services.calendar.quote(step.id, Action.RESCHEDULE)  # Friday: in good time
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        dialog = FeeGuardDialog(demo_services, detail, step, Action.RESCHEDULE, guard, versions)
        demo_app.push_screen(dialog)
        await settle(pilot, demo_app)
        dialog.query_one("#field-initiator", Select).value = Initiator.CUSTOMER.value
        dialog.query_one("#field-day", Input).value = "2026-11-30"
        dialog.query_one("#field-reason", Input).value = "Customer asked: the room is not ready"
        await settle(pilot, demo_app)
        assert "no fee" in str(dialog.query_one("#form-save", Button).label)
        assert event.start is not None
        demo_services.clock = FixedClock(event.start - timedelta(hours=6))  # the CCM took their time: now it is late
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        assert "cut-off passed while you were deciding" in shown(dialog, "#form-banner")
        assert "LATE CHANGE" in str(dialog.query_one("#fee-panel", Static).render())
        assert "Reschedule, fee $" in str(dialog.query_one("#form-save", Button).label)
        assert demo_services.calendar.detail(event.activation.id).history == detail.history  # nothing written yet
        await pilot.press("ctrl+s")  # the new figures, confirmed
        await settle(pilot, demo_app)
        assert demo_app.screen is not dialog
    newest = demo_services.calendar.detail(event.activation.id).history[0]
    assert newest.action == "reschedule" and newest.fee is not None and newest.fee.amount > 0
