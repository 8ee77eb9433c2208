"""PathSuggester: completes a file or folder path as it is typed in an Input.

The first entry of the typed folder that starts with the typed name is
offered (folders with a trailing `/`, so the next part can follow); the
right arrow, or End, takes it. Hidden entries are offered only once a `.`
is typed, and files only when they have one of the wanted suffixes.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester


class PathSuggester(Suggester):
    def __init__(self, suffixes: tuple[str, ...] = (), folders_only: bool = False) -> None:
        # No cache: the folder's contents change (an export writes files).
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = tuple(s.lower() for s in suffixes)
        self.folders_only = folders_only

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        try:
            typed = Path(value).expanduser()
            folder, prefix = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
            entries = sorted(os.scandir(folder), key=lambda e: e.name.casefold())
        except (OSError, ValueError, RuntimeError):  # no such folder, a NUL, ~ of no user: nothing to offer
            return None
        for entry in entries:
            if not entry.name.startswith(prefix) or (entry.name == prefix and not entry.is_dir()):
                continue
            if entry.name.startswith(".") and not prefix.startswith("."):
                continue
            is_dir = entry.is_dir()
            if not is_dir and (self.folders_only or (self.suffixes and not entry.name.lower().endswith(self.suffixes))):
                continue
            rest = entry.name[len(prefix) :] + (os.sep if is_dir else "")
            return value + rest if rest else None
        return None
