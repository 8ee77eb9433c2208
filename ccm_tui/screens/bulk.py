"""Acting on several picked rows at once: ask once, apply each, say what was refused.

Each row goes through the same service method, and so the same rules, as
the single action, in a transaction of its own. The rows are independent
records (two events, two checklist items), so a refusal of one (a status
the machine does not allow, a row someone changed meanwhile) holds nothing
else back: the rest are applied, and every refusal is reported with its
reason. The refused rows stay picked, so they can be looked at and acted on
one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from ccm_tui.domain.action_rules import ActionRefused
from ccm_tui.domain.fee_guard import FeeChanged
from ccm_tui.domain.status import IllegalMove
from ccm_tui.errors import BookBusy, StoreError
from ccm_tui.screens.base import retry_while_busy
from ccm_tui.widgets.event_cells import short_what

if TYPE_CHECKING:
    from ccm_tui.domain.schedule import CalendarEvent
    from ccm_tui.text.formatting import Formatter


class NothingToDo(Exception):
    """A row's write found it already done (a reminder someone recorded meanwhile); the message says so."""


# What a row's write may be refused with; anything else is a bug and stops the app.
REFUSALS: tuple[type[Exception], ...] = (IllegalMove, ActionRefused, FeeChanged, StoreError, NothingToDo)
SHOWN_IN_ASK = 12  # rows listed in the question; the rest are counted


@dataclass(frozen=True)
class Row:
    """One picked row to act on: its key in the list, how it reads, and its write."""

    key: str
    label: str
    write: Callable[[], object]


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    refused: str = ""  # why not, as a sentence; empty: done


def event_label(event: CalendarEvent, fmt: Formatter) -> str:
    """'MRS act: Acme Ltd · Head office, Mon, Nov 23, 9:00 AM EST' (the site's time)."""
    name = event.customer_name if len(event.customer_name) <= 28 else event.customer_name[:27] + "…"
    return f"{short_what(event)}: {name} · {event.site.name}, {fmt.when_in(event.start, event.site.timezone)}"


def sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def apply_each(rows: Sequence[Row], on_busy: Callable[[], object]) -> list[Outcome]:
    """(In a thread worker.) Each row's write, retried while the book is busy; a refusal is kept, not raised.

    A book that stays busy past the patience of one row is busy for the rest too: they are not tried.
    The rows written are one change: `u` undoes them together.
    """
    from ccm_tui.services.undo import one_change  # in the worker: the store stays out of the first frame

    with one_change():
        return _apply_each(rows, on_busy)


def _apply_each(rows: Sequence[Row], on_busy: Callable[[], object]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for i, row in enumerate(rows):
        try:
            retry_while_busy(row.write, on_busy)
        except BookBusy as busy:
            outcomes += [Outcome(r.key, r.label, sentence(str(busy))) for r in rows[i:]]
            break
        except REFUSALS as refused:
            outcomes.append(Outcome(row.key, row.label, sentence(str(refused))))
        else:
            outcomes.append(Outcome(row.key, row.label))
    return outcomes


def ask_body(doing: str, labels: Sequence[str], refused: Sequence[Outcome] = ()) -> Text:
    """The question's body: what will happen to each row, and which the rules refuse already."""
    text = Text()
    text.append(f"{doing}:\n", style="bold")
    for label in labels[:SHOWN_IN_ASK]:
        text.append(f"  {label}\n")
    if len(labels) > SHOWN_IN_ASK:
        text.append(f"  and {len(labels) - SHOWN_IN_ASK} more\n")
    if refused:
        text.append(f"Refused, left as they are ({len(refused)}):\n", style="bold")
        for outcome in refused[:SHOWN_IN_ASK]:
            text.append(f"  {outcome.label}: {outcome.refused}\n")
        if len(refused) > SHOWN_IN_ASK:
            text.append(f"  and {len(refused) - SHOWN_IN_ASK} more\n")
    text.rstrip()
    return text


def report(done: str, outcomes: Sequence[Outcome]) -> tuple[str, str, bool]:
    """(title, message, any refused) for the notification after a bulk action.

    `done` names what was done with `{n}` for the count: "Confirmed {n}" reads "Confirmed 2 of 3".
    """
    refused = [o for o in outcomes if o.refused]
    applied = len(outcomes) - len(refused)
    title = done.format(n=f"{applied} of {len(outcomes)}" if refused else applied)
    if not refused:
        return title, "Each change is in its own history.", False
    lines = [f"Refused: {o.label}: {o.refused}" for o in refused[:SHOWN_IN_ASK]]
    if len(refused) > SHOWN_IN_ASK:
        lines.append(f"and {len(refused) - SHOWN_IN_ASK} more")
    lines.append("The refused stay selected (esc clears).")
    return title, "\n".join(lines), True
