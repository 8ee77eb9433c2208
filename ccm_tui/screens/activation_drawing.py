"""How the activation screen (screens/activation_detail.py) draws what it
read: the summary (customer, order, CCD, IP letter, where trouble goes), the
steps with their flags, the contacts an activation needs, and its history.

Column widths come from `set_columns`; below the wide layout (an 80-column
terminal) the steps drop "Next" and the history joins the change and its
details in one column.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ccm_tui.domain.model import ContactRole, StepKind, StepStatus
from ccm_tui.domain.routing import TroubleRoute
from ccm_tui.domain.schedule import ActivationDetail, CcdState, HistoryLine
from ccm_tui.domain.status import allowed_actions
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.text.event_text import change_window, hours_words
from ccm_tui.widgets.breakpoints import is_wide
from ccm_tui.widgets.table_columns import set_columns


class ActivationDrawing(ServicesMixin, Screen[None]):
    """The activation screen's summary, steps, contacts and history, each filled from `ActivationDetail`."""

    detail: ActivationDetail | None

    def _fill_summary(self, detail: ActivationDetail) -> None:
        fmt = self.app_formatter
        customer, site, order, activation = detail.customer, detail.site, detail.order, detail.activation
        text = Text()
        text.append(customer.name, style="bold")
        text.append(f" ({customer.account_number}) · {customer.region.label} · CCM {customer.ccm or '-'}\n")
        text.append(f"{activation.service.value} at {site.name}, {site.city} {site.country} · {site.timezone}\n")
        text.append(f"Order {order.number} · CCD {fmt.date(order.ccd)}")
        if detail.ccd_state is CcdState.PAST and detail.accrued is not None:
            text.append(f" · PAST CCD, accrued {fmt.money(detail.accrued)}", style="bold red")
        elif detail.ccd_state is CcdState.AT_RISK:
            text.append(" · CCD AT RISK", style="bold yellow")
        text.append(f" · field dispatch: {'yes' if activation.field_dispatch else 'no'}")
        if activation.service.managed:
            if activation.ip_letter_sent_on is not None:
                to = f" to {detail.ip_letter_contact.name}" if detail.ip_letter_contact else ""
                text.append(f"\nIP configuration letter sent {fmt.date(activation.ip_letter_sent_on)}{to}")
            else:
                text.append("\nIP configuration letter not sent yet", style="yellow")
        route = detail.facts.get(StepKind.ACTIVATION)
        if route is not None and route.route is not None:
            settings = self.app_settings
            if route.route is TroubleRoute.REPAIR_CENTER:
                text.append(f"\nTrouble now goes to the repair center {settings.repair_phone}", style="bold")
            else:
                since = "no traffic has passed yet" if activation.traffic_passed_at is None else "traffic has passed under 12 h"
                text.append(f"\nTrouble now goes to post-activation support (through the CCM): {since}", style="bold")
            if activation.traffic_passed_at is not None:
                text.append(f" · traffic since {fmt.when_in(activation.traffic_passed_at, site.timezone)}")
        after_hours = any(f.on_call and s.status.open for s in activation.steps if (f := detail.facts.get(s.kind)) is not None)
        if after_hours:
            text.append(f"\nAfter hours or weekend: on-call manager {self.app_settings.oncall_phone}", style="bold cyan")
        self.query_one("#act-summary", Static).update(text)

    def _fill_steps(self, detail: ActivationDetail, pick: StepKind | None) -> None:
        fmt = self.app_formatter
        zone = self.app_settings.time_zone
        table = self.query_one("#act-steps", DataTable)
        cursor = table.cursor_row
        wide = is_wide(self.app.size.width)
        columns = [("Step", 10), ("Site time", 24), ("Your time", 12), ("Status", 10), ("Flags", 0)]
        if wide:
            columns.append(("Next", 30))
        set_columns(table, columns, self.app.size.width)
        for step in detail.activation.steps:
            facts = detail.facts.get(step.kind)
            site_time = fmt.when_in(step.start, detail.site.timezone) if step.start else "not scheduled"
            your_time = fmt.time_in(step.start, zone) if step.start else ""
            status = Text(step.status.label_for(step.kind))
            if step.status in (StepStatus.NOT_READY, StepStatus.NO_SHOW):
                status.stylize("bold red")
            flags = []
            if facts is not None:
                flags = [change_window(facts), hours_words(facts.hours_flags)]
                if facts.reminder is not None:
                    flags.append(f"{facts.reminder.kind.business_days}-day reminder due")
            if detail.siblings.get(step.kind):
                flags.append(f"+{detail.siblings[step.kind]} sites")
            row: list[object] = [
                step.kind.short,
                site_time,
                your_time,
                status,
                Text(" · ".join(f for f in flags if f), style="yellow", no_wrap=True, overflow="ellipsis"),
            ]
            if wide:
                row.append(", ".join(a.value.replace("_", " ") for a in allowed_actions(step.kind, step.status)) or "-")
            table.add_row(*row)
        steps = detail.activation.steps
        if pick is not None:
            cursor = next((i for i, s in enumerate(steps) if s.kind is pick), 0)
        if steps:
            table.move_cursor(row=min(cursor, len(steps) - 1))

    def _fill_contacts(self, detail: ActivationDetail) -> None:
        parts = []
        for contact in detail.contacts:
            roles = [
                code
                for role, code in (
                    (ContactRole.DESIGNATED, "DES"),
                    (ContactRole.SITE_TECHNICAL, "TEC"),
                    (ContactRole.AUTHORISED, "AUT"),
                )
                if role in contact.roles
            ]
            if roles:
                parts.append(f"{contact.name} ({'/'.join(roles)}) {contact.phone}".strip())
        text = "Contacts: " + (" · ".join(parts) if parts else "none with a designated, technical or authorised role")
        self.query_one("#act-contacts", Static).update(text)

    def _fill_history(self, detail: ActivationDetail) -> None:
        fmt = self.app_formatter
        zone = self.app_settings.time_zone
        table = self.query_one("#act-history", DataTable)
        wide = is_wide(self.app.size.width)
        columns = [("When (yours)", 24), ("Change", 18), ("Fee", 10), ("Details", 0)]
        if not wide:
            columns = [("When (yours)", 24), ("Fee", 9), ("Change and details", 0)]
        set_columns(table, columns, self.app.size.width)
        for line in detail.history:
            change = f"{'Inst' if line.step_kind is StepKind.INSTALLATION else 'Act'} {line.action.replace('_', ' ')}"
            fee = fmt.money(line.fee) if line.fee else ""
            details = self._details(line)
            if wide:
                table.add_row(fmt.when_in(line.at, zone), change, fee, Text(details, no_wrap=True, overflow="ellipsis"))
            else:
                table.add_row(fmt.when_in(line.at, zone), fee, Text(f"{change}: {details}", no_wrap=True, overflow="ellipsis"))
        if not detail.history:
            table.add_row(Text("No changes recorded yet.", style="dim"), *[""] * (len(columns) - 1))

    def _details(self, line: HistoryLine) -> str:
        fmt = self.app_formatter
        parts = []
        if line.from_status is not None and line.from_status is not line.to_status:
            parts.append(f"{line.from_status.label_for(line.step_kind)}→{line.to_status.label_for(line.step_kind)}")
        elif line.from_status is None:
            parts.append(f"→{line.to_status.label_for(line.step_kind)}")
        if line.to_start is not None and line.action in ("request", "reschedule") and self.detail is not None:
            parts.append(f"for {fmt.when_in(line.to_start, self.detail.site.timezone)}")
        if line.contact_name:
            parts.append(line.contact_name)
        if line.initiator is not None and line.action in ("reschedule", "cancel") and "asked for by" not in line.reason:
            parts.append(f"asked by {line.initiator.label}")
        if line.reason:
            parts.append(line.reason)
        parts.append(f"by {line.who}")
        return "; ".join(parts)
