"""An imported activation's local times placed at its site: UTC instants,
checked by the rules the activation forms apply to the same values.

The store hands in the site's zone and the clock's now; this module sees
neither the book nor a clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from ccm_tui.domain.action_inputs import (
    check_letter_day,
    check_traffic,
    check_window_length,
)
from ccm_tui.domain.import_rows import ActivationImport
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.site_time import LocalTime, site_instant
from ccm_tui.domain.validation import InvalidInput


@dataclass(frozen=True)
class StepWindow:
    kind: StepKind
    status: StepStatus
    start: datetime | None  # UTC
    end: datetime | None


@dataclass(frozen=True)
class SiteTimes:
    """An activation's times, placed at its site."""

    steps: tuple[StepWindow, ...]
    traffic_passed_at: datetime | None


def place_at_site(row: ActivationImport, zone: str, now: datetime) -> SiteTimes:
    """The row's local times as UTC instants at a site in `zone`; InvalidInput by column.

    The rules the activation forms apply to the same values apply here:
    a window of at most 24 hours, traffic that has passed (by `now`) and not
    before the activation call, an IP letter not sent after the site's today.
    """
    errors: dict[str, str] = {}

    def instant(local: LocalTime | None, column: str) -> datetime | None:
        if local is None:
            return None
        try:
            return site_instant(local, zone)
        except ValueError as error:
            errors[column] = str(error)
            return None

    steps = []
    for step in row.steps:
        start = instant(step.start, f"{step.kind.value}_start")
        end = instant(step.end, f"{step.kind.value}_end")
        if start is not None and end is not None:
            if end <= start:
                assert step.start is not None and step.end is not None  # each gave its instant
                errors[f"{step.kind.value}_end"] = (
                    f"{step.kind.value}_end {step.end.text} is not after the start {step.start.text}"
                )
            else:
                _check(errors, f"{step.kind.value}_end", partial(check_window_length, start, end))
        steps.append(StepWindow(step.kind, step.status, start, end))
    traffic = instant(row.traffic_passed_at, "traffic_passed_at")
    if traffic is not None:
        call = next((s.start for s in steps if s.kind is StepKind.ACTIVATION), None)
        _check(errors, "traffic_passed_at", lambda: check_traffic(traffic, now, call))
    if row.ip_letter_sent_on is not None:
        site_today = now.astimezone(ZoneInfo(zone)).date()
        _check(errors, "ip_letter_sent_on", partial(check_letter_day, row.ip_letter_sent_on, site_today))
    if errors:
        raise InvalidInput(errors)
    return SiteTimes(tuple(steps), traffic)


def _check(errors: dict[str, str], column: str, rule: Callable[[], None]) -> None:
    """Run a shared rule; its ValueError is the column's problem."""
    try:
        rule()
    except ValueError as error:
        errors.setdefault(column, f"{column}: {error}")
