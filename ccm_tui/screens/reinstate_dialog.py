"""The confirm dialog before a cancelled event is reinstated.

It says, site by site, what each step was before the cancellation and what
it becomes (as it was, or unscheduled when its window has passed), and that
a cancellation fee already charged stays on record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.reinstatement import ReinstatePlan, ReinstateStep
from ccm_tui.screens.dialogs.confirm import ConfirmDialog

if TYPE_CHECKING:
    from ccm_tui.text.formatting import Formatter

REINSTATE_KEY = "i"


def reinstate_dialog(plan: ReinstatePlan, what: str, fmt: Formatter) -> ConfirmDialog:
    """`what`: the event in words ("MRS activation call, Acme")."""
    first = plan.steps[0]
    text = Text()
    if first.cancelled_at is not None:
        by = f" by {first.cancelled_by}" if first.cancelled_by else ""
        text.append(f"Cancelled {fmt.when_in(first.cancelled_at, first.site_zone)}{by}. ")
    sites = f" every site that cancellation cancelled ({len(plan.steps)})" if len(plan.steps) > 1 else ""
    text.append(f"Reinstating restores{sites}:\n")
    for step in plan.steps:
        text.append(f"· {step.site_name}: ", style="bold")
        text.append(_line(step, fmt))
        text.append("\n")
    if plan.fees:
        charged = ", ".join(f"{fmt.money(s.fee)} at {s.site_name}" for s in plan.steps if s.fee is not None)
        text.append(f"The cancellation fee ({charged}) stays on record: reinstating does not refund it.", style="bold yellow")
    else:
        text.append("No cancellation fee was charged.")
    return ConfirmDialog(f"Reinstate the cancelled {what}?", text, "Reinstate", decline="Keep it cancelled")


def _line(step: ReinstateStep, fmt: Formatter) -> str:
    window = fmt.when_in(step.start, step.site_zone) if step.start is not None else "no window"
    before = step.before.label_for(step.kind) if step.before is not None else "(no cancellation on record)"
    becomes = step.becomes
    if becomes.status is StepStatus.UNSCHEDULED and step.start is not None:  # its window has passed
        return f"was {before} for {window}, now past: back to unscheduled, to request a new window"
    if becomes.status is StepStatus.UNSCHEDULED:
        return "back to unscheduled (it had no window)"
    label = becomes.status.label_for(step.kind)
    if step.before is None:
        return f"back to {label}, {window} ({becomes.note})" if becomes.note else f"back to {label}, {window}"
    return f"back to {label}, {window}, as before the cancellation"
