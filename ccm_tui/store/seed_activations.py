"""The seeded book's orders, activations, steps and step histories.

An order's services each get an activation at one of the customer's sites;
steps are spread from 60 days ago to 120 days ahead, mostly on weekdays and
in business hours (one in ten after hours), in every status. A managed
service's installation comes days before its activation, with the IP
letter the day after it is done. Each step's history follows the status
machine, agreed before the window. The order's status and CCD follow its
activations; about one order in ten slips past its CCD.
"""

from __future__ import annotations

import random
from bisect import bisect
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from ccm_tui.domain.model import OrderStatus, ServiceKind, StepKind, StepStatus
from ccm_tui.store.calendar_flags import FlagJudge
from ccm_tui.store.demo_settings import Place
from ccm_tui.store.seed_ids import Rows, SeedIds

SCHEDULING_TEAM = "scheduling team"

_S = StepStatus
_PAST_STATUSES = ((_S.COMPLETED, 80), (_S.NOT_READY, 6), (_S.NO_SHOW, 3), (_S.CANCELLED, 6), (_S.REQUESTED, 5))
_FUTURE_STATUSES = ((_S.UNSCHEDULED, 10), (_S.REQUESTED, 30), (_S.CONFIRMED, 30), (_S.VALIDATED, 25), (_S.CANCELLED, 5))
_CHAIN = {  # history actions leading to each status, in order
    _S.REQUESTED: ("request",),
    _S.CONFIRMED: ("request", "confirm"),
    _S.VALIDATED: ("request", "confirm", "validate"),
    _S.COMPLETED: ("request", "confirm", "validate", "complete"),
    _S.NOT_READY: ("request", "confirm", "validate", "not_ready"),
    _S.NO_SHOW: ("request", "confirm", "validate", "no_show"),
    _S.CANCELLED: ("request", "cancel"),
}
_TO_STATUS = {
    "request": "requested",
    "confirm": "confirmed",
    "validate": "validated",
    "complete": "completed",
    "not_ready": "not_ready",
    "no_show": "no_show",
    "cancel": "cancelled",
}
_PAST = (tuple(s for s, _ in _PAST_STATUSES), tuple(accumulate(w for _, w in _PAST_STATUSES)))
_FUTURE = (tuple(s for s, _ in _FUTURE_STATUSES), tuple(accumulate(w for _, w in _FUTURE_STATUSES)))
_HOUR, _DAY = timedelta(hours=1), timedelta(days=1)
_PASSED = (_S.CONFIRMED, _S.VALIDATED, _S.COMPLETED, _S.NOT_READY, _S.NO_SHOW)


