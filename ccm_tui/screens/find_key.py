"""`/` on a screen with no filter of its own: back to the list it came from, its filter open.

Typing "/boden" on a customer's detail used to press `e` (edit) and the rest;
k9s and lazygit users expect `/` to search wherever they are. A detail or a
side list (on-call, waiting, reminders) has nothing of its own to filter, so
`/` closes it, and any screen between, back to the main screen of its view
(the book, the calendar, the checklist or the agenda), then presses `/` there.

Textual gathers BINDINGS only from widget classes, so each screen lists the
binding itself: `FIND_BINDING`, with this mixin's action.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

FIND_BINDING = Binding(
    "slash", "find", "Find", show=False, tooltip="Back to this view's list with its filter open", id="detail.find"
)


class FindGoesBack:
    """Mixin for a pushed screen: `action_find` pops to the view's main screen and presses `/` there."""

    app: Any

    async def action_find(self) -> None:
        app = self.app
        while len(app.screen_stack) > 1 and app.screen is not app.screen_stack[0]:
            await app.pop_screen()
        app.simulate_key("slash")
