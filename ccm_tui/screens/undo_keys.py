"""u and ctrl+r, from any screen: undo your last change, redo the one you
last undid (services/undo.py).

The app binds the keys and runs `turn_back` in a thread worker; it says what
was undone (or why nothing was), and the screen on top then shows the book
as it is now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ccm_tui.screens.following import FollowsBook

if TYPE_CHECKING:
    from textual.app import App

    from ccm_tui.services import Services


def turn_back(app: App[Any], services: Services, *, redo: bool) -> None:
    """(In a thread worker.) Undo, or redo, the session's last change."""
    from ccm_tui.services.undo import UndoRefused

    try:
        what = services.undo.redo() if redo else services.undo.undo()
    except UndoRefused as refused:
        title = "Nothing redone" if redo else "Nothing undone"
        app.call_from_thread(
            app.notify, str(refused)[:1].upper() + str(refused)[1:], title=title, severity="warning", markup=False
        )
        return
    done = "Redone" if redo else "Undone"
    app.call_from_thread(_turned_back, app, f"{done}: {what}" + ("" if redo else " (ctrl+r redoes it)"))


def _turned_back(app: App[Any], message: str) -> None:
    app.notify(message, markup=False)
    if isinstance(app.screen, FollowsBook):  # the screen shows the book as it is now
        app.screen.book_changed()
