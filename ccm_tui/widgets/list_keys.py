"""j/k/g/G and home/end in whatever list has the focus.

A list is a DataTable, an OptionList, a ListView or a widget of ours saying
`LIST_KEYS = True`; a field, a grid of days or a scroll view is not, and
keeps those keys for itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from textual.widgets import ListView


def in_a_list(widget: object) -> bool:
    """A widget whose rows j/k/g/G and home/end move through (not a field, a grid of days or a scroll view)."""
    from textual.widgets import DataTable, OptionList

    if getattr(type(widget), "LIST_KEYS", False):  # a list of our own (the customer table draws its lines itself)
        return True
    return isinstance(widget, DataTable | OptionList) or _is_list_view(widget)


def move_in_list(focused: object, where: str) -> None:
    """Move the cursor of the focused list `where`: "down", "up", "top" or "bottom"."""
    names = {
        "down": ("action_cursor_down",),
        "up": ("action_cursor_up",),
        "top": ("action_scroll_top", "action_first"),
        "bottom": ("action_scroll_bottom", "action_last"),
    }[where]
    if _is_list_view(focused) and len(focused) and where in ("top", "bottom"):  # it has no first/last actions
        focused.index = 0 if where == "top" else len(focused) - 1
        return
    for name in names:
        move = getattr(focused, name, None)
        if callable(move):
            move()
            return


def _is_list_view(widget: object) -> TypeGuard[ListView]:
    from textual.widgets import ListView

    return isinstance(widget, ListView)
