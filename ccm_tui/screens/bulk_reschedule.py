"""Rescheduling several picked events at once, with one fee quote shown first.

The calendar's list shows one row per site; rows of one event (same order,
step and start) are one event here, and each event moves with every site in
it, as a single reschedule does (`CalendarService.change`). Above the form:
each event with its fee as it stands (late or in good time, per the chosen
"asked by"), the total per currency, and the picks the status machine
refuses. The new day applies to every event; start and end are each site's
own time, and left empty keep each event's own hours, so "Monday's events
to Tuesday, same times" is one form.

Before anything is written the fees are worked out again: if one moved
while the dialog was open (a cut-off passed) the panel shows the new
figures and a second ctrl+s confirms them. Then each event is changed in its
own transaction (`screens.bulk`); the dialog closes with what was done and
what was refused, and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.widget import Widget
from textual.widgets import Button, Select, Static

from ccm_tui.domain.action_inputs import WindowInput, validate_window
from ccm_tui.domain.fee_guard import FeeGuard, Initiator
from ccm_tui.domain.model import Money
from ccm_tui.domain.schedule import CalendarEvent
from ccm_tui.domain.status import Action
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.screens.bulk import Outcome, Row, apply_each, event_label
from ccm_tui.screens.dialogs.base import Failure
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.screens.fee_guard_dialog import INITIATORS
from ccm_tui.text.event_text import compact_duration

if TYPE_CHECKING:
    from ccm_tui.services import Services
    from ccm_tui.text.formatting import Formatter


@dataclass(frozen=True)
class Quoted:
    """One event to move: the row picked for it, the customer's fee guard and the versions it was judged on."""

    event: CalendarEvent
    guard: FeeGuard
    versions: dict[int, int]


class FeesChanged(ValueError):
    """A fee moved while the dialog was open (a cut-off passed): `quotes` are the new figures."""

    def __init__(self, quotes: list[Quoted]) -> None:
        super().__init__("a fee changed while you were deciding (a cut-off passed): review the new figures and confirm again")
        self.quotes = quotes


def _shown(guard: FeeGuard) -> tuple[object, ...]:
    return (guard.charged, guard.total, guard.no_schedule)


def fee_words(guard: FeeGuard, fmt: Formatter) -> Text:
    sites = len(guard.sites)
    where = f"{sites} sites, " if sites > 1 else ""
    if guard.waived is not None:
        return Text(f"{where}late, no fee: asked for by {guard.initiator.label}")
    if not guard.charged:
        left = f", cut-off in {compact_duration(guard.time_left)}" if guard.time_left is not None else ""
        return Text(f"{where}in good time{left}: no fee")
    if guard.no_schedule is not None or guard.total is None:
        return Text(f"{where}LATE: {guard.no_schedule or 'no fee schedule'}, recorded without a fee", style="bold")
    return Text(f"{where}LATE: fee {fmt.money(guard.total)}", style="bold")


def totals(guards: Iterable[FeeGuard]) -> list[Money]:
    """The fees to be charged, one total per currency."""
    sums: dict[str, Money] = {}
    for guard in guards:
        total = guard.total
        if guard.charged and total is not None:
            sums[total.currency] = sums[total.currency] + total if total.currency in sums else total
    return list(sums.values())


