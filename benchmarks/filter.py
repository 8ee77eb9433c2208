"""Filter as you type, and the queries behind the book, on the 50,000-customer book.

Keystrokes: one process drives the book screen with Pilot (headless,
120x40): `/`, then a realistic run of keys (a name start, backspaces, a
city, a full account number, Esc, a string matching nothing), a few rounds.
Each key is posted as a Key event and timed from then until the first frame
rendered with the table holding rows for the new filter text (the screen's
`shown_query`, stamped at `App._display` as in paint_child.py), so the time
includes the worker's query, the table rebuild and Textual's next refresh.
Keys are posted rather than sent with `pilot.press`, which waits for idle
(at least 40 ms) after every key and would hide the latency being measured.
The app's `BookService.book_page` is wrapped to time the worker's query too,
so the report splits each key into query and the rest (events, table
rebuild, render, waiting for the next refresh).

The floor, timed the same way in the same run: `floor_apps.py`'s FilterApp,
the same filter, table and status line over the book read into memory. Then
`f` on the book, each flag filter in turn (LATE, CCD, NR, hours over, none),
timed to the first frame showing that flag's rows. Rows for the issue's
table go to `aims` (the filter's p95 and Esc's median against the floor's,
the NR filter against the floor's keystroke).

Queries: `BookService.book_page` for every sort, both directions, with and
without a filter; `find_customers` (the palette); `customer_detail`.

    .venv/bin/python benchmarks/filter.py [--rounds 3] [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from typing import Any

import aims
import book
from stats import median_p95, ms

SLACK = 0.030  # the aim: within 30 ms of the floor
TIMEOUT = 10.0
FILTER = "har"


def keystrokes(account: str) -> list[str]:
    """Key names, in order; "/" re-opens the filter after Esc and is not timed."""
    back3 = ["backspace"] * 3
    return [*FILTER, *back3, *"lyo", *back3, *account.lower(), "escape", "/", *"zzqqxx", "escape"]


def after(value: str, key: str) -> str:
    """The filter's text once `key` is pressed (the cursor stays at the end)."""
    return {"backspace": value[:-1], "escape": "", "/": value}.get(key, value + key)


