"""The fee guard: reschedule, cancel or "customer not ready", with the cost
shown before anything is saved.

Above the form: whether the change is late (less than one business day
before the start in the site's calendar), the cut-off in the site's time
and the time left to it (or since), the region's fees with and without
field dispatch, the fee per site and the total for a multi-site event, in
the user's locale. A region without a schedule says so and the change may
go ahead without a fee. A reschedule or cancellation first asks who asked
for it: only the customer's late change is charged, a provider's change
(scheduling team, field resource, the CCM) is free and needs a reason;
the panel and the save button follow the choice. If the cut-off passes
while the dialog is open, saving is refused, the panel shows the new
figures and a second ctrl+s confirms them.

The window fields live here too: the request dialog shares them, and
`SiteTimeForm`, the form for a site's day and time (the request and
traffic dialogs, and this one): under the time it names the site's zone,
with its abbreviation on the day typed (CET in winter, CEST in summer), and
the time in the CCM's own zone, so the CCM knows whose 9:00 it is. The
day's words (`tomorrow`, `fri`) count from the site's today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from ccm_tui.domain.action_inputs import parse_clock, validate_window
from ccm_tui.domain.calendar import SiteCalendar, add_business_days
from ccm_tui.domain.fee_guard import FeeChanged, FeeGuard, Initiator
from ccm_tui.domain.fields import typed_day
from ccm_tui.domain.model import ActivationStep, Money, StepKind
from ccm_tui.domain.schedule import ActivationDetail
from ccm_tui.domain.site_time import LocalTime, site_instant
from ccm_tui.domain.status import Action
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.screens.dialogs.base import Failure
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.text.event_text import compact_duration

if TYPE_CHECKING:
    from ccm_tui.services import Services
    from ccm_tui.text.formatting import Formatter

VERBS = {Action.RESCHEDULE: "Reschedule", Action.CANCEL: "Cancel the event", Action.NOT_READY: "Customer not ready"}
INITIATORS = (
    ("The customer (a late change is charged)", Initiator.CUSTOMER.value),
    ("Scheduling team (provider: no fee)", Initiator.SCHEDULING.value),
    ("Field resource (provider: no fee)", Initiator.FIELD.value),
    ("The CCM (provider: no fee)", Initiator.CCM.value),
)


def zone_help(services: Services, zone: str) -> str:
    abbreviation = services.now().astimezone(ZoneInfo(zone)).strftime("%Z")
    return f"site time, {zone} ({abbreviation})"


def site_today(services: Services, zone: str) -> date:
    """The site's date now: a site's date field counts its words (`tomorrow`) from it."""
    return services.now().astimezone(ZoneInfo(zone)).date()


def zone_line(fmt: Formatter, zone: str, your_zone: str, now: datetime, day: date | None, clock: time | None) -> str:
    """'site time, Europe/Berlin · CET; yours 3:00 AM EST': the zone on `day`, and that time in the CCM's zone.

    Without a day (not typed yet, or not a date) the zone is named as it is now; without a time, or at
    a wall time the site's clocks skip (its field says so on saving), as it is at noon that day.
    """
    at, exact = now, False
    if day is not None:
        try:
            at, exact = site_instant(LocalTime(datetime.combine(day, clock or time(12))), zone), clock is not None
        except ValueError:
            at = site_instant(LocalTime(datetime.combine(day, time(12))), zone)
    line = f"site time, {fmt.zone_at(zone, at)}"
    if not exact:
        return line
    yours = fmt.local(at, your_zone)
    if yours.utcoffset() == fmt.local(at, zone).utcoffset():
        return f"{line}; your time too"
    return f"{line}; yours {fmt.time_in(at, your_zone) if yours.date() == day else fmt.when_in(at, your_zone)}"


class SiteTimeForm(FormDialog[object]):
    """A form with a site's `day` and a time field: the site's zone (and the CCM's time) shows under the time."""

    def __init__(
        self,
        services: Services,
        zone: str,
        title: str,
        fields: Sequence[FormField],
        values: dict[str, str],
        save: Callable[[dict[str, str]], object],
        *,
        time_field: str = "start",
        lead: str = "",
        banner: str = "",
    ) -> None:
        super().__init__(title, fields, values, save, banner=banner, focus=fields[0].name, today=site_today(services, zone))
        self.site_services = services
        self.site_zone = zone
        self.time_field = time_field
        self.lead = lead  # what the time is, before the zone ("when traffic first passed")

    def on_mount(self) -> None:
        self._show_zone()

    @on(Input.Changed)
    def _site_time_typed(self, event: Input.Changed) -> None:
        if event.input.id in ("field-day", f"field-{self.time_field}"):
            self._show_zone()

    def _show_zone(self) -> None:
        helps = self.query(f"#help-{self.time_field}")
        if not helps:
            return  # a cancellation: no day or time
        values = self.values()
        day = clock = None
        try:
            day = typed_day(values.get("day", "").strip(), "day", self.dates_today())
            clock = parse_clock(values.get(self.time_field, "").strip(), "time")
        except ValueError:
            pass
        services = self.site_services
        line = zone_line(self.host.formatter, self.site_zone, services.settings.time_zone, services.now(), day, clock)
        helps.first(Static).update(f"{self.lead}, {line}" if self.lead else line)


def window_fields(services: Services, zone: str, reason_label: str = "Note") -> tuple[FormField, ...]:
    return (
        FormField("day", "Day", "date", placeholder="YYYY-MM-DD"),
        FormField("start", "Start", placeholder="HH:MM", help=zone_help(services, zone)),
        FormField("end", "End", placeholder="HH:MM (before the start: the next day)"),
        FormField("reason", reason_label, placeholder="why (kept in the history)"),
    )


def default_window(services: Services, detail: ActivationDetail, step: ActivationStep) -> dict[str, str]:
    """The step's own window if it has one, else 09:00-12:00 two business days out (site time)."""
    zone = detail.site.timezone
    if step.start is not None and step.end is not None:
        start, end = step.start.astimezone(ZoneInfo(zone)), step.end.astimezone(ZoneInfo(zone))
        return {"day": start.date().isoformat(), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    cal = SiteCalendar(zone, detail.site.country, services.business_hours, detail.site.subdivision)
    day = add_business_days(services.now().astimezone(ZoneInfo(zone)).date(), 2, cal)
    return {"day": day.isoformat(), "start": "09:00", "end": "12:00" if step.kind is StepKind.ACTIVATION else "13:00"}


def guard_text(guard: FeeGuard, fmt: Formatter, zone: str, your_zone: str) -> Text:
    """The panel: lateness, cut-off and time left, fees per site and total."""
    text = Text()
    # the site's zone by name beside its time: "EST" or "IST" alone does not say whose 9:00 it is
    start = f"{fmt.when_in(guard.start, zone)} in {zone} ({fmt.time_in(guard.start, your_zone)} yours)"
    text.append(f"Starts {start}\n")
    if guard.action is Action.NOT_READY:
        text.append("Customer not ready during the event: the fee is charged per site.\n", style="bold")
    elif guard.cutoff is not None and guard.time_left is not None:
        cutoff = fmt.when_in(guard.cutoff, zone)
        if guard.late:
            ago = compact_duration(-guard.time_left)
            text.append("LATE CHANGE", style="bold reverse")
            text.append(f": the cut-off was {cutoff}, {ago} ago.\n", style="bold")
        else:
            text.append("In good time", style="bold")
            text.append(f": the cut-off is {cutoff}, {compact_duration(guard.time_left)} from now.\n")
    if guard.region_fees is not None:
        fees = guard.region_fees
        with_dispatch = fmt.money(Money(fees.with_dispatch, fees.currency))
        without = fmt.money(Money(fees.without_dispatch, fees.currency))
        text.append(f"{guard.region.label}: {with_dispatch} per site with field dispatch, {without} without.\n", style="dim")
    if guard.waived is not None:
        asked = f"asked for by {guard.initiator.label}; " if guard.initiator.provider else ""
        text.append("No fee", style="bold")
        text.append(f": {asked}{guard.waived}.")
        return text
    if not guard.charged:
        text.append("No fee: the change is in good time.", style="bold")
        return text
    if guard.no_schedule is not None:
        text.append(f"{guard.no_schedule}", style="bold reverse")
        text.append(": the change can go ahead, recorded without a fee.", style="bold")
        return text
    for site in guard.sites:
        fee = guard.fee_for(site.site_id)
        dispatch = "field dispatch" if site.field_dispatch else "no dispatch"
        amount = fmt.money(fee) if fee is not None else "no fee (in good time here)"
        text.append(f"  {site.site_name[:34]:<34} {dispatch:<15} {amount:>14}\n")
    total = guard.total
    if total is not None and len(guard.sites) > 1:
        sites = len(guard.fees)
        label = f"Total for {sites} site{'s' if sites != 1 else ''}"
        text.append(f"  {label:<50} {fmt.money(total):>14}", style="bold")
    text.rstrip()  # in place: Rich's Text.rstrip returns None
    return text


def button_label(guard: FeeGuard | None, action: Action, fmt: Formatter, *, asked: bool = True) -> str:
    verb = VERBS[action]
    if not asked:
        free = guard is None or not guard.late
        return f"{verb}, no fee (pick who asked)" if free else f"{verb} (pick who asked)"
    if guard is None or not guard.charged:
        return f"{verb}, no fee (ctrl+s)"
    if guard.total is None:
        return f"{verb} without a fee (ctrl+s)"
    return f"{verb}, fee {fmt.money(guard.total)} (ctrl+s)"


class FeeGuardDialog(SiteTimeForm):
    """The form with the fee guard panel above its fields; it holds the quote it was opened with."""

    DEFAULT_CSS = """
    FeeGuardDialog #fee-panel {
        padding: 0 0 1 0;
        height: auto;
    }
    """
    SHOWN_ERRORS: ClassVar[tuple[type[Exception], ...]] = (*FormDialog.SHOWN_ERRORS, FeeChanged)

    def __init__(
        self,
        services: Services,
        detail: ActivationDetail,
        step: ActivationStep,
        action: Action,
        guard: FeeGuard | None,
        versions: dict[int, int],
    ) -> None:
        self.calendar_services = services
        self.detail = detail
        self.step = step
        self.change = action
        self.quoted = guard  # the customer's guard; `guard` is what the chosen initiator would record
        self.guard = guard
        self.initiator: Initiator | None = Initiator.CUSTOMER if action is Action.NOT_READY else None
        self.versions = versions
        zone = detail.site.timezone
        sites = len(guard.sites) if guard is not None else 1
        where = detail.site.name if sites == 1 else f"{sites} sites"
        title = f"{VERBS[action]}: {detail.activation.service.value} {step.kind.label.lower()}, {detail.customer.name}, {where}"
        reason = FormField("reason", "Reason", placeholder="why (kept in the history)")
        asked_by = FormField("initiator", "Asked by", "select", placeholder="Who asked for this change?", options=INITIATORS)
        if action is Action.RESCHEDULE:
            fields: tuple[FormField, ...] = (asked_by, *window_fields(services, zone, "Reason"))
            values = default_window(services, detail, step)
        elif action is Action.CANCEL:
            fields = (asked_by, reason)
            values = {}
        else:
            fields = (reason,)
            values = {}
        super().__init__(services, zone, title, fields, values, self._change)

    # -- the panel and the save button follow the quote and who asked -------------------------
    def compose_head(self) -> Iterable[Widget]:
        yield Static(self._panel(), id="fee-panel")

    def save_label(self) -> str:
        asked = self.initiator is not None or self.quoted is None
        return button_label(self.guard, self.change, self.host.formatter, asked=asked)

    def cancel_label(self) -> str:
        return "Back (esc)"

    def _panel(self) -> Text:
        if self.guard is None:
            return Text("This step has no window yet: cancelling it costs nothing.")
        your_zone = self.calendar_services.settings.time_zone
        text = guard_text(self.guard, self.host.formatter, self.detail.site.timezone, your_zone)
        if self.initiator is None and self.guard.charged:
            text.append("\nThe fee is the customer's: a change the provider asks for costs nothing.", style="dim")
        return text

    def _show_guard(self) -> None:
        self.query_one("#fee-panel", Static).update(self._panel())
        self.query_one("#form-save", Button).label = self.save_label()

    @on(Select.Changed, "#field-initiator")
    def _initiator_picked(self, event: Select.Changed) -> None:
        self.initiator = None if event.select.is_blank() else Initiator(str(event.value))
        if self.quoted is not None:
            self.guard = self.quoted.asked_by(self.initiator or Initiator.CUSTOMER)
        self._show_guard()

    def failure(self, error: Exception) -> Failure:
        if isinstance(error, FeeChanged):
            # The cut-off passed while the dialog was open: the store's figures replace the quote,
            # the banner says so, and a second ctrl+s confirms them.
            if error.guard.initiator is Initiator.CUSTOMER:
                self.quoted = error.guard
            self.guard = error.guard
            self._show_guard()
        return super().failure(error)

    def _change(self, raw: dict[str, str]) -> object:
        services = self.calendar_services
        reason = (raw.get("reason") or "").strip()
        errors: dict[str, str] = {}
        initiator = Initiator.CUSTOMER
        if self.change is not Action.NOT_READY:
            if not raw.get("initiator"):
                errors["initiator"] = "who asked for this change? Only the customer's late change is charged"
            else:
                initiator = Initiator(raw["initiator"])
        if not reason:
            who = f"a change asked for by {initiator.label} is free but" if initiator.provider else "it"
            errors["reason"] = f"say why: {who} needs a reason (kept in the activation's history)"
        window = None
        if self.change is Action.RESCHEDULE:
            try:
                window = validate_window(raw, self.detail.site.timezone, services.now())
            except InvalidInput as invalid:
                errors = {**invalid.errors, **errors}
            else:
                if (window.start, window.end) == (self.step.start, self.step.end):
                    errors["day"] = "that is the window it has now; pick the new day and time"
        if errors:
            raise InvalidInput(errors)
        services.calendar.change(
            self.step.id, self.versions, self.change, self.guard, initiator=initiator, window=window, reason=reason
        )
        return True
