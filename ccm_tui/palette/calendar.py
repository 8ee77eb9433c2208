"""Palette commands that reach the activation calendar's main actions from anywhere.

Kept apart from the screen so opening the palette imports nothing heavy:
the calendar screen is imported when a command runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.app import SystemCommand

# (title, help, the calendar screen's action)
COMMANDS = (
    ("Calendar: today", "The activation calendar on today (key 2, then t)", "today"),
    ("Calendar: on-call view", "After-hours and weekend events in the next 72 hours (o)", "on_call"),
    ("Calendar: reminders due", "Events that need a reminder today (r)", "reminders"),
    ("Calendar: to schedule", "Steps with no window yet, soonest CCD first (s)", "waiting"),
    ("Calendar: filter", "By region, status, CCM, flags (late, CCD), after hours only (f)", "filter"),
    ("Calendar: agenda view", "Coming events as a list (a)", "agenda_view"),
)


def calendar_commands(app: Any, show: Callable[[str], None]) -> Iterable[SystemCommand]:
    def run(action: str) -> Callable[[], None]:
        def go() -> None:
            show("calendar")

            def then() -> None:
                from ccm_tui.screens.activation_calendar import ActivationCalendarScreen

                # the calendar is the mode's root; a pushed detail may sit on it
                root = app.screen_stack[0]
                if isinstance(root, ActivationCalendarScreen):
                    getattr(root, f"action_{action}")()

            app.call_after_refresh(then)

        return go

    for title, help_text, action in COMMANDS:
        yield SystemCommand(title, help_text, run(action))