class OrderSeeder:
    """Writes a customer's orders, with their activations, steps and history."""

    def __init__(
        self,
        today: date,
        now: datetime,
        rng: random.Random,
        ids: SeedIds,
        places: tuple[Place, ...],
        judge: FlagJudge | None = None,
    ) -> None:
        self.today = today
        self.judge = judge
        self._order_steps: list[tuple[dict[str, Any], Place]] = []  # the current order's steps, judged with its CCD
        self.now = now
        self.rng = rng  # the customers' stream: one stream, drawn in one order, for the same book
        self.ids = ids
        self.zones = {p.zone: ZoneInfo(p.zone) for p in places}
        self._utc_cache: dict[tuple[str, date, int], datetime] = {}

    def order(
        self,
        rows: Rows,
        cid: int,
        ccm: str,
        sites: list[tuple[int, Place]],
        technical: int,
        currency: str,
        kinds: list[ServiceKind],
    ) -> None:
        rng = self.rng
        (oid,) = self.ids.take("orders", 1)
        provisioning = rng.random() < 0.08
        act_days: list[date] = []
        statuses: list[StepStatus] = []
        self._order_steps.clear()
        for kind, aid in zip(kinds, self.ids.take("activations", len(kinds)), strict=True):
            sid, place = rng.choice(sites)
            status, day = self._activation(rows, cid, ccm, oid, aid, sid, place, technical, kind, provisioning)
            statuses.append(status)
            if day is not None:
                act_days.append(day)
        for kind, osid in zip(kinds, self.ids.take("order_services", len(kinds)), strict=True):
            rows["order_services"].append({"id": osid, "order_id": oid, "kind": kind.value})
        completed_on = None
        if provisioning:
            order_status, ccd = OrderStatus.PROVISIONING, self.today + timedelta(days=rng.randint(20, 90))
        elif all(s is _S.COMPLETED for s in statuses):
            completed_on = max(act_days)
            order_status, ccd = OrderStatus.COMPLETED, completed_on + timedelta(days=rng.randint(-2, 10))
        elif all(s is _S.CANCELLED for s in statuses):
            order_status, ccd = OrderStatus.CANCELLED, self.today + timedelta(days=rng.randint(0, 60))
        else:
            planned = max(act_days, default=self.today + timedelta(days=30))
            # about one order in ten slips past its CCD
            ccd = planned + timedelta(days=rng.randint(-20, -1) if rng.random() < 0.1 else rng.randint(0, 20))
            order_status = OrderStatus.INSTALLATION_COMPLETE
        self._judge_steps(ccd)
        rows["orders"].append(
            {
                "id": oid,
                "customer_id": cid,
                "number": f"SO-{oid:07d}",
                "status": order_status.value,
                "mrc_cents": rng.randint(40, 600) * 500,
                "nrc_cents": rng.randint(0, 20) * 5000,
                "currency": currency,
                "ccd": ccd,
                "completed_on": completed_on,
                "version": 1,
            }
        )

    def _activation(
        self,
        rows: Rows,
        cid: int,
        ccm: str,
        oid: int,
        aid: int,
        sid: int,
        place: Place,
        technical: int,
        kind: ServiceKind,
        provisioning: bool,
    ) -> tuple[StepStatus, date | None]:
        rng = self.rng
        offset = rng.randint(-60, 120)
        day = self.today + timedelta(days=offset)
        roll = rng.random()
        hour, length = (19, 4) if roll < 0.1 else (9, 3)
        if roll >= 0.17 and day.weekday() >= 5:  # most windows are on weekdays
            day += timedelta(days=7 - day.weekday())
        if provisioning:
            status = _S.UNSCHEDULED
        else:
            statuses, weights = _PAST if day < self.today else _FUTURE
            status = statuses[bisect(weights, rng.random() * weights[-1])]
        start = None
        if status is not _S.UNSCHEDULED:
            start = self._utc(place.zone, day, hour)

        letter: date | None = None
        if kind.managed:
            install_day = day - timedelta(days=rng.randint(3, 8))
            if status in _PASSED or (status is _S.REQUESTED and install_day < self.today):
                install_day = min(install_day, self.today - timedelta(days=2))
                install_status = _S.COMPLETED
                if status is not _S.REQUESTED or rng.random() < 0.5:
                    letter = install_day + timedelta(days=1)
            elif status is _S.REQUESTED:
                install_status = rng.choice((_S.REQUESTED, _S.CONFIRMED, _S.VALIDATED))
            else:  # unscheduled or cancelled alike
                install_status = status
            install_start = None if install_status is _S.UNSCHEDULED else self._utc(place.zone, install_day, 8)
            self._step(rows, cid, ccm, aid, StepKind.INSTALLATION, install_status, install_start, 4, None, place)
        self._step(rows, cid, ccm, aid, StepKind.ACTIVATION, status, start, length, letter, place)
        rows["activations"].append(
            {
                "id": aid,
                "customer_id": cid,
                "order_id": oid,
                "site_id": sid,
                "service": kind.value,
                "field_dispatch": roll > 0.75,
                "ip_letter_sent_on": letter,
                "ip_letter_contact_id": technical if letter else None,
                "traffic_passed_at": start + timedelta(hours=1) if status is _S.COMPLETED and start else None,
                "version": 1,
            }
        )
        return status, (day if start is not None else None)

    def _step(
        self,
        rows: Rows,
        cid: int,
        ccm: str,
        aid: int,
        kind: StepKind,
        status: StepStatus,
        start: datetime | None,
        hours: int,
        letter: date | None,
        place: Place,
    ) -> None:
        (step_id,) = self.ids.take("activation_steps", 1)
        row: dict[str, Any] = {
            "id": step_id,
            "activation_id": aid,
            "customer_id": cid,
            "kind": kind.value,
            "start_at": start,
            "end_at": start + timedelta(hours=hours) if start else None,
            "status": status.value,
            "version": 1,
        }
        rows["activation_steps"].append(row)
        self._order_steps.append((row, place))
        if start is None:
            return
        now = self.now
        # Agreed before the window (and, for a managed activation, after the IP letter).
        agreed = [min(start - 10 * _DAY, now - 3 * _DAY), min(start - 8 * _DAY, now - 2 * _DAY), min(start - 4 * _DAY, now - _DAY)]
        if letter is not None:
            after = datetime.combine(letter, time(18))
            agreed[1:] = [max(agreed[1], after), max(agreed[2], after + 2 * _HOUR)]
        previous: str | None = None
        chain = _CHAIN[status]
        changes = rows["activation_changes"]
        change_ids = self.ids.take("activation_changes", len(chain))
        for index, (action, change_id) in enumerate(zip(chain, change_ids, strict=True)):
            if action == "cancel":
                at = min(start - 3 * _DAY, now - _HOUR)
            elif index < 3:
                at = agreed[index]
            else:
                at = start + _HOUR
            changes.append(
                {
                    "id": change_id,
                    "activation_id": aid,
                    "step_kind": kind.value,
                    "at": at,
                    "who": SCHEDULING_TEAM if action == "confirm" else ccm,
                    "action": action,
                    "from_status": previous,
                    "to_status": _TO_STATUS[action],
                    "from_start": None,
                    "to_start": start if action == "request" else None,
                    "reason": "",
                    "fee_cents": None,
                    "fee_currency": None,
                }
            )
            previous = _TO_STATUS[action]

    def _judge_steps(self, ccd: date) -> None:
        """The calendar's derived columns of the order's steps, now that its CCD is known."""
        for row, place in self._order_steps:
            if self.judge is None:
                row |= {"calendar_flags": None, "ccd": None}
            else:
                row |= self.judge.columns(row["start_at"], row["end_at"], (place.zone, place.country, place.subdivision), ccd)
        self._order_steps.clear()

    def _utc(self, zone: str, day: date, hour: int) -> datetime:
        key = (zone, day, hour)
        found = self._utc_cache.get(key)
        if found is None:
            local = datetime(day.year, day.month, day.day, hour, tzinfo=self.zones[zone])
            found = self._utc_cache[key] = local.astimezone(UTC).replace(tzinfo=None)
        return found
