"""The checklist screen's words: the list's status, and the lines over and
under an activation's checklist (who and where, what a risk would cost, the
highlighted item), and an item's history.

Rich `Text`, not markup: names and notes are shown as typed. Each panel has
a fixed height, so its lines are cut with an ellipsis rather than wrapped.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from ccm_tui.domain.checklist import ChecklistChange, ItemState, Owner, links_to_ip_letter
from ccm_tui.domain.checklist_views import RECENT_DAYS, ActivationChecklist, ChecklistLine, UpcomingPage
from ccm_tui.domain.model import StepKind
from ccm_tui.text.formatting import Formatter

STATE_WORDS = {
    ItemState.DONE: "done",
    ItemState.OPEN: "open",
    ItemState.BLOCKED: "blocked",
    ItemState.NOT_APPLICABLE: "not applicable",
}


def no_match(text: str, recent: bool) -> str:
    """What the summary says when the list is empty."""
    what = f"activation in the last {RECENT_DAYS} days" if recent else "upcoming activation"
    return f"No {what} matches '{text}'. Esc clears the filter." if text else f"No {what}."


def list_status(page: UpcomingPage, recent: bool, fmt: Formatter, whole: int | None = None) -> str:
    """The counts beside the filter, and the key that switches lists.

    `whole`: with a filter on, how many the list holds without it ("3 of 42 upcoming"; "…" while counted).
    """
    counted = "…" if page.total is None else fmt.number(page.total, 0)
    if whole is not None:
        counted += f" of {fmt.number(whole, 0)}" if whole >= 0 else " of …"
    if recent:
        return f"{fmt.number(page.at_risk, 0)} no traffic · {counted} activated · r: upcoming"
    return f"{fmt.number(page.at_risk, 0)} at risk · {counted} upcoming · r: recent"


def summary(checklist: ActivationChecklist, fmt: Formatter) -> Text:
    """Whose activation, where, which service and order; then its steps' windows."""
    act = checklist.activation
    site = checklist.site
    place = f"{site.name}, {site.city}" if site.city else site.name
    first = Text(no_wrap=True, overflow="ellipsis")
    first.append(checklist.customer_name, style="bold")
    first.append(f" ({checklist.account_number}) · {place} · {act.service.value} · order {checklist.order_number}")
    steps = []
    for step in act.steps:
        when = fmt.when_in(step.start, site.timezone) if step.start else "no window yet"
        label = "Install" if step.kind is StepKind.INSTALLATION else "Activation"
        steps.append(f"{label} {when} ({step.status.label_for(step.kind)})")
    # the number `ccm checklist` takes
    second = Text(" · ".join([f"#{act.id}", *steps]), no_wrap=True, overflow="ellipsis")
    return lines(first, second)


def letter(checklist: ActivationChecklist, fmt: Formatter) -> str:
    """The IP letter's record, shown beside the items about it."""
    sent = checklist.activation.ip_letter_sent_on
    if sent is None:
        return "no letter recorded yet"
    to = checklist.ip_letter_contact.name if checklist.ip_letter_contact else "the site technical contact"
    return f"sent {fmt.day_short(sent)} to {to}"


def risk(checklist: ActivationChecklist, today: date, fmt: Formatter) -> Text:
    """What not being ready on the day would cost, and why it is at risk (empty when it is not)."""
    cost = checklist.cost
    if not checklist.readiness.at_risk or cost is None:
        return Text("")
    total = cost.total
    dispatch = "with field dispatch" if checklist.activation.field_dispatch else "no field dispatch"
    fee = f"{fmt.money(total)} per site ({dispatch})" if total is not None else cost.no_fee_reason
    ccd = cost.ccd or checklist.ccd
    billing = "billing has run since the CCD" if ccd < today else "billing would start at the CCD"
    first = Text(no_wrap=True, overflow="ellipsis")
    first.append("RISK", style="bold red")
    first.append(f" if not ready on the day: {fee} · {billing}, {fmt.date(ccd)}")
    second = Text(checklist.readiness.risk_reason, no_wrap=True, overflow="ellipsis")
    return lines(first, second)


def item_detail(checklist: ActivationChecklist | None, line: ChecklistLine | None, fmt: Formatter, zone: str) -> Text:
    """The highlighted item in full: its note, owner, due date, state and last change."""
    if checklist is not None and not checklist.lines:
        return Text("No checklist yet: c makes it from the template for this service.", style="italic")
    if line is None or checklist is None:
        return Text("")
    item = line.item
    step = "equipment installation" if item.phase.step is StepKind.INSTALLATION else "activation event"
    days = item.due_business_days
    when = "on the day of the" if days == 0 else f"{days} business day{'s' if days != 1 else ''} before the"
    parts = [
        "customer" if item.owner is Owner.CUSTOMER else "provider",
        "blocks the event" if item.blocking else "does not block",
        f"due {fmt.day_short(line.due)} ({when} {step})" if line.due else f"due {when} {step} (no window yet)",
        STATE_WORDS[item.state] + (" and LATE" if line.overdue else ""),
    ]
    if item.updated_at is not None:
        parts.append(f"by {item.updated_by or '?'}, {fmt.when_in(item.updated_at, zone)}")
    if item.source.value == "adhoc":
        parts.append("ad-hoc")
    if links_to_ip_letter(item.text):
        parts.insert(0, f"IP letter: {letter(checklist, fmt)}")
    first = Text(item.text + (f" - {item.note}" if item.note else ""), no_wrap=True, overflow="ellipsis")
    second = Text(" · ".join(parts), no_wrap=True, overflow="ellipsis", style="dim")
    return lines(first, second)


def history_row(change: ChecklistChange, fmt: Formatter, zone: str) -> tuple[str, str, str, str]:
    """One change of an item: when, who, from which state to which, and its note."""
    before = STATE_WORDS[change.from_state] if change.from_state else "added"
    moved = f"{before} -> {STATE_WORDS[change.to_state]}" if change.from_state else "added (open)"
    return (fmt.when_in(change.at, zone), change.who, moved, change.note)


def lines(*parts: Text) -> Text:
    """Lines that are cut with an ellipsis rather than wrapped: the panel's height is fixed."""
    joined = Text("\n").join(parts)
    joined.no_wrap = True
    joined.overflow = "ellipsis"
    return joined
