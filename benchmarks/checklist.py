"""The checklist screen's queries on the 50,000-customer / 200,000-activation book.

The seeder gives checklists only to the activations of the next two months
(and the last fortnight), so this benchmark seeds its own book like book.py's
(`.cache/book-50k-checklists.sqlite`, same size, seed and pinned clock; its
own file, so it always has the current schema and never disturbs the shared
one) and gives every other activation that still has a step to come its
template's items, in one INSERT ... SELECT. Item states are a deterministic hash of (activation,
position): an item whose due date is near or past is done 97 times in 100
(the rest make the not-ready risks), one further ahead 25 times in 100,
everything of a completed step is done.

Timed, in process, through the same Services the app uses: the risk-sorted
list (first page, a deep page, filtered), readiness_for a page of ids, one
activation's checklist, the recently activated list, and the customer
book's first page (which now asks for the not-ready flag of its rows); and
the app itself, from key 3 to the list's first rows on screen.

    .venv/bin/python benchmarks/checklist.py [--fresh] [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import book
from stats import ms

BOOK = book.CACHE / "book-50k-checklists.sqlite"
FILTERS = ("har", "zzqqxx")


def ensure_checklists(fresh: bool = False) -> str:
    """The benchmark book with checklist items; how it was made."""
    book.CACHE.mkdir(exist_ok=True)
    if BOOK.exists() and not fresh:
        return "reused (--fresh rebuilds)"
    started = time.perf_counter()
    partial = BOOK.with_suffix(".partial")  # a crash mid-way leaves no half book to reuse
    for path in (BOOK, partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        path.unlink(missing_ok=True)
    print(f"Seeding the checklist benchmark book ({book.CUSTOMERS:,} customers; a minute or two)...", file=sys.stderr)
    book.ensure_book()  # writes the config the CLI reads
    book.use_ccm_env()
    from ccm_tui.data_files import load_checklist_templates
    from ccm_tui.domain.checklist import INSTALLATION_PHASES
    from ccm_tui.services import BookLocation, open_book
    from ccm_tui.store.seed import seed_book

    settings, clock = book.settings_and_clock()
    services, _ = open_book(BookLocation.file(partial), settings, clock)
    seed_book(services.engine, book.CUSTOMERS, book.ACTIVATIONS, services.today())
    services.engine.dispose()
    seeded = time.perf_counter() - started
    now = clock.now().astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    templates = load_checklist_templates().templates
    rows = [
        (kind.value, position, item.phase.value, item.text, item.owner.value, item.due_business_days, int(item.blocking),
         "installation" if item.phase in INSTALLATION_PHASES else "activation")
        for kind, template in templates.items()
        for position, item in enumerate(template.items, start=1)
    ]  # fmt: skip
    with sqlite3.connect(partial) as conn:
        conn.execute(
            "CREATE TEMP TABLE tmpl (kind TEXT, position INT, phase TEXT, text TEXT, owner TEXT, due INT, blocking INT, step TEXT)"
        )
        conn.executemany("INSERT INTO tmpl VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute(
            """
            INSERT INTO checklist_item
                (activation_id, phase, position, text, owner, due_offset_days, blocking, state, note, version, updated_by, source)
            SELECT a.id, t.phase, t.position, t.text, t.owner, t.due, t.blocking,
                CASE
                    WHEN s.status = 'completed' THEN 'done'
                    WHEN s.start_at IS NULL THEN 'open'
                    WHEN julianday(s.start_at) - julianday(:now) < t.due * 1.4 + 0.5
                        THEN CASE WHEN (a.id * 7919 + t.position * 104729) % 100 < 97 THEN 'done' ELSE 'open' END
                    ELSE CASE WHEN (a.id * 7919 + t.position * 104729) % 100 < 25 THEN 'done' ELSE 'open' END
                END,
                '', 1, '', 'template'
            FROM activation a
            JOIN tmpl t ON t.kind = a.service
            LEFT JOIN activation_step s ON s.activation_id = a.id AND s.kind = t.step
            WHERE EXISTS (
                SELECT 1 FROM activation_step x
                WHERE x.activation_id = a.id AND x.status IN ('unscheduled', 'requested', 'confirmed', 'validated')
            )
            AND NOT EXISTS (SELECT 1 FROM checklist_item c WHERE c.activation_id = a.id)  -- seeded already
            ORDER BY a.id, t.position
            """,
            {"now": now},
        )
        items = conn.execute("SELECT count(*) FROM checklist_item").fetchone()[0]
        activations = conn.execute("SELECT count(DISTINCT activation_id) FROM checklist_item").fetchone()[0]
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(BOOK)
    seconds = time.perf_counter() - started
    return f"seeded in {seeded:.0f} s, items added in {seconds - seeded:.0f} s: {items:,} items on {activations:,} activations"


def timed(call: Callable[[], object], runs: int) -> list[float]:
    call()  # warm-up, not counted
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


async def key_3(app, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    """From the key 3 to the list's first page in the screen (a new screen each time).

    The key is posted, not pressed: `pilot.press` waits for the app to go
    idle, which includes the count and the first checklist arriving after.
    """
    from textual import events

    from ccm_tui.screens.checklist import ChecklistScreen

    seconds = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        for _ in range(runs + 1):
            started = time.perf_counter()
            app.post_message(events.Key("3", "3"))
            while not (isinstance(app.screen, ChecklistScreen) and app.screen.shown_query is not None):
                await asyncio.sleep(0.001)
            seconds.append(time.perf_counter() - started)
            await pilot.pause(1.0)  # let the count and the first checklist land
            await pilot.press("1")
            app.remove_mode("checklist")
            app.add_mode("checklist", ChecklistScreen)
            await pilot.pause(0.05)
    return seconds[1:]


def run(runs: int = 15, fresh: bool = False) -> str:
    made = ensure_checklists(fresh)
    book.use_ccm_env()
    from ccm_tui.app import CcmApp
    from ccm_tui.domain.book import BookQuery
    from ccm_tui.domain.checklist_views import UpcomingQuery
    from ccm_tui.services import BookLocation, open_book

    settings, clock = book.settings_and_clock()
    location = BookLocation.file(BOOK)
    services, _ = open_book(location, settings, clock)
    checklists = services.checklists
    first = checklists.upcoming(UpcomingQuery())
    page_ids = [r.activation_id for r in first.rows]
    size = BOOK.stat().st_size / 2**20
    lines = [
        f"Checklists: {made}; {size:.0f} MiB",
        f"  {first.total:,} upcoming activations, {first.at_risk:,} at not-ready risk (clock pinned at {book.PINNED_NOW})",
        f"Queries, {runs} runs each; ms as median / p95",
    ]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("upcoming, first page of 60 (risks first)", lambda: checklists.upcoming(UpcomingQuery(), with_total=False)),
        ("upcoming, its count (a worker of its own)", lambda: checklists.upcoming_total(UpcomingQuery())),
        ("upcoming, page at offset 6,000", lambda: checklists.upcoming(UpcomingQuery(offset=6000), with_total=False)),
        *[
            (f"upcoming, filtered '{text}'", lambda t=text: checklists.upcoming(UpcomingQuery(text=t), with_total=False))
            for text in FILTERS
        ],
        ("readiness_for the first page's 60 ids", lambda: checklists.readiness_for(page_ids)),
        ("one activation's checklist", lambda: checklists.checklist(page_ids[0])),
        ("recently activated, first page", lambda: checklists.upcoming(UpcomingQuery(recent=True))),
        ("customer book, first page of 100 (with NR flag)", lambda: services.book.book_page(BookQuery(limit=100))),
    ]
    for label, call in cases:
        lines.append(f"  {label:<50}{ms(timed(call, runs)):>19}")
    app = CcmApp(settings, clock, location, services=services)
    lines.append(f"  {'key 3 to the list in the screen (app, 120x40)':<50}{ms(asyncio.run(key_3(app, min(runs, 7)))):>19}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="remake the checklist copy of the book")
    parser.add_argument("--runs", type=int, default=15, help="runs per query (default 15)")
    args = parser.parse_args()
    print(run(args.runs, args.fresh))


if __name__ == "__main__":
    main()
