"""The customer's part of an activation checklist, as Markdown to send to
the site technical contact.

Babel formats every date and time (through the Formatter), in the site's
zone, with the zone's name beside it; nothing here reads the clock. What
users typed goes through `markdown_escape.inline`.
"""

from __future__ import annotations

from datetime import date

from ccm_tui.domain.checklist import ItemState, Owner, links_to_ip_letter
from ccm_tui.domain.checklist_views import ActivationChecklist, ChecklistLine
from ccm_tui.domain.model import ActivationStep, ServiceKind, StepKind
from ccm_tui.text.formatting import Formatter
from ccm_tui.text.markdown_escape import inline

SERVICE_NAMES = {
    ServiceKind.MRS: "Managed router service (MRS)",
    ServiceKind.MSS: "Managed security service (MSS)",
    ServiceKind.INTERNET: "Internet access",
    ServiceKind.ETHERNET: "Ethernet",
    ServiceKind.VPN: "VPN",
}
_MARKS = {ItemState.DONE: "[x]", ItemState.OPEN: "[ ]", ItemState.BLOCKED: "[ ]", ItemState.NOT_APPLICABLE: "[x]"}


def checklist_markdown(checklist: ActivationChecklist, fmt: Formatter, today: date, prepared_by: str) -> str:
    """Customer-owned items, by phase, with due dates in the site's calendar."""
    act = checklist.activation
    site = checklist.site
    zone = site.timezone
    out = [f"# Activation checklist: {inline(checklist.customer_name)}, {inline(site.name)}", ""]
    by = f" by {inline(prepared_by)}" if prepared_by else ""
    out += [
        f"Prepared{by} on {fmt.date_long(today)}. Dates and times are the site's local time ({fmt.zone_name(zone)}, {zone}).",
        "",
        "| | |",
        "| --- | --- |",
        f"| Customer | {inline(checklist.customer_name)} (account {inline(checklist.account_number)}) |",
        f"| Site | {inline(_site_line(checklist))} |",
        f"| Service | {SERVICE_NAMES[act.service]}, order {inline(checklist.order_number)} |",
    ]
    for step in act.steps:
        out.append(f"| {step.kind.label} | {_window(step, zone, fmt)} |")
    contact = checklist.technical_contact
    if contact is not None:
        reach = " · ".join(p for p in (contact.phone, contact.email) if p)
        out.append(f"| For | {inline(contact.name)}, site technical contact{' · ' + inline(reach) if reach else ''} |")
    if act.service.managed:
        sent = act.ip_letter_sent_on
        out.append(f"| IP configuration letter | {'sent on ' + fmt.date_long(sent) if sent else 'not sent yet'} |")
    ready = checklist.readiness
    out += [f"| Readiness | {ready.done} of {ready.required} steps done (yours and ours) |", ""]
    yours = [line for line in checklist.shown() if line.item.owner is Owner.CUSTOMER]
    if not yours:
        out += ["There are no checklist items for you on this activation yet.", ""]
        return "\n".join(out)
    out += [
        "Please finish each item by its date. Items marked **required** must be done for the "
        "activation to go ahead: if you are not ready on the day, a cancellation fee is charged "
        "per site, and billing starts at the customer commitment date "
        f"({fmt.date_long(checklist.ccd)}) whether or not the service is live.",
        "",
    ]
    for phase in checklist.phases:
        lines = [line for line in yours if line.item.phase is phase]
        if lines:
            out += [f"## {phase.label}", ""]
            out += [_item(line, checklist, fmt) for line in lines]
            out.append("")
    return "\n".join(out)


def _item(line: ChecklistLine, checklist: ActivationChecklist, fmt: Formatter) -> str:
    item = line.item
    text = inline(item.text)
    if item.state is ItemState.NOT_APPLICABLE:
        text = f"~~{text}~~ (not applicable)"
    parts = [f"- {_MARKS[item.state]} {text}"]
    if line.due is not None:
        parts.append(f"by {fmt.date_long(line.due)}")
    elif item.due_business_days:
        step = "installation" if item.phase.step is StepKind.INSTALLATION else "activation"
        parts.append(f"{item.due_business_days} business days before the {step} (date to be agreed)")
    if item.blocking:
        parts.append("**required**")
    if line.overdue:
        parts.append("**overdue**")
    if item.state is ItemState.BLOCKED:
        parts.append("**blocked**")
    result = " — ".join(parts)
    if links_to_ip_letter(item.text) and checklist.activation.ip_letter_sent_on is not None:
        result += f"\n  - The letter was sent on {fmt.date_long(checklist.activation.ip_letter_sent_on)}."
    if item.note:
        result += f"\n  - Note: {inline(item.note)}"
    return result


def _window(step: ActivationStep, zone: str, fmt: Formatter) -> str:
    status = step.status.label_for(step.kind)
    if step.start is None:
        return f"not scheduled yet ({status})"
    day = fmt.date_long(fmt.local(step.start, zone).date())
    until = f" to {fmt.time_in(step.end, zone)}" if step.end is not None else ""
    return f"{day}, {fmt.time_in(step.start, zone)}{until} ({status})"


def _site_line(checklist: ActivationChecklist) -> str:
    site = checklist.site
    return ", ".join(p for p in (site.name, site.address, site.city, site.country) if p)
