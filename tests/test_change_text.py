"""A change-log entry in a CCM's words: labels, hours not minutes, names not ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ccm_tui.domain.changes import ChangeEntry, Entity, Plain
from ccm_tui.text.change_text import change_text, record_text

AT = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def entry(action: str, changes: dict[str, tuple[Plain, Plain]], entity: Entity = Entity.CUSTOMER, record: str = "") -> ChangeEntry:
    return ChangeEntry(1, AT, "alex", "Alex Morgan", entity, 7, 3, action, changes, record=record)


@pytest.mark.parametrize(
    ("action", "changes", "text"),
    [
        ("changed", {"hours_per_month_minutes": (480, 60)}, "Hours / month: 8 h → 1 h"),
        ("changed", {"hours_per_month_minutes": (90, 150)}, "Hours / month: 1.5 h → 2.5 h"),
        ("changed", {"phone": ("", "+44 20 7946 0000")}, "Phone: - → +44 20 7946 0000"),
        ("changed", {"email": ("a@x.test", "b@x.test"), "ccm": ("Alex", "Sam")}, "E-mail: a@x.test → b@x.test; CCM: Alex → Sam"),
        (
            "created",
            {"name": (None, "Café Lumière"), "field_dispatch": (None, True)},
            "created · Name: Café Lumière; Field dispatch: yes",
        ),
        (
            "rescheduled",
            {"start_at": ("2026-12-05T08:00:00", "2026-12-07T09:30:00")},
            "rescheduled · Start: 2026-12-05 08:00 UTC → 2026-12-07 09:30 UTC",
        ),
        ("no_show", {}, "no_show"),
        ("changed", {}, "changed"),
        ("changed", {"last_reviewed": ("2026-01-01", None)}, "Last reviewed: 2026-01-01 → -"),
    ],
)
def test_change_text(action: str, changes: dict[str, tuple[Plain, Plain]], text: str) -> None:
    assert change_text(entry(action, changes)) == text


@pytest.mark.parametrize(
    ("entity", "record", "text"),
    [
        (Entity.CONTACT, "Khalid Al Marzouqi", "contact Khalid Al Marzouqi"),
        (Entity.ACTIVATION_STEP, "Dubai HQ · installation", "activation step Dubai HQ · installation"),
        (Entity.SITE, "", "site #7"),  # removed since: its number is all the log has
    ],
)
def test_record_text(entity: Entity, record: str, text: str) -> None:
    assert record_text(entry("changed", {}, entity, record)) == text
