"""A change-log entry in words: "name: Acme → Acme Ltd; phone: 555 → 556"."""

from __future__ import annotations

from ccm_tui.domain.changes import CREATED, ChangeEntry, Plain

ARROW = "→"


def value_text(value: Plain) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def change_text(entry: ChangeEntry) -> str:
    """The fields that changed, from what to what; a new record lists what it was made with."""
    parts = []
    for name, (old, new) in entry.changes.items():
        if entry.action == CREATED or old is None:
            parts.append(f"{name}: {value_text(new)}")
        else:
            parts.append(f"{name}: {value_text(old)} {ARROW} {value_text(new)}")
    return "; ".join(parts)


def record_text(entry: ChangeEntry) -> str:
    return f"{entry.entity.label} {entry.entity_id}"
