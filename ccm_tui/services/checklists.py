"""ChecklistService: the door to activation checklists for the UI and the CLI.

It binds the templates (the shipped ones, overridden by the user's), the
fee schedule, the clock, the CCM's name and the business hours, so a screen
asks "toggle this item" and never thinks about who, when or which calendar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from ccm_tui import locations
from ccm_tui.data_files import (
    ChecklistTemplates,
    load_checklist_templates,
    load_fee_schedule,
)
from ccm_tui.domain.checklist import (
    ChecklistChange,
    ChecklistItem,
    ChecklistTemplate,
    ItemState,
    toggled,
)
from ccm_tui.domain.checklist_input import validate_adhoc_item, validate_block_note
from ccm_tui.domain.checklist_views import (
    ActivationChecklist,
    UpcomingPage,
    UpcomingQuery,
)
from ccm_tui.domain.fees import FeeSchedule, FeeScheduleError
from ccm_tui.domain.model import ServiceKind
from ccm_tui.domain.readiness import Readiness
from ccm_tui.store import (
    activation_checklist,
    checklist_readiness,
    checklist_upcoming,
    checklists,
)

if TYPE_CHECKING:
    from ccm_tui.services import Services


class ChecklistService:
    def __init__(self, services: Services) -> None:
        self._services = services

    # -- data files --------------------------------------------------------------
    @cached_property
    def loaded_templates(self) -> ChecklistTemplates:
        return load_checklist_templates(locations.user_checklists_dir())

    @property
    def templates(self) -> Mapping[ServiceKind, ChecklistTemplate]:
        return self.loaded_templates.templates

    @property
    def template_warnings(self) -> tuple[str, ...]:
        """Broken user files (file, line, problem): the UI notifies, the CLI prints to stderr."""
        _ = self.fee_schedule  # its warning, if any, joins the templates'
        return self.loaded_templates.warnings + self._fee_warnings

    @cached_property
    def fee_schedule(self) -> FeeSchedule:
        """The user's fee schedule, or the shipped one (with a warning) if the user's is broken."""
        self._fee_warnings: tuple[str, ...] = ()
        try:
            return load_fee_schedule(locations.config_dir() / "fees.toml")
        except FeeScheduleError as error:
            self._fee_warnings = (f"{error}; the shipped fee schedule is used",)
            return load_fee_schedule()

    # -- reading -----------------------------------------------------------------
    def readiness_for(self, activation_ids: Sequence[int]) -> dict[int, Readiness]:
        s = self._services
        return checklist_readiness.readiness_for(s.engine, activation_ids, s.now(), s.business_hours)

    def upcoming(self, query: UpcomingQuery, *, with_total: bool = True) -> UpcomingPage:
        """Upcoming activations, risks first; or, with `query.recent`, the recently activated.

        `with_total=False` skips counting the upcoming (ask `upcoming_total` after the rows show).
        """
        s = self._services
        if query.recent:
            return checklist_upcoming.recent_page(s.engine, query, s.now(), s.business_hours)
        return checklist_upcoming.upcoming_page(
            s.engine, query, s.now(), s.business_hours, self.fee_schedule, with_total=with_total
        )

    def upcoming_total(self, query: UpcomingQuery) -> int:
        return checklist_upcoming.count_upcoming(self._services.engine, query.text, self._services.now())

    def checklist(self, activation_id: int) -> ActivationChecklist:
        s = self._services
        return activation_checklist.activation_checklist(s.engine, activation_id, s.now(), s.business_hours, self.fee_schedule)

    def history(self, item_id: int) -> list[ChecklistChange]:
        return checklists.item_history(self._services.engine, item_id)

    # -- making ------------------------------------------------------------------
    def create_checklist(self, activation_id: int) -> int:
        return checklists.create_checklist(self._services.engine, activation_id, self.templates)

    # -- changing items ----------------------------------------------------------
    def toggle(self, item: ChecklistItem) -> ChecklistItem:
        return self._set(item, toggled(item.state), "")

    def block(self, item: ChecklistItem, values: Mapping[str, str]) -> ChecklistItem:
        """Validates the note (InvalidInput at the field), then blocks the item."""
        return self._set(item, ItemState.BLOCKED, validate_block_note(values))

    def not_applicable(self, item: ChecklistItem) -> ChecklistItem:
        """Not applicable, or back to open if it already was."""
        state = ItemState.OPEN if item.state is ItemState.NOT_APPLICABLE else ItemState.NOT_APPLICABLE
        return self._set(item, state, "")

    def reopen(self, item: ChecklistItem) -> ChecklistItem:
        return self._set(item, ItemState.OPEN, "")

    def add_item(self, activation_id: int, service: ServiceKind, values: Mapping[str, str]) -> ChecklistItem:
        s = self._services
        data = validate_adhoc_item(values, service)
        return checklists.add_item(s.engine, activation_id, data, s.now(), s.actor)

    def _set(self, item: ChecklistItem, state: ItemState, note: str) -> ChecklistItem:
        s = self._services
        return checklists.set_state(s.engine, item.id, item.version, state, note, s.now(), s.actor)
