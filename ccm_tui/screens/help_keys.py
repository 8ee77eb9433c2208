"""What `?` lists: every key that works on the screen on top.

This screen's keys first, then the app's (everywhere), then the focused
widget's; Textual's own inherited keys (focus, copy, cursor keys) after
ours.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen

from ccm_tui.screens.help import HelpScreen, where_name


def keys_here(app: App[Any]) -> HelpScreen:
    """The help screen for the keys active on `app.screen`, ranked as above."""
    rows: list[tuple[int, str, str, str, str]] = []
    seen: set[str] = set()
    for key, active in app.screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not binding.description or key in seen:
            continue
        seen.add(key)
        if node is app:
            rank, where = 1, "everywhere"
        elif isinstance(node, Screen):
            rank, where = 0, "this screen"
        else:
            rank, where = 2, where_name(node)
        if binding.id is None and binding not in vars(type(node)).get("BINDINGS", ()):
            rank += 3  # inherited from Textual (focus, copy, cursor keys): after ours (a remapped one of ours has an id)
        does = "Command palette" if binding.action == "command_palette" else binding.description
        rows.append((rank, app.get_key_display(binding), does, where, binding.id or ""))
    rows.sort(key=lambda row: row[0])  # stable: each group keeps its own order
    return HelpScreen([row[1:4] for row in rows], ids=[row[4] for row in rows])
