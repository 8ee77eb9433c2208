"""What may be done to a step now: the status machine, the MRS/MSS gate, outcome timing; and who may validate."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ccm_tui.domain.action_rules import ActionRefused, check_action
from ccm_tui.domain.authority import ip_letter_warning, may_validate, validation_warning
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Contact,
    ContactRole,
    ServiceKind,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.status import Action, IllegalMove

NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
LATER = NOW + timedelta(days=5)
S = StepStatus


def activation(service: ServiceKind, install: StepStatus | None, act: StepStatus, letter: bool, start=LATER) -> Activation:  # type: ignore[no-untyped-def]
    steps = []
    if install is not None:
        steps.append(ActivationStep(1, 1, StepKind.INSTALLATION, NOW - timedelta(days=3), None, install))
    steps.append(ActivationStep(2, 1, StepKind.ACTIVATION, start, None, act))
    return Activation(1, 1, 1, 1, service, False, tuple(steps), date(2026, 11, 18) if letter else None)


def act_step(a: Activation) -> ActivationStep:
    step = a.step(StepKind.ACTIVATION)
    assert step is not None
    return step


@pytest.mark.parametrize(
    ("service", "install", "letter", "message"),
    [
        (
            ServiceKind.MRS,
            S.VALIDATED,
            True,
            "cannot confirm the MRS activation call: the equipment installation is not complete yet",
        ),
        (ServiceKind.MSS, None, True, "cannot confirm the MSS activation call: the equipment installation is not complete yet"),
        (ServiceKind.MRS, S.COMPLETED, False, "the IP configuration letter has not been sent"),
    ],
    ids=["mrs-not-installed", "mss-no-installation", "mrs-no-letter"],
)
def test_the_gate_says_why(service: ServiceKind, install: StepStatus | None, letter: bool, message: str) -> None:
    a = activation(service, install, S.REQUESTED, letter)
    with pytest.raises(ActionRefused, match=message):
        check_action(a, act_step(a), Action.CONFIRM, NOW)


@pytest.mark.parametrize(
    ("service", "install", "letter"),
    [(ServiceKind.MRS, S.COMPLETED, True), (ServiceKind.INTERNET, None, False), (ServiceKind.VPN, None, False)],
)
def test_the_gate_opens(service: ServiceKind, install: StepStatus | None, letter: bool) -> None:
    a = activation(service, install, S.REQUESTED, letter)
    assert check_action(a, act_step(a), Action.CONFIRM, NOW) is S.CONFIRMED


def test_the_gate_is_for_the_activation_call_only() -> None:
    a = activation(ServiceKind.MRS, S.REQUESTED, S.UNSCHEDULED, False)
    install = a.step(StepKind.INSTALLATION)
    assert install is not None
    assert check_action(a, install, Action.CONFIRM, NOW) is S.CONFIRMED


def test_illegal_moves_come_from_the_status_machine() -> None:
    a = activation(ServiceKind.INTERNET, None, S.CANCELLED, False)
    with pytest.raises(IllegalMove, match="cannot complete a cancelled activation event: it was cancelled"):
        check_action(a, act_step(a), Action.COMPLETE, NOW)


@pytest.mark.parametrize("action", [Action.COMPLETE, Action.NOT_READY, Action.NO_SHOW])
def test_outcomes_wait_for_the_event(action: Action) -> None:
    a = activation(ServiceKind.INTERNET, None, S.VALIDATED, False)
    with pytest.raises(ActionRefused, match="has not started yet"):
        check_action(a, act_step(a), action, NOW)
    started = activation(ServiceKind.INTERNET, None, S.VALIDATED, False, start=NOW - timedelta(minutes=5))
    assert check_action(started, act_step(started), action, NOW) is not None


def contact(*roles: ContactRole) -> Contact:
    return Contact(1, 1, "Pat Lee", frozenset(roles))


@pytest.mark.parametrize(
    ("roles", "ok"),
    [
        ((ContactRole.DESIGNATED,), True),
        ((ContactRole.AUTHORISED, ContactRole.BILLING), True),
        ((ContactRole.SITE_TECHNICAL,), False),
        ((ContactRole.EXECUTIVE,), False),
        ((), False),
    ],
)
def test_who_may_validate(roles: tuple[ContactRole, ...], ok: bool) -> None:
    person = contact(*roles)
    assert may_validate(person) is ok
    warning = validation_warning(person, "Acme")
    assert (warning is None) is ok
    if warning:
        assert warning.startswith("Pat Lee is not a designated or authorised contact of Acme")


def test_ip_letter_goes_to_the_technical_contact() -> None:
    assert ip_letter_warning(contact(ContactRole.SITE_TECHNICAL)) is None
    assert "not a site technical contact" in (ip_letter_warning(contact(ContactRole.DESIGNATED)) or "")
