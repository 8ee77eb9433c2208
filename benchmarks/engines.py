"""The same book on SQLite and on PostgreSQL, in one run: reads within 2x, the change log's cost per edit.

The 50,000-customer / 200,000-activation book is seeded with `seed_book`
into a temporary SQLite file and into a scratch PostgreSQL database made
for this run (a unique name, dropped at the end whatever happens). Both are
opened with `open_book`, as the app opens a book, and timed through the
services the screens call:

- the book's first page: `BookService.book_page` with the screen's first
  query (default sort, 60 rows);
- a filter keystroke: the same with `/` text (part of a name, a city, an
  account number's prefix, a text matching nothing);
- the calendar's month: `CalendarService.month` for the pinned clock's
  month, the screen's default filter.

Each figure is timed on one engine then the other, a repetition at a time,
so a busy moment of the machine falls on both. The aim is PostgreSQL within
2x of SQLite (median and p95).

The change log's cost: `BookService.update_contact` and `update_customer`
(the forms' saves, `actor` bound by the services) timed as they are, and
with `change_log.record` made a no-op in this process only, edit by edit in
alternating order; the aim is at most 1.20x.

The seed's time on each engine is printed, then the step columns the
calendar derives once (on its first use after a seed), and (PostgreSQL) the
VACUUM ANALYZE that autovacuum would otherwise run after the seed commits.

    .venv/bin/python benchmarks/engines.py [--runs 31] [--edits 100]

The server is CCM_TEST_PG's (libpq DSN), else postgres@127.0.0.1:5432, as
the tests use.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import book
from stats import median_p95, ms

if TYPE_CHECKING:
    from ccm_tui.services import Services

AIM_RATIO = 2.0  # PostgreSQL's time over SQLite's
AIM_LOG = 1.20  # an edit with its change-log entry over the same edit without
PAGE = 60  # the book screen's page (screens/customer_book.py PAGE_SIZE)
MONTH = date(2026, 11, 1)  # the pinned clock's month: the calendar opens on it
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Engine:
    """One engine's book and how long it took to make."""

    name: str
    services: Services
    seed_seconds: float
    derive_seconds: float
    vacuum_seconds: float | None = None
    autovacuum: str = ""


# -- the books -----------------------------------------------------------------------


def server_dsn() -> str:
    return os.environ.get("CCM_TEST_PG", DEFAULT_SERVER)