class Frames:
    """Each frame's time and what it shows (`shows()` at the frame: a new object for each new set of rows)."""

    def __init__(self, app: Any, shows: Callable[[], Any]) -> None:
        self.seen: list[tuple[float, Any]] = []
        display = app._display

        def stamped(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            display(screen, renderable)
            self.seen.append((time.perf_counter(), shows()))

        app._display = stamped

    async def first(self, since: int, before: Any, wanted: Callable[[Any], bool], what: str) -> float:
        """When the first frame after `since` showed new rows (not `before`) that are `wanted`."""
        started = time.perf_counter()
        while True:
            found = next((t for t, q in self.seen[since:] if q is not before and q is not None and wanted(q)), None)
            if found is not None:
                return found
            if time.perf_counter() - started > TIMEOUT:
                raise TimeoutError(f"no frame showed {what}")
            await asyncio.sleep(0.001)


async def drive(app: Any, shows: Callable[[], Any], field_id: str, keys: list[str], rounds: int) -> list[tuple[str, str, float]]:
    """(key, filter text, key to painted) per timed key; `shows()` is the rows' query (`.text`), None before any."""
    from textual import events
    from textual.widgets import Input

    frames = Frames(app, shows)
    timings: list[tuple[str, str, float]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while shows() is None:  # the first page shows
            await pilot.pause(0.01)
        field = app.screen.query_one(field_id, Input)
        for _ in range(rounds):
            await pilot.press("slash")
            value = ""
            for key in keys:
                if key == "/":
                    await pilot.press("slash")
                    continue
                value, before, since = after(value, key), shows(), len(frames.seen)
                char = key if len(key) == 1 else None
                pressed = time.perf_counter()
                app.post_message(events.Key({"-": "minus"}.get(key, key), char))
                text = value.strip()
                painted = await frames.first(since, before, lambda q, t=text: q.text == t, f"the rows for {value!r}")
                assert field.value == value, (field.value, value)
                timings.append((key, value, painted - pressed))
    return timings


async def cycle_flags(app: Any, rounds: int) -> dict[str, list[float]]:
    """`f` on the book, round the flags and back to none: key to the first frame with that flag's rows."""
    from textual import events

    from ccm_tui.domain.book import BookFlag

    frames = Frames(app, lambda: getattr(app.screen, "shown_query", None))
    timings: dict[str, list[float]] = {flag.label: [] for flag in BookFlag} | {"none": []}
    async with app.run_test(size=(120, 40)) as pilot:
        while getattr(app.screen, "shown_query", None) is None:
            await pilot.pause(0.01)
        for _ in range(rounds):
            for flag in [*BookFlag, None]:
                wanted = frozenset() if flag is None else frozenset({flag})
                before, since = app.screen.shown_query, len(frames.seen)
                pressed = time.perf_counter()
                app.post_message(events.Key("f", "f"))
                painted = await frames.first(since, before, lambda q, w=wanted: q.flags == w, f"the rows for {flag}")
                timings["none" if flag is None else flag.label].append(painted - pressed)
    return timings


def floor_app(rows: list[tuple[str, str, str]]) -> tuple[Any, Callable[[], Any]]:
    """floor_apps.py's FilterApp, and what its frames show: a new object each time it shows rows."""
    from types import SimpleNamespace

    from floor_apps import FilterApp

    app = FilterApp(rows)
    shown: list[Any] = [None]
    show = app.show

    def showing(text: str) -> None:
        show(text)
        shown[0] = SimpleNamespace(text=text.strip())

    app.show = showing  # type: ignore[method-assign]
    return app, lambda: shown[0]


def timed(call: Callable[[], object], runs: int) -> list[float]:
    call()  # warm-up, not counted
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def query_report(services: Any, account: str, runs: int) -> list[str]:
    from ccm_tui.domain.book import BookQuery, BookSort

    head = f"  {'sort':<12}" + "".join(f"{h:>19}" for h in ("asc", "desc", f"asc '{FILTER}'", f"desc '{FILTER}'"))
    lines = [f"BookService.book_page, first page of 100, {runs} runs each; ms as median / p95", head]
    for sort in BookSort:
        cells = []
        for text in ("", FILTER):
            for descending in (False, True):
                query = BookQuery(text=text, sort=sort, descending=descending, limit=100)
                cells.append(ms(timed(lambda q=query: services.book.book_page(q), runs)))
        # columns: asc, desc, asc filtered, desc filtered
        lines.append(f"  {sort.value:<12}" + "".join(f"{c:>19}" for c in cells))
    lines.append(f"Other queries, {runs} runs each; ms as median / p95")
    for label, text in ((f"'{FILTER}'", FILTER), ("an account number", account), ("no match 'zzqqxx'", "zzqqxx")):
        lines.append(f"  {'find_customers ' + label:<44}{ms(timed(lambda t=text: services.book.find_customers(t), runs)):>19}")
    total = services.book.book_page(BookQuery(limit=1)).total
    spread = [BookQuery(sort=BookSort.ACCOUNT, offset=total * i // (runs + 1), limit=1) for i in range(runs + 1)]
    ids = iter([services.book.book_page(query).rows[0].customer_id for query in spread])
    detail = timed(lambda: services.book.customer_detail(next(ids)), runs)
    lines.append(f"  {'customer_detail (a different customer each)':<44}{ms(detail):>19}")
    return lines


def run(rounds: int = 3, runs: int = 15) -> str:
    book.ensure_book()
    book.use_ccm_env()
    from floor_apps import book_rows

    from ccm_tui.app import CcmApp
    from ccm_tui.domain.book import BookQuery, BookSort
    from ccm_tui.services import BookLocation, open_book

    settings, clock = book.settings_and_clock()
    location = BookLocation.file(book.BOOK)
    services, _ = open_book(location, settings, clock)
    total = services.book.book_page(BookQuery(limit=1)).total
    account = services.book.book_page(BookQuery(sort=BookSort.ACCOUNT, offset=total // 2, limit=1)).rows[0].account_number
    keys = keystrokes(account)

    floor = asyncio.run(drive(*floor_app(book_rows(str(book.BOOK))), "#filter", keys, rounds))
    queries: list[tuple[float, str, float]] = []  # (started, text, seconds) of the worker's book_page
    book_page = services.book.book_page

    def timed_page(query):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        page = book_page(query)
        queries.append((started, query.text, time.perf_counter() - started))
        return page

    services.book.book_page = timed_page  # the app's own Services: it reads book_page per call
    app = CcmApp(settings, clock, location, services=services)
    timings = asyncio.run(drive(app, lambda: getattr(app.screen, "shown_query", None), "#book-filter", keys, rounds))
    del services.book.book_page  # back to the plain method for the flags and the direct timings
    flags = asyncio.run(cycle_flags(CcmApp(settings, clock, location, services=services), rounds))

    def split(got: list[tuple[str, str, float]]) -> tuple[list[float], list[float]]:
        return [s for k, _, s in got if k != "escape"], [s for k, _, s in got if k == "escape"]

    (ccm_keys, ccm_esc), (floor_keys, floor_esc) = split(timings), split(floor)
    in_query = [s for _, text, s in queries if text]
    slowest = sorted(timings, key=lambda t: -t[2])[:3]
    lines = [
        f"Filter as you type, key to rows painted, headless 120x40; {len(timings)} keystrokes ({rounds} x:",
        f"  'har', 3x backspace, 'lyo', 3x backspace, '{account.lower()}', esc, / 'zzqqxx', esc); ms as median / p95",
        f"  filter keystroke   floor {ms(floor_keys)}   ccm {ms(ccm_keys)}",
        f"  Esc, whole book    floor {ms(floor_esc)}   ccm {ms(ccm_esc)}",
        f"  ccm's worker book_page with a filter {ms(in_query)}",
        "  slowest: " + ", ".join(f"{repr(v) if v else '(empty)'} {s * 1000:.0f} ms" for _, v, s in slowest),
        "`f` on the book, key to that flag's rows painted; ms as median / p95",
        *(f"  {label:<12}{ms(seconds):>19}" for label, seconds in flags.items()),
        "",
        *query_report(services, account, runs),
    ]
    floor_med = median_p95(floor_keys)[0]
    aims.record(
        "filter keystroke to rows painted, headless, p95",
        median_p95(ccm_keys)[1],
        floor_s=median_p95(floor_keys)[1],
        slack_s=SLACK,
    )
    aims.record("Esc to the whole book, headless, median", median_p95(ccm_esc)[0], floor_s=median_p95(floor_esc)[0], slack_s=SLACK)
    for label in ("NR", "LATE"):
        aims.record(
            f"`f` to {label} only, headless, median",
            median_p95(flags[label])[0],
            floor_s=floor_med,
            slack_s=SLACK,
            note="(floor: a filter keystroke)",
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times the key sequence is typed (default 3)")
    parser.add_argument("--runs", type=int, default=15, help="runs per direct query (default 15)")
    args = parser.parse_args()
    print(run(args.rounds, args.runs))
    print()
    print(aims.table())


if __name__ == "__main__":
    main()
