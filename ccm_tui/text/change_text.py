"""A change-log entry in words: "Hours / month: 8 h → 1 h; Phone: 555 → 556"."""

from __future__ import annotations

from datetime import datetime

from ccm_tui.domain.changes import CHANGED, CREATED, ChangeEntry, Plain

ARROW = "→"

# Column names a CCM would not say; any other reads as itself ("last_reviewed" -> "Last reviewed").
_LABELS = {
    "hours_per_month_minutes": "Hours / month",
    "ccm": "CCM",
    "ccd": "CCD",
    "email": "E-mail",
    "start_at": "Start",
    "end_at": "End",
    "minutes": "Hours",
    "ip_letter_sent_on": "IP letter sent",
    "held_on": "Held on",
    "updated_by": "Updated by",
}


def field_label(name: str) -> str:
    if name in _LABELS:
        return _LABELS[name]
    words = name.removesuffix("_minutes").replace("_", " ")
    return words[:1].upper() + words[1:]


def value_text(value: Plain, name: str = "") -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and name.endswith("minutes"):
        return f"{value / 60:g} h"  # the log keeps minutes, as the book does; people speak of hours
    if isinstance(value, str) and len(value) >= 16 and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M UTC")
        except ValueError:
            return value
    return str(value)


def change_text(entry: ChangeEntry) -> str:
    """The fields that changed, from what to what; a new record lists what it was made with.

    An action other than a plain change ("rescheduled", "imported") leads.
    """
    parts = []
    for name, (old, new) in entry.changes.items():
        label = field_label(name)
        if entry.action == CREATED or old is None:
            parts.append(f"{label}: {value_text(new, name)}")
        else:
            parts.append(f"{label}: {value_text(old, name)} {ARROW} {value_text(new, name)}")
    text = "; ".join(parts)
    if entry.action == CHANGED:
        return text or entry.action
    return f"{entry.action} · {text}" if text else entry.action


def record_text(entry: ChangeEntry) -> str:
    """ "contact Khalid Al Marzouqi"; a record since removed keeps its number."""
    if entry.record:
        return f"{entry.entity.label} {entry.record}"
    return f"{entry.entity.label} #{entry.entity_id}"