class BulkRescheduleDialog(FormDialog[list[Outcome]]):
    """Several events to one new day: the fees first, then who asked, the day, the hours and why."""

    DEFAULT_CSS = """
    BulkRescheduleDialog > Vertical {
        width: 96;
    }
    BulkRescheduleDialog #bulk-fees {
        height: auto;
        max-height: 12;
        overflow-y: auto;
        padding: 0 0 1 0;
    }
    """
    SHOWN_ERRORS: ClassVar[tuple[type[Exception], ...]] = (*FormDialog.SHOWN_ERRORS, FeesChanged)

    def __init__(self, services: Services, quotes: Sequence[Quoted], refused: Sequence[Outcome] = ()) -> None:
        self.calendar_services = services
        self.quotes = list(quotes)
        self.refused = list(refused)
        self.initiator: Initiator | None = None
        fields = (
            FormField("initiator", "Asked by", "select", placeholder="Who asked for this change?", options=INITIATORS),
            FormField("day", "New day", placeholder="YYYY-MM-DD, tomorrow, fri, +3d"),
            FormField("start", "Start", placeholder="HH:MM, each site's time (empty: keep each one's)"),
            FormField("end", "End", placeholder="HH:MM (empty: keep each one's)"),
            FormField("reason", "Reason", placeholder="why (kept in each activation's history)"),
        )
        count = len(self.quotes)
        super().__init__(f"Reschedule {count} events", fields, {}, self._change, focus="initiator")

    # -- the panel and the save button follow the quotes and who asked -------------------------
    def guards(self) -> list[FeeGuard]:
        who = self.initiator or Initiator.CUSTOMER
        return [q.guard.asked_by(who) for q in self.quotes]

    def compose_head(self) -> Iterable[Widget]:
        yield Static(self._panel(), id="bulk-fees")

    def _panel(self) -> Text:
        fmt = self.host.formatter
        text = Text()
        for quoted, guard in zip(self.quotes, self.guards(), strict=True):
            text.append(f"{event_label(quoted.event, fmt)}\n    ")
            text.append_text(fee_words(guard, fmt))
            text.append("\n")
        sums = totals(self.guards())
        if sums:
            text.append("Fees in all: " + ", ".join(fmt.money(m) for m in sums), style="bold reverse")
            text.append("\n")
            if self.initiator is None:
                text.append("The fees are the customer's: a change the provider asks for costs nothing.\n", style="dim")
        else:
            text.append("No fee for any of them.\n", style="bold")
        if self.refused:
            text.append(f"Left as they are ({len(self.refused)}):\n", style="bold")
            for outcome in self.refused:
                text.append(f"  {outcome.label}: {outcome.refused}\n")
        text.rstrip()
        return text

    def save_label(self) -> str:
        count = len(self.quotes)
        if self.initiator is None:
            return f"Reschedule {count} (pick who asked)"
        sums = totals(self.guards())
        if not sums:
            return f"Reschedule {count}, no fee (ctrl+s)"
        return f"Reschedule {count}, fees {', '.join(self.host.formatter.money(m) for m in sums)} (ctrl+s)"

    def cancel_label(self) -> str:
        return "Back (esc)"

    def _show_quotes(self) -> None:
        self.query_one("#bulk-fees", Static).update(self._panel())
        self.query_one("#form-save", Button).label = self.save_label()

    @on(Select.Changed, "#field-initiator")
    def _initiator_picked(self, event: Select.Changed) -> None:
        self.initiator = None if event.select.is_blank() else Initiator(str(event.value))
        self._show_quotes()

    def failure(self, error: Exception) -> Failure:
        if isinstance(error, FeesChanged):
            self.quotes = error.quotes
            self._show_quotes()
        return super().failure(error)

    # -- saving (in the form's worker) ------------------------------------------------------------
    def _change(self, raw: dict[str, str]) -> list[Outcome]:
        services = self.calendar_services
        now = services.now()
        errors: dict[str, str] = {}
        initiator = Initiator(raw["initiator"]) if raw.get("initiator") else None
        if initiator is None:
            errors["initiator"] = "who asked for this change? Only the customer's late change is charged"
        reason = (raw.get("reason") or "").strip()
        if not reason:
            errors["reason"] = "say why (kept in each activation's history)"
        if bool((raw.get("start") or "").strip()) != bool((raw.get("end") or "").strip()):
            errors["end" if raw.get("start") else "start"] = "give both start and end, or neither (each keeps its hours)"
        windows = self._windows(raw, now, errors)  # every field's error at once
        if errors:
            raise InvalidInput(errors)
        assert initiator is not None
        self._check_fees(initiator)
        calendar = services.calendar
        rows = []
        for quoted, guard in zip(self.quotes, self.guards(), strict=True):
            step = quoted.event.step

            def write(step_id: int = step.id, q: Quoted = quoted, g: FeeGuard = guard) -> object:
                window = windows[step_id]
                return calendar.change(
                    step_id, q.versions, Action.RESCHEDULE, g, initiator=initiator, window=window, reason=reason
                )

            rows.append(Row(str(step.id), event_label(quoted.event, self.host.formatter), write))
        return self.refused + apply_each(rows, self._busy)

    def _busy(self) -> None:
        self.app.call_from_thread(self._if_open, self.show_busy)

    def _windows(self, raw: dict[str, str], now: datetime, errors: dict[str, str]) -> dict[int, WindowInput]:
        """Each event's new window in its site's time; an event that cannot move there says so at the field."""
        windows: dict[int, WindowInput] = {}
        fmt = self.host.formatter
        found: dict[str, list[tuple[str, str]]] = {}  # field -> (event, message)
        for quoted in self.quotes:
            event = quoted.event
            zone = ZoneInfo(event.site.timezone)
            values = {"day": raw.get("day", ""), "start": raw.get("start", ""), "end": raw.get("end", "")}
            if not values["start"].strip() and event.step.end is not None:
                values["start"] = f"{event.start.astimezone(zone):%H:%M}"
                values["end"] = f"{event.step.end.astimezone(zone):%H:%M}"
            try:
                window = validate_window(values, event.site.timezone, now)
            except InvalidInput as invalid:
                for name, message in invalid.errors.items():
                    found.setdefault(name, []).append((event_label(event, fmt), message))
                continue
            if (window.start, window.end) == (event.step.start, event.step.end):
                errors.setdefault("day", f"{event_label(event, fmt)} is there already; pick a new day or time")
            windows[event.step.id] = window
        for name, said in found.items():
            # the same words for every event (a day not typed, a time not a time) need no event named
            same = len({message for _, message in said}) == 1 and len(said) == len(self.quotes)
            errors.setdefault(name, said[0][1] if same else f"{said[0][1]} ({said[0][0]})")
        return windows

    def _check_fees(self, initiator: Initiator) -> None:
        """The fees again, before anything is written: one that moved is shown, never charged unseen."""
        calendar = self.calendar_services.calendar
        fresh = []
        moved = False
        for quoted in self.quotes:
            guard, versions = calendar.quote(quoted.event.step.id, Action.RESCHEDULE)
            moved |= _shown(guard.asked_by(initiator)) != _shown(quoted.guard.asked_by(initiator))
            fresh.append(replace(quoted, guard=guard, versions=versions))
        if moved:
            raise FeesChanged(fresh)
