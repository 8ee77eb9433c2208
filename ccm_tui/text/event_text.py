"""Short words for what the rules say about a calendar event, shared by the
calendar's widgets and the command line. Plain text only: markers read the
same with or without colour (each widget adds its own styles).
"""

from __future__ import annotations

from datetime import timedelta

from ccm_tui.domain.after_hours import HoursFlag
from ccm_tui.domain.routing import TroubleRoute
from ccm_tui.domain.schedule import CcdState, StepFacts

# One-letter markers for the month grid and the narrow event list, and the legend that explains them.
ON_CALL_MARK = "A"
LATE_MARK = "L"
PAST_CCD_MARK = "!"
AT_RISK_MARK = "?"
NOT_READY_MARK = "N"
LEGEND = "A after hours · L late change · ! past CCD · ? CCD at risk · N not ready"

_HOURS_SHORT = {HoursFlag.AFTER_HOURS: "AH", HoursFlag.WEEKEND: "WE", HoursFlag.HOLIDAY: "HOL"}


def compact_duration(span: timedelta) -> str:
    """'2d 03h', '17h 05m', '42m': a countdown that fits a narrow column."""
    minutes = max(0, int(span.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m"


def hours_words(flags: frozenset[HoursFlag]) -> str:
    """'after hours, weekend' in a fixed order."""
    return ", ".join(flag.label for flag in HoursFlag if flag in flags)


def hours_short(flags: frozenset[HoursFlag]) -> str:
    return " ".join(_HOURS_SHORT[flag] for flag in HoursFlag if flag in flags)


def change_window(facts: StepFacts) -> str:
    """'LATE' inside the late-change window, '⌛17h 05m' while its cut-off nears, else ''."""
    if facts.late:
        return "LATE"
    if facts.countdown is not None:
        return f"cut-off {compact_duration(facts.countdown)}"
    return ""


def ccd_short(state: CcdState) -> str:
    return {CcdState.ON_TRACK: "", CcdState.AT_RISK: "CCD?", CcdState.PAST: "CCD!"}[state]


def route_words(route: TroubleRoute | None) -> str:
    if route is None:
        return ""
    return "repair center" if route is TroubleRoute.REPAIR_CENTER else "post-activation support"
