"""One activation's steps as the demo tells its story: the windows, the
statuses and the history of its call and, for a managed service, of its
equipment installation.

Each scenario (`store.demo_orders`) decides where the activation has got:
completed last month, not ready or a no-show with its fee, cancelled in good
time or late, rescheduled, requested, confirmed or validated ahead, inside
the late-change window. A managed service's installation comes first, with
the IP letter a business day after it, in time for the activation's own
history to follow.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from ccm_tui.domain.calendar import add_business_days, late_change_cutoff
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.store.demo_model import DemoActivation, DemoBook
from ccm_tui.store.demo_steps import (
    SCHEDULING_TEAM,
    StepEvent,
    add_history,
    add_step,
    confirmation,
    late_fee,
    not_ready,
    requester,
    validator,
)
from ccm_tui.store.demo_windows import (
    Window,
    late_window,
    local_date,
    snap,
    window_between,
    window_on,
)

_S = StepStatus
_INSTALLATION = StepKind.INSTALLATION
_ACTIVATION = StepKind.ACTIVATION

_RESCHEDULE_REASONS = (
    "Customer asked to move it: rack space in the communications room not ready",
    "Customer asked to move it: the site technical contact is on leave that week",
    "Customer asked to move it: building power work at the site",
    "Scheduling team: no activation technician available for the original window",
    "Customer asked to move it: change freeze at the customer",
    "Customer asked for an after-hours window to avoid business disruption",
)
_CANCEL_REASONS = (
    "Customer cancelled: the site is being relocated; will re-request with the new address",
    "Customer cancelled: landlord has not approved the building works",
    "Customer cancelled: waiting for their own firewall replacement",
)
_NO_SHOW_REASONS = (
    "Activation technician did not join the call; on-call manager called (844-427-2875)",
    "Field technician did not arrive; on-call manager called (844-427-2875)",
)


def schedule(book: DemoBook, act: DemoActivation) -> None:
    """Pick the windows and statuses of an activation's steps, and their history."""
    rng = book.rng
    ccm = act.customer.ccm
    scenario = act.scenario
    site = act.site
    events: list[StepEvent] = []
    window: Window | None = None
    first: Window | None = None  # the window first requested
    status = _S.UNSCHEDULED
    requested, confirm, validate = requester(act), confirmation, validator(act)

    if scenario in ("completed", "done", "completed_no_traffic"):
        low, high = {"completed": (-25, -1), "done": (-28, -3), "completed_no_traffic": (-4, -1)}[scenario]
        window = window_between(book, site, _ACTIVATION, act.style, "past", low, high)
        status = _S.COMPLETED
        done_at = window[1] + timedelta(minutes=rng.randint(5, 40))
        reason = "Traffic passing; customer accepted the service"
        if scenario == "completed_no_traffic":
            reason = "Activated, but no traffic has passed yet: post-activation support engaged"
        else:
            act.traffic_passed_at = window[0] + timedelta(minutes=rng.randint(40, 150))
        events = [requested(window[0]), confirm(), validate(), StepEvent("complete", _S.COMPLETED, ccm, done_at, reason=reason)]
    elif scenario == "not_ready":
        window = window_between(book, site, _ACTIVATION, act.style, "past", -12, -1)
        status = _S.NOT_READY
        at = window[0] + timedelta(minutes=rng.randint(20, 50))
        events = [requested(window[0]), confirm(), validate(), not_ready(book, act, at)]
    elif scenario == "no_show":
        window = window_between(book, site, _ACTIVATION, act.style, "past", -14, -2)
        status = _S.NO_SHOW
        at = window[0] + timedelta(minutes=rng.randint(30, 50))
        reason = rng.choice(_NO_SHOW_REASONS)
        events = [requested(window[0]), confirm(), validate(), StepEvent("no_show", _S.NO_SHOW, ccm, at, reason=reason)]
    elif scenario == "cancelled_past":
        window = window_between(book, site, _ACTIVATION, act.style, "past", -20, -2)
        status = _S.CANCELLED
        cutoff = late_change_cutoff(window[0].replace(tzinfo=UTC), site.cal).replace(tzinfo=None)
        at = cutoff - timedelta(hours=rng.randint(2, 72))  # in good time: no fee
        events = [requested(window[0]), confirm(), StepEvent("cancel", _S.CANCELLED, ccm, at, reason=rng.choice(_CANCEL_REASONS))]
    elif scenario == "not_ready_rescheduled":
        first = window_between(book, site, _ACTIVATION, act.style, "past", -10, -3)
        window = window_between(book, site, _ACTIVATION, act.style, "future", 4, 15)
        status = _S.REQUESTED
        missed = first[0] + timedelta(minutes=rng.randint(20, 50))
        moved = min(missed + timedelta(hours=rng.randint(18, 40)), book.now - timedelta(hours=1))
        events = [
            requested(first[0]),
            confirm(),
            validate(),
            not_ready(book, act, missed),
            StepEvent(
                "reschedule",
                _S.REQUESTED,
                ccm,
                moved,
                new_start=window[0],
                reason="New date asked for after the customer was not ready",
            ),
        ]
    elif scenario in ("requested", "at_risk", "install_upcoming"):
        low, high = (8, 55) if scenario == "requested" else (10, 16) if scenario == "at_risk" else (12, 30)
        window = window_between(book, site, _ACTIVATION, act.style, "future", low, high)
        status = _S.REQUESTED
        events = [requested(window[0])]
    elif scenario in ("confirmed", "validated", "after_hours", "weekend"):
        low, high = {"confirmed": (4, 45), "validated": (1, 30)}.get(scenario, (2, 45))
        window = window_between(book, site, _ACTIVATION, act.style, "future", low, high)
        status = {"confirmed": _S.CONFIRMED, "validated": _S.VALIDATED}.get(scenario) or rng.choice((_S.CONFIRMED, _S.VALIDATED))
        events = [requested(window[0]), confirm()] + ([validate()] if status is _S.VALIDATED else [])
    elif scenario == "late_change":
        window = late_window(book, site)
        status = _S.VALIDATED
        events = [requested(window[0]), confirm(), validate()]
    elif scenario == "cancelled_late":
        window = late_window(book, site)
        status = _S.CANCELLED
        cutoff = late_change_cutoff(window[0].replace(tzinfo=UTC), site.cal).replace(tzinfo=None)
        at = max(book.now - timedelta(minutes=rng.randint(30, 240)), cutoff + timedelta(minutes=5))
        at = min(at, book.now - timedelta(minutes=1))
        fee = late_fee(book, act)
        reason = "Late cancellation (less than one business day before the start): site not ready"
        if fee is None:
            reason += f"; no fee schedule for {act.customer.region.label}"
        events = [requested(window[0]), confirm(), validate(), StepEvent("cancel", _S.CANCELLED, ccm, at, reason=reason, fee=fee)]
    elif scenario == "rescheduled":
        window = window_between(book, site, _ACTIVATION, act.style, "future", 6, 35)
        day = snap(local_date(window[0], site) - timedelta(days=rng.randint(5, 12)), site, act.style, False)
        first = window_on(book, day, site, _ACTIVATION, act.style)
        status = rng.choice((_S.CONFIRMED, _S.VALIDATED))
        bound = min(first[0], book.now) - timedelta(hours=1)
        moved = bound - timedelta(hours=rng.randint(6, 72))
        events = [
            requested(first[0]),
            confirm(),
            StepEvent("reschedule", _S.REQUESTED, ccm, moved, new_start=window[0], reason=rng.choice(_RESCHEDULE_REASONS)),
            confirm(),
        ] + ([validate()] if status is _S.VALIDATED else [])
    elif scenario == "order_cancelled":
        window = window_between(book, site, _ACTIVATION, act.style, "future", 10, 30)
        status = _S.CANCELLED
        at = book.now - timedelta(days=rng.randint(1, 2), minutes=rng.randint(0, 600))
        events = [requested(window[0]), StepEvent("cancel", _S.CANCELLED, ccm, at, reason="Order cancelled by the customer")]
    # "unscheduled" and "unscheduled_all" keep no window and no history.

    gate = _installation(book, act, window, first, status, events)
    act.status = status
    act.start = window[0] if window else None
    if events and window is not None:
        start = (first or window)[0]
        since = min(start - timedelta(days=rng.randint(10, 21)), book.now - timedelta(days=rng.randint(3, 8)))
        timed = [e.at for e in events if e.at is not None]
        if timed:  # leave room for the untimed events before the first timed one
            since = min(since, min(timed) - timedelta(days=2))
        if gate is not None:  # the installation allowed for this room
            since = max(since, gate)
        add_history(book, act, _ACTIVATION, events, since, start, window[0])
    add_step(book, act, _ACTIVATION, status, window)
    book.rows["activations"].append(
        {
            "id": act.id,
            "customer_id": act.customer.id,
            "order_id": act.order.id,
            "site_id": site.id,
            "service": act.service.value,
            "field_dispatch": act.field_dispatch,
            "ip_letter_sent_on": act.ip_letter_sent_on,
            "ip_letter_contact_id": site.tech_contact_id if act.ip_letter_sent_on else None,
            "traffic_passed_at": act.traffic_passed_at,
            "version": 1,
        }
    )


