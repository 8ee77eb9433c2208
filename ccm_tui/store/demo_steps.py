"""An activation step's row and its history, as the demo writes them.

A step's story is first told as events in order (requested, confirmed by
the scheduling team, validated by the designated contact, then an outcome,
a reschedule or a cancellation), some with a time and some without; the
history gives each untimed event a minute between its neighbours, before
now and before the window it leads up to, so the lines follow the status
machine in time. A not-ready or a late cancellation carries the region's
fee, or says there is no fee schedule for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ccm_tui.domain.fees import NoFeeSchedule
from ccm_tui.domain.model import ContactRole, StepKind, StepStatus
from ccm_tui.store.demo_model import DemoActivation, DemoBook
from ccm_tui.store.demo_windows import Window

SCHEDULING_TEAM = "scheduling team"
_S = StepStatus

_NOT_READY_REASONS = (
    "Customer not ready: configuration from the IP letter not loaded on the device",
    "Customer not ready: no one on site to give the technician access",
    "Customer not ready: cabling from the demarcation point not in place",
    "Customer not ready: site technical contact did not join the call",
)


@dataclass
class StepEvent:
    """One history line before its time is known (`at` None = fill in)."""

    action: str
    status: StepStatus
    who: str
    at: datetime | None = None
    new_start: datetime | None = None  # for request / reschedule
    reason: str = ""
    fee: tuple[int, str] | None = None


def confirmation() -> StepEvent:
    return StepEvent("confirm", _S.CONFIRMED, SCHEDULING_TEAM)


def requester(act: DemoActivation) -> Callable[[datetime], StepEvent]:
    return lambda start: StepEvent("request", _S.REQUESTED, act.customer.ccm, new_start=start)


def validator(act: DemoActivation) -> Callable[[], StepEvent]:
    designated = act.customer.with_role(ContactRole.DESIGNATED).name
    reason = f"Validated by {designated} (designated contact) by e-mail"
    return lambda: StepEvent("validate", _S.VALIDATED, act.customer.ccm, reason=reason)


def late_fee(book: DemoBook, act: DemoActivation) -> tuple[int, str] | None:
    try:
        money = book.fees.fee(act.customer.region, act.field_dispatch)
    except NoFeeSchedule:
        return None
    return int(money.amount * 100), money.currency


def not_ready(book: DemoBook, act: DemoActivation, at: datetime) -> StepEvent:
    fee = late_fee(book, act)
    reason = book.rng.choice(_NOT_READY_REASONS)
    if fee is None:
        reason += f"; no fee schedule for {act.customer.region.label}"
    return StepEvent("not_ready", _S.NOT_READY, act.customer.ccm, at, reason=reason, fee=fee)


def add_step(book: DemoBook, act: DemoActivation, kind: StepKind, status: StepStatus, window: Window | None) -> None:
    book.rows["activation_steps"].append(
        {
            "id": book.next_id("step"),
            "activation_id": act.id,
            "customer_id": act.customer.id,
            "kind": kind.value,
            "start_at": window[0] if window else None,
            "end_at": window[1] if window else None,
            "status": status.value,
            "version": 1,
        }
    )


def add_history(
    book: DemoBook, act: DemoActivation, kind: StepKind, events: list[StepEvent], low: datetime, first: datetime, last: datetime
) -> None:
    """History rows for one step; events without a time get one in order.

    Untimed events come after `low`, before now, and before the window
    they lead up to: the first window (`first`) until an event with a
    time (an outcome, a reschedule), the current window (`last`) after it.
    """
    margin = timedelta(minutes=30)
    times = _fill_times(book, [e.at for e in events], low, min(book.now, first) - margin, min(book.now, last) - margin)
    status: StepStatus | None = None
    start: datetime | None = None
    for event, at in zip(events, times, strict=True):
        moves = event.new_start is not None
        book.rows["activation_changes"].append(
            {
                "id": book.next_id("change"),
                "activation_id": act.id,
                "step_kind": kind.value,
                "at": at,
                "who": event.who,
                "action": event.action,
                "from_status": status.value if status else None,
                "to_status": event.status.value,
                "from_start": start if moves else None,
                "to_start": event.new_start if moves else None,
                "reason": event.reason,
                "fee_cents": event.fee[0] if event.fee else None,
                "fee_currency": event.fee[1] if event.fee else None,
            }
        )
        status = event.status
        if moves:
            start = event.new_start


def _fill_times(
    book: DemoBook, anchors: Sequence[datetime | None], low: datetime, before: datetime, trailing: datetime
) -> list[datetime]:
    """Give each missing time a minute between its neighbours, in order;
    never later than `before` ahead of a timed event, `trailing` after the last."""
    out = list(anchors)
    i = 0
    while i < len(out):
        if out[i] is not None:
            i += 1
            continue
        j = i
        while j < len(out) and out[j] is None:
            j += 1
        left = out[i - 1] if i > 0 else low
        following = out[j] if j < len(out) else None
        right = min(following, before) if following is not None else trailing
        assert left is not None and right is not None
        span = int((right - left).total_seconds() // 60)
        count = j - i
        if span > count + 1:
            picks = sorted(book.rng.sample(range(1, span), count))
        else:
            picks = list(range(1, count + 1))
        for k, minutes in enumerate(picks):
            out[i + k] = left + timedelta(minutes=minutes)
        i = j
    return [o for o in out if o is not None]
