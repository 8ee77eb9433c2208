"""The demo's orders, the part each activation plays, and the order rows.

A customer has an order being scheduled (now and then two), often one done
last month, and one still in provisioning for a quarter of them. Every case
the app has to show is given to one activation of an order being scheduled
(a no-show, a late cancellation with its fee, a late change in and out of
North America, after-hours and weekend windows, an order past its CCD, one
at risk...); the rest draw a scenario by weight. An order's prices are in
its customer's currency; its status and CCD follow from how its activations
went.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ccm_tui.domain.model import OrderStatus, Region, ServiceKind, StepStatus
from ccm_tui.store.demo_model import DemoActivation, DemoBook, DemoCustomer, DemoOrder
from ccm_tui.store.demo_windows import local_date

_S = StepStatus

_CURRENCY = {"GB": "GBP", "DE": "EUR", "FR": "EUR", "AU": "AUD"}
_FX = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "AUD": 1.52}
_PRICES = {  # USD per site: monthly (low, high), one-time (low, high)
    ServiceKind.MRS: ((350, 900), (250, 600)),
    ServiceKind.MSS: ((450, 1200), (400, 900)),
    ServiceKind.INTERNET: ((250, 2200), (0, 500)),
    ServiceKind.ETHERNET: ((600, 2800), (0, 1000)),
    ServiceKind.VPN: ((150, 700), (0, 250)),
}
_M, _S2, _I, _E, _V = ServiceKind.MRS, ServiceKind.MSS, ServiceKind.INTERNET, ServiceKind.ETHERNET, ServiceKind.VPN
_BUNDLES: tuple[tuple[tuple[ServiceKind, ...], int], ...] = (
    ((_M, _I), 20),
    ((_M,), 10),
    ((_M, _S2, _I), 10),
    ((_S2,), 8),
    ((_I,), 12),
    ((_E,), 8),
    ((_V,), 6),
    ((_M, _V), 8),
    ((_M, _E), 6),
    ((_S2, _I), 6),
)

# Activation scenarios for orders being scheduled: weights of the random ones.
_RANDOM_SCENARIOS: tuple[tuple[str, int], ...] = (
    ("completed", 20),
    ("completed_no_traffic", 2),
    ("requested", 14),
    ("confirmed", 16),
    ("validated", 16),
    ("not_ready", 3),
    ("no_show", 1),
    ("cancelled_past", 3),
    ("unscheduled", 6),
    ("install_upcoming", 8),
    ("rescheduled", 5),
    ("after_hours", 5),
    ("weekend", 4),
)
_MANAGED_ONLY = {"install_upcoming"}


def add_orders(book: DemoBook, customer: DemoCustomer) -> None:
    rng = book.rng
    states = []
    if rng.random() < 0.55:
        states.append("done")
    states.append(rng.choices(("scheduling", "provisioning"), (75, 25))[0])
    if rng.random() < 0.2:
        states.append("scheduling")
    for state in states:
        bundle = rng.choices([b for b, _ in _BUNDLES], [w for _, w in _BUNDLES])[0]
        sites = [rng.choice(customer.sites)]
        if len(customer.sites) > 1 and rng.random() < 0.25:
            sites = rng.sample(customer.sites, 2)
        order = DemoOrder(book.next_id("order"), customer, _order_number(book), bundle, sites, state)
        book.orders.append(order)
        for site in sites:
            for service in bundle:
                activation = DemoActivation(book.next_id("activation"), order, site, service, rng.random() < 0.25)
                order.activations.append(activation)


def _order_number(book: DemoBook) -> str:
    taken = {o.number for o in book.orders}
    while True:
        number = f"ORD-{book.rng.randint(400000, 999999)}"
        if number not in taken:
            return number


def assign_scenarios(book: DemoBook) -> None:
    """Every case the app must show gets one activation; the rest at random."""
    rng = book.rng
    if not any(o.state == "cancelled" for o in book.orders):
        provisioning = [o for o in book.orders if o.state == "provisioning"]
        if provisioning:
            provisioning[-1].state = "cancelled"
    scheduling = [o for o in book.orders if o.state == "scheduling"]
    na = [o for o in scheduling if o.customer.region is Region.NORTH_AMERICA]
    past_ccd = (na or scheduling)[0] if scheduling else None
    if past_ccd is not None:
        past_ccd.special = "past_ccd"
        first, *others = past_ccd.activations
        first.scenario, first.field_dispatch = "not_ready", False
        for activation in others:
            activation.scenario = "not_ready_rescheduled"
    at_risk = next((o for o in reversed(scheduling) if not o.special), None)
    if at_risk is not None:
        at_risk.special = "at_risk"
        for activation in at_risk.activations:
            activation.scenario = "at_risk"
    for order in book.orders:
        if order.state != "scheduling":
            by_state = {"done": "done", "provisioning": "unscheduled_all", "cancelled": "order_cancelled"}
            for activation in order.activations:
                activation.scenario = by_state[order.state]
    pool = [a for o in scheduling for a in o.activations if not a.scenario]
    rng.shuffle(pool)
    na_or_apac = {Region.NORTH_AMERICA, Region.ASIA_PACIFIC}
    must: list[tuple[str, Any]] = [
        ("no_show", lambda a: True),
        ("cancelled_late", lambda a: a.customer.region in na_or_apac),
        ("cancelled_past", lambda a: True),
        ("late_change", lambda a: a.customer.region is Region.NORTH_AMERICA),
        ("late_change", lambda a: a.customer.region is not Region.NORTH_AMERICA),
        ("after_hours", lambda a: True),
        ("after_hours", lambda a: True),
        ("weekend", lambda a: True),
        ("weekend", lambda a: True),
        ("unscheduled", lambda a: a.service.managed),
        ("install_upcoming", lambda a: a.service.managed),
        ("install_upcoming", lambda a: a.service.managed),
        ("rescheduled", lambda a: True),
        ("completed_no_traffic", lambda a: True),
        ("not_ready", lambda a: a.customer.region is Region.ASIA_PACIFIC),
        ("requested", lambda a: True),
        ("confirmed", lambda a: True),
        ("validated", lambda a: True),
        ("validated", lambda a: True),
        ("completed", lambda a: True),
    ]
    for scenario, wanted in must:
        found = next((a for a in pool if not a.scenario and wanted(a)), None)
        if found is not None:
            found.scenario = scenario
    names = [s for s, _ in _RANDOM_SCENARIOS]
    weights = [w for _, w in _RANDOM_SCENARIOS]
    for activation in pool:
        if not activation.scenario:
            scenario = rng.choices(names, weights)[0]
            if scenario in _MANAGED_ONLY and not activation.service.managed:
                scenario = "requested"
            activation.scenario = scenario
    for activation in (a for o in book.orders for a in o.activations):
        if activation.scenario in ("after_hours",):
            activation.style = "after_hours"
        elif activation.scenario == "weekend":
            activation.style = "weekend"
        elif activation.scenario == "no_show":
            activation.style = rng.choice(("after_hours", "weekend"))
        elif activation.scenario in ("late_change", "cancelled_late"):
            activation.style = "business"
        else:
            roll = rng.random()
            activation.style = "after_hours" if roll < 0.08 else "weekend" if roll < 0.13 else "business"


def add_order_rows(book: DemoBook, order: DemoOrder) -> None:
    rng = book.rng
    customer = order.customer
    currency = _CURRENCY.get(customer.home.country, "USD")
    mrc = nrc = 0
    for _site in order.sites:
        for service in order.services:
            (m_low, m_high), (n_low, n_high) = _PRICES[service]
            mrc += rng.randint(m_low // 5, m_high // 5) * 5
            nrc += rng.randint(n_low // 50, n_high // 50) * 50
    mrc = round(mrc * _FX[currency])
    nrc = round(nrc * _FX[currency])
    acts = order.activations
    dates = [local_date(a.start, a.site) for a in acts if a.start is not None and a.status is not _S.CANCELLED]
    completed_on: date | None = None
    if order.state == "done" or (order.state == "scheduling" and all(a.status is _S.COMPLETED for a in acts)):
        status = OrderStatus.COMPLETED
        completed_on = max(dates)
        ccd = completed_on + timedelta(days=rng.randint(-1, 14))
    elif order.state == "cancelled" or all(a.status is _S.CANCELLED for a in acts):
        status = OrderStatus.CANCELLED
        ccd = book.today + timedelta(days=rng.randint(10, 40))
    elif order.state == "provisioning":
        status = OrderStatus.PROVISIONING
        ccd = book.today + timedelta(days=rng.randint(20, 80))
    else:
        status = OrderStatus.INSTALLATION_COMPLETE
        if order.special == "past_ccd":
            ccd = book.today - timedelta(days=12)
        elif order.special == "at_risk":
            ccd = book.today + timedelta(days=6)
        else:
            planned = max((d for d in dates if d >= book.today), default=book.today + timedelta(days=20))
            ccd = planned + timedelta(days=rng.randint(2, 21))
    book.rows["orders"].append(
        {
            "id": order.id,
            "customer_id": customer.id,
            "number": order.number,
            "status": status.value,
            "mrc_cents": mrc * 100,
            "nrc_cents": nrc * 100,
            "currency": currency,
            "ccd": ccd,
            "completed_on": completed_on,
            "version": 1,
        }
    )
    for service in order.services:
        book.rows["order_services"].append({"id": book.next_id("order_service"), "order_id": order.id, "kind": service.value})
