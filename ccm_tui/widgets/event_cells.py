"""The event list's cells as styled pieces (widgets/line_cells.py), one function per column that mixes styles.

Each mirrors what a Rich Text showed in the list's DataTable: a cut-off's own
style lies under the grid letters that follow it, as a Text's style lies
under what is appended to it.
"""

from __future__ import annotations

from rich.style import Style

from ccm_tui.domain.routing import TroubleRoute
from ccm_tui.domain.schedule import CalendarEvent, CcdState
from ccm_tui.text.event_text import (
    AT_RISK_MARK,
    NOT_READY_MARK,
    ON_CALL_MARK,
    PAST_CCD_MARK,
    ccd_short,
    compact_duration,
    hours_short,
)
from ccm_tui.widgets.line_cells import Piece

BAD = Style.parse("bold red")
CANCELLED = Style.parse("dim strike")
DIM = Style.parse("dim")
NEAR = Style.parse("yellow")
LATE = Style.parse("bold yellow")
ROUTE = DIM
HOURS = Style.parse("cyan")
NOT_READY = Style.parse("bold magenta")
PICK = Style.parse("bold")


def cutoff(event: CalendarEvent) -> tuple[Piece, ...]:
    """LATE, the time left to the cut-off, or (activated) where trouble goes now."""
    facts = event.facts
    if facts.late:
        return (("LATE", LATE),)
    if facts.countdown is not None:
        return ((compact_duration(facts.countdown), NEAR),)
    if facts.route is not None:
        return (("repair" if facts.route is TroubleRoute.REPAIR_CENTER else "support", ROUTE),)
    return ()


def flags(event: CalendarEvent) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    ccd = ccd_short(event.ccd_state)
    if ccd:
        pieces.append((ccd + " ", BAD if event.ccd_state is CcdState.PAST else NEAR))
    pieces.append((hours_short(event.facts.hours_flags), HOURS))
    if event.facts.not_ready_risk:
        pieces.append((" NR", NOT_READY))
    return tuple(pieces)


def short_flags(event: CalendarEvent) -> tuple[Piece, ...]:
    """The cut-off and the grid's letters in one narrow column: 'LATE A!', '17h05m ?'.

    The cut-off's style lies under the letters too, as a Rich Text's own style lies under what is appended.
    """
    pieces = list(cutoff(event))
    if event.facts.countdown is not None and not event.facts.late:
        pieces = [(compact_duration(event.facts.countdown).replace(" ", ""), NEAR)]
    under = pieces[0][1] if pieces else None
    letters = marks(event)
    if letters:
        if pieces:
            pieces.append((" ", under))
        pieces += [(text, under + style if under and style else style) for text, style in letters]
    return tuple(pieces)


def marks(event: CalendarEvent) -> list[Piece]:
    pieces: list[Piece] = []
    if event.ccd_state is CcdState.PAST:
        pieces.append((PAST_CCD_MARK, BAD))
    elif event.ccd_state is CcdState.AT_RISK:
        pieces.append((AT_RISK_MARK, NEAR))
    if event.facts.on_call:
        pieces.append((ON_CALL_MARK, HOURS))
    if event.facts.not_ready_risk:
        pieces.append((NOT_READY_MARK, NOT_READY))
    return pieces


_SHORT_SERVICE = {"INTERNET": "INET", "ETHERNET": "ETH"}


def short_what(event: CalendarEvent) -> str:
    """'MRS inst', 'INET act': the service and step in a few letters, for narrow rows."""
    service = event.activation.service.value
    kind = "inst" if event.step.kind.value == "installation" else "act"
    return f"{_SHORT_SERVICE.get(service, service)} {kind}"
