"""The demo's time entries: this month's hours so far and the three months'
before, per customer, in the task catalogue's words.

Most customers are well inside their package; a few of the demo user's are
near it this month and a couple over it, so the hours view has both to show.
"""

from __future__ import annotations

from datetime import date, timedelta

from ccm_tui.domain.model import TaskCategory
from ccm_tui.store.demo_model import DemoBook


def add_time_entries(book: DemoBook) -> None:
    """This month and the three before; some customers near or over their package."""
    rng = book.rng
    categories = list(TaskCategory)
    weights = [{"relationship": 25, "activations": 25, "service_level": 15}.get(c.value, 12) for c in categories]
    month = book.today.replace(day=1)
    months = [month]
    for _ in range(3):
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    elapsed = book.today.day / _days_in_month(book.today)
    owned = [c for c in book.customers if c.ccm == book.cfg.demo_user] or book.customers
    over = set(c.id for c in owned[1:4:2])
    near = set(c.id for c in owned[5:11:2])
    for customer in book.customers:
        for start in months:
            if start == month:
                if customer.id in over:
                    ratio = rng.uniform(1.05, 1.35)
                elif customer.id in near:
                    ratio = rng.uniform(0.82, 0.97)
                else:
                    ratio = rng.uniform(0.3, 0.85) * elapsed
                last = book.today
            else:
                ratio = rng.uniform(0.5, 1.08)
                last = start.replace(day=_days_in_month(start))
            days = [start + timedelta(days=d) for d in range((last - start).days + 1)]
            days = [d for d in days if d.weekday() < 5] or days
            remaining = int(customer.hours * 60 * ratio) // 15 * 15
            while remaining >= 15:
                minutes = min(remaining, rng.randint(2, 12) * 15)
                remaining -= minutes
                category = rng.choices(categories, weights)[0]
                book.rows["time_entries"].append(
                    {
                        "id": book.next_id("time"),
                        "customer_id": customer.id,
                        "day": rng.choice(days),
                        "minutes": minutes,
                        "category": category.value,
                        "note": rng.choice(book.tasks[category])[0],
                        "who": customer.ccm,
                    }
                )


def _days_in_month(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - day.replace(day=1)).days
