"""An agenda in words: its fact lines, and a whole review as Markdown.

The edge where the generator's typed facts meet babel: every date, amount
and number goes through the Formatter (the user's locale). The Markdown is
meant to be pasted into an e-mail and read as it is, unrendered; every piece
of it that users typed (or that holds what they typed, like a fact line
naming a site) goes through `markdown_escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from ccm_tui.domain.agenda import (
    Action,
    ActionsOpen,
    Agenda,
    AgendaEntry,
    Ccd,
    ContactDue,
    ContactsOverdue,
    Due,
    FactLine,
    Fee,
    FeesCharged,
    HoursByCategory,
    HoursEarlier,
    HoursThisMonth,
    IncidentEntry,
    IncidentsSince,
    IncidentTrend,
    More,
    Step,
    StepsComing,
    StepsHappened,
)
from ccm_tui.domain.hours import HoursLevel
from ccm_tui.domain.model import ContactRole, Money, ReviewKind
from ccm_tui.domain.service_review import ActionItem, NewAgendaItem, ServiceReview
from ccm_tui.text.formatting import Formatter
from ccm_tui.text.markdown_escape import inline, lines

NOTHING_TO_REPORT = "Nothing to report"
KIND_TITLES = {
    ReviewKind.MONTHLY: "Monthly service review",
    ReviewKind.QUARTERLY: "Quarterly review",
    ReviewKind.EXECUTIVE: "Executive review",
}
_FEE_ACTIONS = {"not_ready": "customer not ready", "cancel": "late cancellation", "reschedule": "late reschedule"}
_ROLE_WORDS = {
    ContactRole.DESIGNATED: "designated",
    ContactRole.SITE_TECHNICAL: "technical",
    ContactRole.AUTHORISED: "authorised",
    ContactRole.EXECUTIVE: "executive",
    ContactRole.BILLING: "billing",
}


def month_name(day: date, fmt: Formatter, short: bool = False) -> str:
    """'November 2026', or 'Nov' when short (lists of recent months need no year)."""
    return format_date(day, "LLL" if short else "LLLL y", locale=fmt.locale)


def _plural(count: int, word: str, fmt: Formatter) -> str:
    return f"{fmt.number(count, 0)} {word}{'' if count == 1 else 's'}"


def _hours(value: Decimal | int | float, fmt: Formatter) -> str:
    return f"{fmt.number(value, 2)} h"


def _moneys(amounts: Sequence[Money], fmt: Formatter) -> str:
    return " + ".join(fmt.money(m) for m in amounts)


def fact_text(fact: FactLine, fmt: Formatter) -> str:
    """One fact line as the agenda shows it."""
    match fact:
        case Due(last_covered=None):
            return "Due: never reviewed"
        case Due(last_covered=date() as last, cadence_months=months):
            return f"Due: last reviewed {fmt.date(last)} (every {_plural(months, 'month', fmt)})"
        case StepsHappened(since=since, counts=counts):
            total = sum(n for _, n in counts)
            parts = ", ".join(f"{fmt.number(n, 0)} {word}" for word, n in counts)
            return f"Since {fmt.date(since)}: {_plural(total, 'step', fmt)} ({parts})"
        case StepsComing(count=count):
            return f"Coming up: {_plural(count, 'step', fmt)} still on the calendar"
        case Step(step=step):
            when = fmt.when_in(step.start, step.zone) if step.start else "not scheduled"
            status = step.status.label_for(step.kind)
            return f"{when} · {step.kind.short} {step.service.value} · {step.site_name} · {status} · {step.order_number}"
        case FeesCharged(since=since, count=count, totals=totals):
            return f"{_plural(count, 'fee', fmt)} charged since {fmt.date(since)}: {_moneys(totals, fmt)}"
        case Fee(fee=fee):
            day = fmt.local(fee.at, fee.zone).date()
            what = _FEE_ACTIONS.get(fee.action, fee.action.replace("_", " "))
            return f"{fmt.date(day)} · {fee.site_name} · {what} ({fee.step_kind.short.lower()}) · {fmt.money(fee.fee)}"
        case Ccd(order=line):
            order = line.order
            services = "+".join(order.services)
            if line.past_ccd:
                accrued = fmt.money(Money(line.accrued, order.currency))
                return f"{order.number} ({services}): PAST its CCD of {fmt.date(order.ccd)}, {accrued} accrued so far"
            return f"{order.number} ({services}): CCD {fmt.date(order.ccd)} AT RISK"
        case HoursThisMonth(burn=burn):
            usage = burn.usage
            text = f"{month_name(usage.month, fmt)}: {_hours(usage.used, fmt)} used of {_hours(usage.package, fmt)}"
            if usage.level is HoursLevel.OVER:
                text += f", OVER by {_hours(-usage.left, fmt)}"
            else:
                text += f", {_hours(usage.left, fmt)} left"
                if usage.level is HoursLevel.NEAR:
                    text += " (near the limit)"
            if burn.projected is not None:
                text += f"; at this pace {_hours(burn.projected, fmt)} by the month's end"
                if burn.projected_level is HoursLevel.OVER and usage.level is not HoursLevel.OVER:
                    text += f", over by {_hours(burn.projected_over_by, fmt)}"
            elif burn.too_early:
                text += "; too early in the month to project"
            return text
        case HoursByCategory(hours=hours):
            return "By category: " + ", ".join(f"{c.label} {_hours(h, fmt)}" for c, h in hours)
        case HoursEarlier(months=months):
            shown = []
            for usage in months:
                flag = " (over)" if usage.level is HoursLevel.OVER else ""
                shown.append(f"{month_name(usage.month, fmt, short=True)} {_hours(usage.used, fmt)}{flag}")
            return f"Earlier months, of {_hours(months[0].package, fmt)} each: " + ", ".join(shown)
        case ContactsOverdue(count=count):
            return f"{_plural(count, 'contact', fmt)} not reviewed in the last 90 days"
        case ContactDue(contact=contact):
            roles = ", ".join(w for r, w in _ROLE_WORDS.items() if r in contact.roles)
            when = f"last reviewed {fmt.date(contact.last_reviewed)}" if contact.last_reviewed else "never reviewed"
            return f"{contact.name}{f' ({roles})' if roles else ''}: {when}"
        case IncidentsSince(kind=kind, since=since, tally=tally):
            severities = ", ".join(f"S{s} {fmt.number(n, 0)}" for s, n in enumerate(tally.by_severity, start=1) if n)
            text = f"{_plural(tally.total, kind.value, fmt)} opened since {fmt.date(since)} or still open"
            if tally.still_open:
                text += f" ({fmt.number(tally.still_open, 0)} open)"
            return f"{text}; severity {severities}"
        case IncidentTrend(kind=kind, months=months):
            parts = ", ".join(f"{month_name(m, fmt, short=True)} {fmt.number(n, 0)}" for m, n in months)
            return f"Trend, {kind.plural} opened per month: {parts}"
        case IncidentEntry(incident=incident, zone=zone):
            opened = fmt.date(fmt.local(incident.opened_at, zone).date())
            state = "OPEN" if incident.closed_at is None else f"closed {fmt.date(fmt.local(incident.closed_at, zone).date())}"
            return f"S{incident.severity} · opened {opened} · {state} · {incident.summary}"
        case ActionsOpen(review=review, count=count, overdue=overdue):
            source = f" from the review of {fmt.date(review.held_on)}" if review else ""
            late = f", {fmt.number(overdue, 0)} overdue" if overdue else ""
            return f"{_plural(count, 'open action', fmt)}{source}{late}"
        case Action(action=action, overdue=overdue):
            return action_text(action, fmt) + (" (OVERDUE)" if overdue else "")
        case More(count=count):
            return f"and {fmt.number(count, 0)} more"
    raise TypeError(f"no words for {fact!r}")


def action_text(action: ActionItem, fmt: Formatter) -> str:
    parts = [action.text]
    who = action.owner or "no owner yet"
    due = f", due {fmt.date(action.due)}" if action.due else ""
    parts.append(f"{who}{due}")
    return ": ".join(parts)


def entry_details(entry: AgendaEntry, fmt: Formatter) -> tuple[str, ...]:
    lines = tuple(fact_text(f, fmt) for f in entry.facts)
    return (*lines, NOTHING_TO_REPORT) if entry.nothing_to_report else lines


def new_items(agenda: Agenda, fmt: Formatter) -> list[NewAgendaItem]:
    """The agenda as the items of a new draft, its facts in words."""
    return [
        NewAgendaItem(section=e.section, text=e.text, details=entry_details(e, fmt), key=e.key, contact_ids=e.contact_ids)
        for e in agenda.entries
    ]


# -- Markdown -------------------------------------------------------------------------


def review_title(review: ServiceReview) -> str:
    return f"{KIND_TITLES[review.kind]}: {review.customer_name} ({review.account_number})"


def review_markdown(review: ServiceReview, fmt: Formatter, prepared_by: str = "") -> str:
    """The review as Markdown that reads well as a plain e-mail."""
    out = [f"# {inline(review_title(review))}", ""]
    state = "minutes of the review as held" if review.read_only else "agenda (draft)"
    out.append(f"Date: {fmt.date_long(review.held_on)}  ")
    out.append(f"Status: {state}  ")
    attendees = "; ".join(inline(a) for a in review.attendees)
    out.append(f"Attendees: {attendees or 'to be confirmed'}")
    number = 0
    for section, items in review.sections():
        out += ["", f"## {inline(section)}", ""]
        for item in items:
            number += 1
            out.append(f"{number}. **{inline(item.text)}**")
            # four spaces nest under "10." as well as under "1."
            for line in item.details:
                out.append(f"    - {inline(line)}")
            minutes = lines(item.minutes)
            if minutes != [""]:
                out.append(f"    - Minutes: {minutes[0]}")
                out += [f"      {line}" if line else "" for line in minutes[1:]]
    if review.actions:
        out += ["", "## Action items", ""]
        for action in review.actions:
            box = "[x]" if action.done else "[ ]"
            line = f"- {box} {inline(action_text(action, fmt))}"
            if action.done and action.done_on:
                line += f" (done {fmt.date(action.done_on)})"
            if action.carried_from_id is not None:
                line += " (carried from an earlier review)"
            out.append(line)
    by = inline(prepared_by)
    out += ["", "---", f"Prepared with ccm{f' by {by}' if by else ''}."]
    return "\n".join(out) + "\n"


def short_date(day: date, fmt: Formatter) -> str:
    """'Nov 4': month and day, in the locale's order (lists where the year is plain)."""
    return format_date(day, fmt.locale.datetime_skeletons["MMMd"].pattern, locale=fmt.locale)
