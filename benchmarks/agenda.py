"""The service-review agenda's queries on the 50,000-customer / 200,000-activation book.

The seeder writes each customer's last review or two and a few incidents;
this benchmark wants a heavier history, so it copies the shared book
(book.py's) to `.cache/book-50k-reviews.sqlite` (its own file: it is
migrated to the current schema and written to, the shared one is not) and
adds, in SQL, a year's worth of review history: a completed monthly
review for 8 customers in 10 (held 0-59 days ago), a quarterly one for every
third customer, 8 agenda items and 2 action items (one open) on each, a
third of the customers on a quarterly cadence, firewall and monitoring
review dates spread over 200 days, and two incidents for 3 customers in 4.

Timed, in process, through the same Services the app uses: the reviews due
(first 200 of the book), the facts and agenda for one customer (a different
one each run), the agenda in words as the CLI writes it, making a draft,
loading the screen's workspace, completing a review; and the app itself,
from key 4 to the reviews due on screen.

    .venv/bin/python benchmarks/agenda.py [--fresh] [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import book
from stats import ms

BOOK = book.CACHE / "book-50k-reviews.sqlite"
KEYS = (
    "proactive_calls", "contact_management", "incident_trending", "infrastructure_review",
    "service_reviews", "package_hours", "cancellation_fees", "activation_schedule",
)  # fmt: skip


def ensure_reviews(fresh: bool = False) -> str:
    """The benchmark book with review history; how it was made."""
    book.CACHE.mkdir(exist_ok=True)
    if BOOK.exists() and not fresh:
        return "reused (--fresh rebuilds)"
    book.ensure_book()
    started = time.perf_counter()
    partial = BOOK.with_suffix(".partial")  # a crash mid-way leaves no half book to reuse
    for path in (BOOK, partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        path.unlink(missing_ok=True)
    print("Copying the benchmark book and adding review history...", file=sys.stderr)
    shutil.copy(book.BOOK, partial)
    book.use_ccm_env()
    from ccm_tui.services import BookLocation, open_book

    settings, clock = book.settings_and_clock()
    services, _ = open_book(BookLocation.file(partial), settings, clock)  # migrates the copy
    today = services.today().isoformat()
    now = clock.now().astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    services.engine.dispose()
    with sqlite3.connect(partial) as conn:
        # A shared book made while revision 0004 was still growing may lack its last columns.
        have = {row[1] for row in conn.execute("PRAGMA table_info(agenda_item)")}
        for column, size in (("details", 4000), ("contact_ids", 1000)):
            if column not in have:
                conn.execute(f"ALTER TABLE agenda_item ADD COLUMN {column} VARCHAR({size}) NOT NULL DEFAULT ''")
        if "last_review_on" not in {row[1] for row in conn.execute("PRAGMA table_info(customer)")}:
            conn.execute("ALTER TABLE customer ADD COLUMN last_review_on DATE")
            conn.execute("CREATE INDEX ix_customer_review_due ON customer (review_cadence, last_review_on)")
        conn.execute("CREATE TEMP TABLE k (n INT, key TEXT)")
        conn.executemany("INSERT INTO k VALUES (?, ?)", list(enumerate(KEYS, start=1)))
        conn.execute(
            "UPDATE customer SET review_cadence = CASE WHEN id % 3 = 0 THEN 'quarterly' ELSE 'monthly' END,"
            " firewall_reviewed_on = date(:today, '-' || (id % 200) || ' days'),"
            " monitoring_reviewed_on = date(:today, '-' || ((id * 7) % 200) || ' days')",
            {"today": today},
        )
        conn.execute(
            "INSERT INTO service_review (customer_id, kind, held_on, status, attendees, version, completed_at)"
            " SELECT id, 'monthly', date(:today, '-' || (id % 60) || ' days'), 'completed', 'Customer; CCM', 1, :now"
            " FROM customer WHERE id % 10 < 8",
            {"today": today, "now": now},
        )
        conn.execute(
            "INSERT INTO service_review (customer_id, kind, held_on, status, attendees, version, completed_at)"
            " SELECT id, 'quarterly', date(:today, '-' || (70 + id % 40) || ' days'), 'completed', 'Customer; CCM', 1, :now"
            " FROM customer WHERE id % 3 = 0",
            {"today": today, "now": now},
        )
        conn.execute(
            "UPDATE customer SET last_review_on = (SELECT max(held_on) FROM service_review r"
            " WHERE r.customer_id = customer.id AND r.status = 'completed')"
        )
        conn.execute(
            "INSERT INTO agenda_item (review_id, position, section, text, minutes, key, details, contact_ids)"
            " SELECT r.id, k.n, 'Section', 'Item ' || k.key, 'Discussed.', k.key, '', '' FROM service_review r, k"
        )
        conn.execute(
            "INSERT INTO action_item (review_id, text, owner, due, done)"
            " SELECT id, 'Send the report', 'CCM', date(held_on, '+14 days'), 0 FROM service_review"
            " UNION ALL SELECT id, 'Book the tour', 'Customer', date(held_on, '+7 days'), 1 FROM service_review"
        )
        conn.execute(
            "INSERT INTO incident (customer_id, kind, severity, summary, opened_at, closed_at, who)"
            " SELECT id, CASE WHEN id % 5 = 0 THEN 'escalation' ELSE 'incident' END, 1 + id % 4, 'Packet loss',"
            " datetime(:now, '-' || (id % 100) || ' days'), datetime(:now, '-' || (id % 100) || ' days', '+3 hours'), 'CCM'"
            " FROM customer WHERE id % 4 != 0"
            " UNION ALL SELECT id, 'incident', 3, 'Router reboot', datetime(:now, '-' || (id % 30) || ' days'),"
            " CASE WHEN id % 7 = 0 THEN NULL ELSE datetime(:now, '-' || (id % 30) || ' days', '+1 hours') END, 'CCM'"
            " FROM customer WHERE id % 4 != 0",
            {"now": now},
        )
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("service_review", "agenda_item", "action_item", "incident")
        }
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(BOOK)
    added = ", ".join(f"{n:,} {t.replace('_', ' ')}s" for t, n in counts.items())
    return f"made in {time.perf_counter() - started:.0f} s: {added}"


def forget_todays_reviews(engine, today) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete, text

    from ccm_tui.store.engine import write_session
    from ccm_tui.store.tables import ServiceReviewRow

    with write_session(engine) as session:  # foreign keys on: items and actions go with them
        session.execute(delete(ServiceReviewRow).where(ServiceReviewRow.held_on == today))
        session.execute(
            text(
                "UPDATE customer SET last_review_on = (SELECT max(held_on) FROM service_review r"
                " WHERE r.customer_id = customer.id AND r.status = 'completed') WHERE last_review_on = :today"
            ),
            {"today": today.isoformat()},
        )


def timed(call: Callable[[], object], runs: int) -> list[float]:
    call()  # warm-up, not counted
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def cycling(call: Callable[[int], object], ids: list[int]) -> Callable[[], object]:
    """`call` with the next id each time, so no run reads what the last one warmed."""
    position = iter(range(10**9))
    return lambda: call(ids[next(position) % len(ids)])


async def key_4(app, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    """From pressing 4 to the frame that shows the reviews due (the screen is made anew each time)."""
    from textual.widgets import DataTable

    from ccm_tui.screens.review_agenda import ReviewAgendaScreen

    seconds = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        for _ in range(runs + 1):
            started = time.perf_counter()
            await pilot.press("4")
            while not (isinstance(app.screen, ReviewAgendaScreen) and app.screen.query_one("#due-table", DataTable).row_count):
                await asyncio.sleep(0.001)
            await pilot.pause()  # the frame that paints it
            seconds.append(time.perf_counter() - started)
            await pilot.press("1")
            app.remove_mode("agenda")
            app.add_mode("agenda", ReviewAgendaScreen)
            await pilot.pause(0.05)
    return seconds[1:]


def run(runs: int = 15, fresh: bool = False) -> str:
    made = ensure_reviews(fresh)
    book.use_ccm_env()
    from ccm_tui.app import CcmApp
    from ccm_tui.domain.model import ReviewKind
    from ccm_tui.domain.review_inputs import ReviewSetup
    from ccm_tui.domain.reviews import ReviewCadence
    from ccm_tui.services import BookLocation, open_book

    settings, clock = book.settings_and_clock()
    location = BookLocation.file(BOOK)
    services, _ = open_book(location, settings, clock)
    agenda = services.agenda
    today = services.today()
    forget_todays_reviews(services.engine, today)  # an earlier run's drafts and completions
    due, total = agenda.reviews_due()
    # customers with activations and incidents, spread over the book
    ids = [d.customer_id for d in due[:: max(1, len(due) // 40)]][:40]
    drafts = iter(range(1, 10**9))
    size = BOOK.stat().st_size / 2**20

    def prepare(customer_id: int) -> object:
        return agenda.prepare(customer_id, ReviewSetup(ReviewKind.QUARTERLY, today, ReviewCadence.QUARTERLY))

    made_drafts = [prepare(i).id for i in ids[:3]]  # type: ignore[attr-defined]

    def complete(_: int) -> object:
        customer_id = 7 * next(drafts) + 1000  # a fresh customer each run
        review = prepare(customer_id)
        return agenda.complete(review.id, review.version)  # type: ignore[attr-defined]

    lines = [
        f"Agenda: {made}; {size:.0f} MiB",
        f"  {total:,} reviews due by {today.isoformat()} + 14 days (clock pinned at {book.PINNED_NOW})",
        f"Queries, {runs} runs each; ms as median / p95",
    ]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("reviews due, the first 100 (as the screen asks)", lambda: agenda.reviews_due(100)),
        ("one customer's facts (quarterly)", cycling(lambda i: agenda.facts(i, ReviewKind.QUARTERLY, today), ids)),
        ("facts + agenda built (quarterly)", cycling(lambda i: agenda.build(i, ReviewKind.QUARTERLY, today), ids)),
        (
            "agenda in words, Markdown (the CLI)",
            cycling(lambda i: agenda.markdown(agenda.preview(i, ReviewKind.QUARTERLY, today)), ids),
        ),
        ("workspace of a draft (the screen's load)", cycling(agenda.workspace, made_drafts)),
        ("make a draft (facts, agenda, one write)", cycling(lambda i: prepare(10_000 + i), list(range(0, 40_000, 97)))),
        ("make and complete a review (two writes)", cycling(complete, ids)),
    ]
    for label, call in cases:
        lines.append(f"  {label:<50}{ms(timed(call, runs)):>19}")
    app = CcmApp(settings, clock, location, services=services)
    lines.append(f"  {'key 4 to the reviews due painted (app, 120x40)':<50}{ms(asyncio.run(key_4(app, min(runs, 7)))):>19}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="remake the review copy of the book")
    parser.add_argument("--runs", type=int, default=15, help="runs per query (default 15)")
    args = parser.parse_args()
    print(run(args.runs, args.fresh))


if __name__ == "__main__":
    main()