def _installation(
    book: DemoBook,
    act: DemoActivation,
    window: Window | None,
    first: Window | None,
    status: StepStatus,
    events: list[StepEvent],
) -> datetime | None:
    """The equipment installation of a managed service; returns the time
    after which the activation may be confirmed (installed, letter sent)."""
    if not act.service.managed:
        return None
    rng = book.rng
    site = act.site
    ccm = act.customer.ccm
    scenario = act.scenario
    style = act.style if act.style != "after_hours" or rng.random() < 0.5 else "business"
    past_confirmation = status in (_S.CONFIRMED, _S.VALIDATED, _S.COMPLETED, _S.NOT_READY, _S.NO_SHOW) or scenario in (
        "cancelled_late",
        "cancelled_past",
        "not_ready_rescheduled",
    )
    mode = "unscheduled"
    if past_confirmation:
        mode = "completed"
    elif scenario in ("requested", "at_risk"):
        mode = "completed" if rng.random() < 0.5 else "future"
    elif scenario in ("install_upcoming", "unscheduled"):
        mode = "future" if scenario == "install_upcoming" or rng.random() < 0.6 else "unscheduled"
    elif scenario == "order_cancelled":
        mode = "cancelled"
    if mode == "future" and window is not None:
        latest = add_business_days(local_date(window[0], site), -3, site.cal)
        if latest <= book.today + timedelta(days=1):
            mode = "completed"

    install_events: list[StepEvent] = []
    gate: datetime | None = None
    install: Window | None = None
    install_status = _S.UNSCHEDULED
    requested, confirm, validate = requester(act), confirmation, validator(act)

    if mode == "completed":
        requested_window = first or window
        anchor = requested_window[0] if requested_window else book.now
        day = local_date(anchor, site)
        day = add_business_days(day, -rng.randint(3, 8), site.cal)
        latest = (book.now - timedelta(days=6)).date()
        day = snap(min(day, latest), site, style if style != "after_hours" else "business", forward=False)
        while True:
            install = window_on(book, day, site, _INSTALLATION, style if style == "weekend" and day.weekday() >= 5 else "business")
            letter = add_business_days(local_date(install[1], site), 1, site.cal)
            gate = datetime.combine(letter + timedelta(days=1), time(0))
            # room for the letter, then the request and confirmation before the
            # first event with a time (an outcome, a reschedule, a cancellation)
            earliest = min([anchor, book.now] + [e.at for e in events if e.at is not None])
            if letter <= book.today - timedelta(days=1) and gate <= earliest - timedelta(days=2):
                break
            day = snap(day - timedelta(days=7), site, "business", forward=False)
        install_status = _S.COMPLETED
        done_at = install[1] - timedelta(minutes=rng.randint(0, 40))
        install_events = [
            requested(install[0]),
            confirm(),
            validate(),
            StepEvent(
                "complete", _S.COMPLETED, SCHEDULING_TEAM, done_at, reason="Field technician installed and tested the equipment"
            ),
        ]
        if past_confirmation or rng.random() < 0.5:
            act.ip_letter_sent_on = letter
        else:
            gate = None
    elif mode == "future":
        if window is not None:
            latest = add_business_days(local_date(window[0], site), -rng.randint(3, 6), site.cal)
            soonest = book.today + timedelta(days=2)
            day = book.today + timedelta(days=rng.randint(2, max(2, (latest - book.today).days)))
            day = max(soonest, min(day, latest))
        else:
            day = book.today + timedelta(days=rng.randint(3, 20))
        day = snap(day, site, "business")
        install = window_on(book, day, site, _INSTALLATION, "business")
        if install[0] <= book.now + timedelta(hours=2):
            install = window_on(book, snap(day + timedelta(days=7), site, "business"), site, _INSTALLATION, "business")
        if scenario == "install_upcoming":
            install_status = rng.choice((_S.CONFIRMED, _S.VALIDATED))
        else:
            install_status = rng.choice((_S.REQUESTED, _S.CONFIRMED))
        install_events = [requested(install[0]), confirm(), validate()][
            : {_S.REQUESTED: 1, _S.CONFIRMED: 2, _S.VALIDATED: 3}[install_status]
        ]
    elif mode == "cancelled":
        cancel = next(e for e in events if e.action == "cancel")
        assert window is not None and cancel.at is not None
        day = add_business_days(local_date(window[0], site), -rng.randint(3, 6), site.cal)
        install = window_on(book, day, site, _INSTALLATION, "business")
        if install[1] < cancel.at - timedelta(hours=2):
            install_status = _S.COMPLETED
            install_events = [
                requested(install[0]),
                confirm(),
                validate(),
                StepEvent(
                    "complete",
                    _S.COMPLETED,
                    SCHEDULING_TEAM,
                    install[1],
                    reason="Field technician installed and tested the equipment",
                ),
            ]
        else:
            install_status = _S.CANCELLED
            install_events = [
                requested(install[0]),
                confirm(),
                StepEvent("cancel", _S.CANCELLED, ccm, cancel.at, reason=cancel.reason),
            ]

    act.install_status = install_status
    act.install_start = install[0] if install else None
    if install_events:
        assert install is not None
        low = min(install[0] - timedelta(days=rng.randint(8, 20)), book.now - timedelta(days=rng.randint(3, 8)))
        add_history(book, act, _INSTALLATION, install_events, low, install[0], install[0])
    add_step(book, act, _INSTALLATION, install_status, install)
    return gate