@contextmanager
def scratch_postgres() -> Iterator[str]:
    """A new, empty database on the server, as a psycopg SQLAlchemy URL; dropped on the way out."""
    import psycopg
    from psycopg import sql

    name = f"ccm_bench_{uuid.uuid4().hex[:12]}"
    params = psycopg.conninfo.conninfo_to_dict(server_dsn())
    with psycopg.connect(server_dsn(), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            user, password = params.get("user", ""), params.get("password")
            auth = f"{user}{':' + str(password) if password else ''}@" if user else ""
            host, port = params.get("host", ""), params.get("port", "")
            yield f"postgresql+psycopg://{auth}{host}{':' + str(port) if port else ''}/{name}"
        finally:
            # FORCE: an engine still holding connections must not leave the database behind
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def use_env(folder: Path) -> None:
    """ccm's environment for this process (pinned clock, config, platformdirs' folders), all inside `folder`."""
    config = folder / "config.toml"
    config.write_text(f'locale = "{book.LOCALE}"\ntime_zone = "{book.ZONE}"\nccm_name = "Alex Morgan"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_THEME", "CCM_DEBUG", "CCM_DB")}
    env |= {
        "CCM_NOW": book.PINNED_NOW,
        "CCM_CONFIG": str(config),
        "XDG_DATA_HOME": str(folder / "xdg-data"),
        "XDG_CONFIG_HOME": str(folder / "xdg-config"),
    }
    os.environ.clear()
    os.environ.update(env)


def seeded(name: str, url: str) -> Engine:
    """Open (so migrate) the book at `url`, seed it, derive the calendar's columns; timed."""
    from ccm_tui.__main__ import build_parser, make_context
    from ccm_tui.book_location import BookLocation
    from ccm_tui.services import open_book
    from ccm_tui.store.seed import seed_book

    ctx = make_context(build_parser().parse_args([]), dict(os.environ))
    started = time.perf_counter()
    services, _ = open_book(BookLocation.parse(url), ctx.settings, ctx.clock)
    seed_book(services.engine, book.CUSTOMERS, book.ACTIVATIONS, services.today())
    seed_seconds = time.perf_counter() - started
    started = time.perf_counter()
    services.calendar.prepare()
    engine = Engine(name, services, seed_seconds, time.perf_counter() - started)
    if services.engine.dialect.name == "postgresql":
        # What autovacuum does after a bulk insert (statistics, and the visibility map that index-only
        # scans need); done now, so the figures do not depend on when, or whether, it runs.
        started = time.perf_counter()
        with services.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
            engine.autovacuum = str(connection.exec_driver_sql("SHOW autovacuum").scalar_one())
        engine.vacuum_seconds = time.perf_counter() - started
    return engine


# -- reads ---------------------------------------------------------------------------


def reads(services: Services) -> list[tuple[str, Callable[[], object]]]:
    """(figure, the call the screen makes) for the first page, each filter text and the month."""
    from ccm_tui.domain.book import BookQuery, BookSort
    from ccm_tui.domain.schedule import CalendarFilter

    first = BookQuery(limit=PAGE)
    total = services.book.book_page(replace(first, limit=1)).total
    account = services.book.book_page(BookQuery(sort=BookSort.ACCOUNT, offset=total // 2, limit=1)).rows[0].account_number
    texts = [("part of a name", "har"), ("a city", "lyon"), ("an account prefix", account[:-2].lower()), ("no match", "zzqqxx")]
    figures: list[tuple[str, Callable[[], object]]] = [("book, first page", lambda: services.book.book_page(first))]
    for label, text in texts:
        query = replace(first, text=text)
        figures.append((f"filter '{text}' ({label})", lambda q=query: services.book.book_page(q)))  # type: ignore[misc]
    figures.append((f"calendar month ({MONTH:%b %Y})", lambda: services.calendar.month(MONTH, CalendarFilter())))
    return figures


def time_side_by_side(engines: Sequence[Engine], runs: int) -> list[tuple[str, list[list[float]]]]:
    """Each figure's durations per engine, the engines taking turns a repetition at a time."""
    calls = [reads(e.services) for e in engines]
    out = []
    for i, (label, _) in enumerate(calls[0]):
        durations: list[list[float]] = [[] for _ in engines]
        for per_engine in calls:
            per_engine[i][1]()  # warm-up, not counted
        for _ in range(runs):
            for seconds, per_engine in zip(durations, calls, strict=True):
                started = time.perf_counter()
                per_engine[i][1]()
                seconds.append(time.perf_counter() - started)
        out.append((label, durations))
    return out


# -- edits ---------------------------------------------------------------------------


@contextmanager
def change_log_off() -> Iterator[None]:
    """Writes record no change-log entry, in this process, until the block ends."""
    from ccm_tui.store import change_log

    recorded = change_log.record

    def nothing(*_args: Any, **_kwargs: Any) -> bool:
        return False

    change_log.record = nothing  # the benchmark's own process only
    try:
        yield
    finally:
        change_log.record = recorded


def edit_costs(services: Services, edits: int) -> dict[str, tuple[list[float], list[float]]]:
    """Per kind of edit: (seconds with the change log, seconds without), one edit of each per round.

    Each edit changes a field (so the log has an entry to write) on a
    different record; rounds alternate which of the two goes first.
    """
    from ccm_tui.domain.book import BookQuery, BookSort
    from ccm_tui.domain.validation import ContactInput, CustomerInput

    total = services.book.book_page(BookQuery(limit=1)).total
    spread = [BookQuery(sort=BookSort.ACCOUNT, offset=total * i // (2 * edits + 2), limit=1) for i in range(2 * edits + 2)]
    details = [services.book.customer_detail(services.book.book_page(q).rows[0].customer_id) for q in spread]
    contacts = [d.contacts[0] for d in details if d.contacts]
    customers = [d.customer for d in details]

    def contact_edit(i: int) -> Callable[[], object]:
        c = contacts[i % len(contacts)]
        data = ContactInput(c.name, c.roles, f"+1 555 {i:07d}", c.email, c.last_reviewed)
        return lambda: services.book.update_contact(c.id, c.version, data)

    def customer_edit(i: int) -> Callable[[], object]:
        c = customers[i % len(customers)]
        data = CustomerInput(c.name, c.account_number, c.region, c.ccm, c.hours_per_month, f"benchmark note {i}")
        return lambda: services.book.update_customer(c.id, c.version, data)

    out: dict[str, tuple[list[float], list[float]]] = {}
    for label, edit in (("contact edit (update_contact)", contact_edit), ("customer edit (update_customer)", customer_edit)):
        logged: list[float] = []
        unlogged: list[float] = []
        edit(2 * edits)()  # warm-up, not counted
        for i in range(edits):
            for with_log in (True, False) if i % 2 == 0 else (False, True):
                call = edit(2 * i + with_log)  # a record of its own per edit
                started = time.perf_counter()
                if with_log:
                    call()
                else:
                    with change_log_off():
                        call()
                (logged if with_log else unlogged).append(time.perf_counter() - started)
        out[label] = (logged, unlogged)
    return out


# -- the report ----------------------------------------------------------------------


def verdict(ratio: float, aim: float) -> str:
    return "met" if ratio <= aim else "NOT met"


def report(engines: Sequence[Engine], runs: int, edits: int) -> list[str]:
    lite, pg = engines
    lines = [
        f"SQLite vs PostgreSQL, the same book ({book.CUSTOMERS:,} customers, {book.ACTIVATIONS:,} activations), one run",
    ]
    for e in engines:
        analyzed = ""
        if e.vacuum_seconds is not None:
            analyzed = f", VACUUM ANALYZE {e.vacuum_seconds:.1f} s (the server's autovacuum: {e.autovacuum})"
        lines.append(
            f"  {e.name:<11} seeded in {e.seed_seconds:.1f} s (open_book + seed_book);"
            f" calendar columns derived in {e.derive_seconds:.1f} s{analyzed}"
        )
    lines += [
        f"  reads through the services, {runs} runs each, engines taking turns; ms as median / p95;",
        f"  ratio = PostgreSQL / SQLite (median, p95), aim <= {AIM_RATIO:g}x",
        f"    {'figure':<40}{'SQLite':>17}{'PostgreSQL':>17}{'ratio':>14}  aim",
    ]
    for label, (lite_s, pg_s) in time_side_by_side(engines, runs):
        (lm, lp), (pm, pp) = median_p95(lite_s), median_p95(pg_s)
        rm, rp = pm / lm, pp / lp
        lines.append(
            f"    {label:<40}{ms(lite_s):>17}{ms(pg_s):>17}{f'{rm:.2f} / {rp:.2f}':>14}  {verdict(max(rm, rp), AIM_RATIO)}"
        )
    lines += [
        f"  the change log's cost per edit: {edits} edits each way, alternating; ms as median / p95;",
        f"  added = median of (with - without) over each round's pair, ms; ratio = with the log / without"
        f" (medians), aim <= {AIM_LOG:.2f}",
        f"    {'engine, edit':<44}{'with log':>17}{'without':>17}{'added':>8}{'ratio':>8}  aim",
    ]
    for e in (lite, pg):
        for label, (logged, unlogged) in edit_costs(e.services, edits).items():
            ratio = median_p95(logged)[0] / median_p95(unlogged)[0]
            added = statistics.median(w - wo for w, wo in zip(logged, unlogged, strict=True)) * 1000
            lines.append(
                f"    {e.name + ', ' + label:<44}{ms(logged):>17}{ms(unlogged):>17}{added:>8.2f}{ratio:>8.2f}"
                f"  {verdict(ratio, AIM_LOG)}"
            )
    return lines


def unreachable() -> str | None:
    """Why the server cannot be used, or None."""
    import psycopg

    try:
        with psycopg.connect(server_dsn(), connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def run(runs: int = 31, edits: int = 100) -> str:
    why = unreachable()
    if why is not None:
        return f"SQLite vs PostgreSQL: skipped, no PostgreSQL server ({why}); set CCM_TEST_PG to a server's DSN"
    with tempfile.TemporaryDirectory(prefix="ccm-engines-") as folder, scratch_postgres() as url:
        use_env(Path(folder))
        engines = [seeded("SQLite", str(Path(folder) / "book.sqlite")), seeded("PostgreSQL", url)]
        try:
            return "\n".join(report(engines, runs, edits))
        finally:
            for e in engines:
                e.services.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31, help="timed runs of each read per engine (default 31)")
    parser.add_argument("--edits", type=int, default=100, help="edits of each kind with and without the log (default 100)")
    args = parser.parse_args()
    print(run(args.runs, args.edits))


if __name__ == "__main__":
    main()
