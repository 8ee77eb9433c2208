"""Who acts in store tests: the change log refuses a write without its author."""

from __future__ import annotations

from datetime import UTC, datetime

from ccm_tui.domain.people import Person, Role

ACTOR = Person(login="dana", name="Dana Test", role=Role.MEMBER)
# when the test's edits happen, where the test itself has no clock
AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
