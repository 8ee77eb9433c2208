"""The agenda screen's words: its heading, the reviews-due line, and what a
confirmation says before an item, an action, an incident or the whole review
is changed for good.

Rich `Text`, not markup: names, items and summaries are shown as typed.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from ccm_tui.domain.hours import HoursLevel
from ccm_tui.domain.incidents import Incident
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.service_review import ActionItem, AgendaItem, CompletionPlan, ReviewHeader, ServiceReview
from ccm_tui.text.agenda_text import KIND_TITLES
from ccm_tui.text.formatting import Formatter

KIND_WORDS = {
    ReviewKind.MONTHLY: "Monthly review",
    ReviewKind.QUARTERLY: "Quarterly review",
    ReviewKind.EXECUTIVE: "Executive review",
}
LEVEL_STYLE = {HoursLevel.OK: "", HoursLevel.NEAR: "bold yellow", HoursLevel.OVER: "bold red"}
CARRIED_SHOWN = 8  # open actions listed by name before "and N more"


def due_summary(shown: int, total: int, until: date, fmt: Formatter) -> Text:
    """The line above the reviews due: how many, and the keys that act on them."""
    if not shown:
        return Text("No reviews due in the next two weeks.\n/ finds a customer to prepare one.")
    count = (
        f"{fmt.number(total, 0)} reviews due"
        if shown == total
        else f"first {fmt.number(shown, 0)} of {fmt.number(total, 0)} reviews due"
    )
    return Text.assemble(
        ("Reviews due", "bold"),
        f" now or within two weeks (by {fmt.date(until)}): {count}.\n",
        ("enter", "bold"),
        " prepares the review; ",
        ("/", "bold"),
        " finds any customer.",
    )


def review_heading(review: ServiceReview, mode: str, hours: str, level: HoursLevel, fmt: Formatter) -> Text:
    """Two lines over a review: its state, customer, kind and date; then hours and attendees."""
    completed = f" {fmt.date(review.completed_at.date())}" if review.completed_at else ""
    state = {
        "draft": ("DRAFT", "bold"),
        "meeting": ("MEETING", "bold reverse"),
        "past": (f"COMPLETED{completed} (read-only)", "bold"),
    }[mode]
    first = Text.assemble(
        state,
        " · ",
        (review.customer_name, "bold"),
        f" ({review.account_number}) · {KIND_WORDS[review.kind]} · {fmt.date(review.held_on)}",
    )
    second = Text()
    if mode == "meeting":
        second.append("enter: minutes · A: action · m: end · ", style="bold")
    second.append("Hours: ")
    second.append(hours, style=LEVEL_STYLE[level])
    second.append(" · Attendees: " + ("; ".join(review.attendees) if review.attendees else "none yet (w adds them)"))
    return Text("\n", no_wrap=True, overflow="ellipsis").join([first, second])


def completion_summary(review: ServiceReview, plan: CompletionPlan, fmt: Formatter) -> Text:
    """What completing the review records and carries, said before the CCM confirms."""
    body = Text()
    body.append(f"{KIND_TITLES[review.kind]} of {review.customer_name}, {fmt.date(review.held_on)}. ")
    body.append("It becomes read-only.\n\n")
    body.append("Marked reviewed on the review date:\n", style="bold")
    marked = [f"  contact {name}" for name in plan.contacts]
    if plan.firewall:
        marked.append("  the firewall rules")
    if plan.monitoring:
        marked.append("  the monitoring")
    body.append("\n".join(marked) if marked else "  nothing", style="" if marked else "dim")
    body.append("\n\nOpen actions carried to the next review:\n", style="bold")
    carried = [f"  {a.text} ({a.owner or 'no owner'})" for a in plan.carried]
    body.append("\n".join(carried[:CARRIED_SHOWN]) if carried else "  none", style="" if carried else "dim")
    if len(carried) > CARRIED_SHOWN:
        body.append(f"\n  and {len(carried) - CARRIED_SHOWN} more")
    if plan.to_carry_in:
        body.append(f"\n({plan.to_carry_in} of them come from the last review and are added now.)", style="dim")
    return body


def item_removal(item: AgendaItem) -> Text:
    """What removing an agenda item takes with it."""
    body = Text(item.text, style="bold")
    if item.minutes.strip():
        body.append("\n\nIts minutes are removed with it.", style="bold red")
    if item.contact_ids:
        body.append(f"\n\nThe {len(item.contact_ids)} contacts it lists will not be marked reviewed when the review is completed.")
    return body


def action_removal(action: ActionItem) -> Text:
    body = Text(f"{action.text}\n\n")
    body.append(
        "It is removed from this review."
        if not action.carried_from_id
        else "It was carried from an earlier review: mark it done (space) instead."
    )
    return body


def incident_closing(incident: Incident) -> Text:
    return Text(f"S{incident.severity} · {incident.summary}\n\nIt is closed now; the time is kept in its history.")


def past_review_label(header: ReviewHeader, fmt: Formatter) -> str:
    state = "completed, read-only" if header.read_only else "draft"
    return f"{fmt.date(header.held_on)} · {KIND_TITLES[header.kind]} · {state}"
