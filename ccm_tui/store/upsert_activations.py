"""Imported activations and their steps into the book, matched by order,
site and service.

A row names its order exactly and its site by name in any case; its local
step times are placed in the site's zone. Every step an import creates or
changes gets a history row that says which file and line did it, and the
calendar's derived columns judged at its site (the Writer's `judge`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select

from ccm_tui.domain.changes import Entity
from ccm_tui.domain.import_report import Problem
from ccm_tui.domain.import_rows import ActivationImport, fold_name
from ccm_tui.domain.import_site_times import StepWindow, place_at_site
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.store.calendar_flags import Place
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.upsert_batch import (
    ACTIVATION,
    CHANGE,
    SITE,
    STEP,
    Outcome,
    RowResult,
    Writer,
    ambiguous,
    insert_returning_ids,
    update_by_id,
)
from ccm_tui.store.upsert_orders import orders_by_number, services_of

IMPORT_ACTION = "import"  # the history row's action for a step an import created or changed
_ACTIVATION_OPTIONAL = {
    "field_dispatch": "field_dispatch",
    "ip_letter_sent_on": "ip_letter_sent_on",
    "traffic_passed_at": "traffic_passed_at",
}


@dataclass
class _Placed:
    """An activation row resolved against the book."""

    line: int
    data: ActivationImport
    customer_id: int
    order_id: int
    site_id: int
    steps: tuple[StepWindow, ...]
    traffic_passed_at: datetime | None
    place: Place  # the site's zone, country and subdivision
    ccd: date | None  # the order's


def upsert_activations(w: Writer, batch: Sequence[tuple[int, ActivationImport]]) -> list[RowResult]:
    orders = orders_by_number(w.conn, (data.order_number for _, data in batch))
    services = services_of(w.conn, (row.id for row in orders.values()))
    customer_ids = {row.customer_id for row in orders.values()}
    sites: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in w.conn.execute(
        select(SITE.c.id, SITE.c.customer_id, SITE.c.name, SITE.c.timezone, SITE.c.country, SITE.c.subdivision).where(
            SITE.c.customer_id.in_(customer_ids)
        )
    ):
        sites[(row.customer_id, fold_name(row.name))].append(row)

    results: dict[int, RowResult] = {}
    placed: list[tuple[int, _Placed]] = []
    for index, (line, data) in enumerate(batch):
        resolved = _resolve(line, data, orders, services, sites, w.now)
        if isinstance(resolved, list):
            results[index] = resolved
        else:
            placed.append((index, resolved))

    existing: dict[tuple[int, int, str], list[Any]] = defaultdict(list)
    steps: dict[int, dict[str, Any]] = defaultdict(dict)
    order_ids = {p.order_id for _, p in placed}
    for row in w.conn.execute(select(ACTIVATION).where(ACTIVATION.c.order_id.in_(order_ids))):
        existing[(row.order_id, row.site_id, row.service)].append(row)
    activation_ids = [row.id for rows in existing.values() for row in rows]
    for row in w.conn.execute(select(STEP).where(STEP.c.activation_id.in_(activation_ids))):
        steps[row.activation_id][row.kind] = row

    creates: list[_Placed] = []
    writes = _StepWrites(w)
    for index, p in placed:
        matches = existing.get((p.order_id, p.site_id, p.data.service.value), [])
        if len(matches) > 1:
            what = f"{len(matches)} {p.data.service} activations of order {p.data.order_number} at {p.data.site_name}"
            results[index] = [ambiguous(p.line, "service", p.data.service.value, what)]
        elif not matches:
            creates.append(p)
            results[index] = Outcome.CREATED
        else:
            results[index] = writes.update(p, matches[0], steps[matches[0].id])
    writes.create(creates)
    writes.flush()
    return [results[i] for i in range(len(batch))]


def _resolve(
    line: int,
    data: ActivationImport,
    orders: dict[str, Any],
    services: dict[int, tuple[str, ...]],
    sites: dict[tuple[int, str], list[Any]],
    now: datetime,
) -> _Placed | list[Problem]:
    order = orders.get(data.order_number.lower())
    if order is None:
        return [
            Problem(
                line,
                "order_number",
                data.order_number,
                f"no order {data.order_number} in the book; import the order first",
            )
        ]
    if order.number != data.order_number:
        return [
            Problem(
                line,
                "order_number",
                data.order_number,
                f"no order {data.order_number} in the book (it has {order.number}: order numbers must match exactly)",
            )
        ]
    problems = []
    if order.account_number != data.account_number:
        problems.append(
            Problem(
                line,
                "account_number",
                data.account_number,
                f"order {order.number} belongs to account {order.account_number}, not {data.account_number}",
            )
        )
    on_order = services.get(order.id, ())
    if data.service.value not in on_order:
        problems.append(
            Problem(
                line,
                "service",
                data.service.value,
                f"{data.service} is not on order {order.number} ({'+'.join(on_order)})",
            )
        )
    matches = sites.get((order.customer_id, fold_name(data.site_name)), [])
    if not matches:
        problems.append(
            Problem(
                line,
                "site_name",
                data.site_name,
                f"account {order.account_number} has no site named {data.site_name}; import the site first",
            )
        )
    elif len(matches) > 1:
        problems.append(ambiguous(line, "site_name", data.site_name, f"{len(matches)} sites named {data.site_name}"))
    if problems:
        return problems
    site = matches[0]
    try:
        times = place_at_site(data, site.timezone, now)
    except InvalidInput as error:
        return [Problem(line, column, _local_text(data, column), message) for column, message in error.errors.items()]
    place = (site.timezone, site.country, site.subdivision)
    return _Placed(line, data, order.customer_id, order.id, site.id, times.steps, times.traffic_passed_at, place, order.ccd)


def _local_text(data: ActivationImport, column: str) -> str:
    if column == "traffic_passed_at":
        return data.traffic_passed_at.text if data.traffic_passed_at else ""
    if column == "ip_letter_sent_on":
        return data.ip_letter_sent_on.isoformat() if data.ip_letter_sent_on else ""
    for step in data.steps:
        for side in ("start", "end"):
            local = getattr(step, side)
            if column == f"{step.kind.value}_{side}" and local is not None:
                return str(local.text)
    return ""


class _StepWrites:
    """Activation, step and history rows of one batch, written together at the end."""

    def __init__(self, w: Writer) -> None:
        self.w = w
        self.activation_updates: list[dict[str, Any]] = []
        self.step_updates: list[dict[str, Any]] = []
        self.step_inserts: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []

    def create(self, creates: list[_Placed]) -> None:
        rows = [
            {
                "customer_id": p.customer_id,
                "order_id": p.order_id,
                "site_id": p.site_id,
                "service": p.data.service.value,
                "field_dispatch": p.data.field_dispatch,
                "ip_letter_sent_on": p.data.ip_letter_sent_on,
                "ip_letter_contact_id": None,
                "traffic_passed_at": to_naive_utc(p.traffic_passed_at),
                "version": 1,
            }
            for p in creates
        ]
        for activation_id, p in zip(insert_returning_ids(self.w.conn, ACTIVATION, rows), creates, strict=True):
            for step in p.steps:
                self._insert_step(activation_id, p, step)

    def _insert_step(self, activation_id: int, p: _Placed, step: StepWindow) -> None:
        self.step_inserts.append(
            {
                "activation_id": activation_id,
                "customer_id": p.customer_id,
                "kind": step.kind.value,
                "start_at": to_naive_utc(step.start),
                "end_at": to_naive_utc(step.end),
                "status": step.status.value,
                "version": 1,
                **self._derived(p, step),
            }
        )
        if step.status is not StepStatus.UNSCHEDULED:
            self._history(activation_id, p, step.kind, None, step.status.value, None, to_naive_utc(step.start))

    def update(self, p: _Placed, row: Any, old_steps: dict[str, Any]) -> Outcome:
        changed = False
        values = {
            "field_dispatch": p.data.field_dispatch,
            "ip_letter_sent_on": p.data.ip_letter_sent_on,
            "traffic_passed_at": to_naive_utc(p.traffic_passed_at),
        }
        values = self.w.kept(values, row, _ACTIVATION_OPTIONAL)
        for step in p.steps:
            old = old_steps.get(step.kind.value)
            if old is not None and not {f"{step.kind.value}_{part}" for part in ("start", "end", "status")} & self.w.columns:
                continue  # the file says nothing about this step: it stays as the book has it
            if old is None:
                self._insert_step(row.id, p, step)
                changed = True
                continue
            start, end = to_naive_utc(step.start), to_naive_utc(step.end)
            if (old.status, old.start_at, old.end_at) == (step.status.value, start, end):
                continue
            changed = True
            self.step_updates.append(
                {
                    "row_id": old.id,
                    "status": step.status.value,
                    "start_at": start,
                    "end_at": end,
                    "version": old.version + 1,
                    **self._derived(p, step),  # derived from the window: judged again
                }
            )
            self.w.logged(
                Entity.ACTIVATION_STEP,
                old.id,
                p.customer_id,
                {"status": old.status, "start": to_utc(old.start_at), "end": to_utc(old.end_at)},
                {"status": step.status.value, "start": step.start, "end": step.end},
            )
            moved = old.start_at != start
            self._history(
                row.id,
                p,
                step.kind,
                old.status,
                step.status.value,
                old.start_at if moved else None,
                start if moved else None,
            )
        if changed or any(getattr(row, k) != v for k, v in values.items()):
            self.activation_updates.append({"row_id": row.id, **values, "version": row.version + 1})
            return Outcome.UPDATED
        return Outcome.UNCHANGED

    def _derived(self, p: _Placed, step: StepWindow) -> dict[str, Any]:
        """The step's calendar columns (NULL, for the calendar to derive, when the import has no judge)."""
        if self.w.judge is None:
            return {"calendar_flags": None, "ccd": None}
        return self.w.judge.columns(to_naive_utc(step.start), to_naive_utc(step.end), p.place, p.ccd)

    def _history(
        self,
        activation_id: int,
        p: _Placed,
        kind: StepKind,
        from_status: str | None,
        to_status: str,
        from_start: datetime | None,
        to_start: datetime | None,
    ) -> None:
        """One history line; the starts are naive UTC, as the columns hold them."""
        self.history.append(
            {
                "activation_id": activation_id,
                "step_kind": kind.value,
                "at": self.w.stamp,
                "who": self.w.who,
                "action": IMPORT_ACTION,
                "from_status": from_status,
                "to_status": to_status,
                "from_start": from_start,
                "to_start": to_start,
                "reason": f"imported from {self.w.source} line {p.line}"[:1000],
                "fee_cents": None,
                "fee_currency": None,
                "contact_id": None,
            }
        )

    def flush(self) -> None:
        conn = self.w.conn
        update_by_id(conn, ACTIVATION, self.activation_updates)
        update_by_id(conn, STEP, self.step_updates)
        for step_id, made in zip(insert_returning_ids(conn, STEP, self.step_inserts), self.step_inserts, strict=True):
            after = {
                "kind": made["kind"],
                "status": made["status"],
                "start": to_utc(made["start_at"]),
                "end": to_utc(made["end_at"]),
            }
            self.w.logged(Entity.ACTIVATION_STEP, step_id, made["customer_id"], {}, after)
        if self.history:
            conn.execute(insert(CHANGE), self.history)
