"""The activation calendar on the 50,000-customer / 200,000-activation book.

(Named activation_calendar.py, not calendar.py: a benchmarks/calendar.py
would shadow the standard library's `calendar` module for every import made
while this folder is on sys.path.)

- the first key 2 on a book as the seeder left it: the seeder, the demo
  and the import write the calendar's derived step columns themselves, so
  nothing is left to derive (a book seeded before that derives them here,
  once: the figure says how many rows);
- first month render: a fresh app, key `2` posted, timed until the first
  frame showing November's per-day counts (the screen's `shown_month`,
  stamped at `App._display` as in filter.py), so it includes the worker's
  query, the grid and Textual's next refresh;
- month switch: `n` then `p` through distinct months (none shown before;
  the screen reads the months either side of the one shown ahead, as a CCM
  reading one month gives it time to), key to painted; its floor, in the
  same run, is a switch back to a month already shown (drawn from memory);
- the queries alone: `CalendarService.month` per month, a day's list, the
  on-call window, reminders;
- `ccm export ics` for a 90-day range in a fresh process: seconds, events
  written and peak memory.

    .venv/bin/python benchmarks/activation_calendar.py [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import aims
import book
from stats import median_p95, ms

AIM_P95 = 0.100  # seconds, key to the month painted
TIMEOUT = 20.0
NOVEMBER = date(2026, 11, 1)


def ensure_calendar_book() -> None:
    """The cached book must have the calendar's columns (migration 0002 as it is now); rebuild it if not."""
    import sqlite3

    book.ensure_book()
    with sqlite3.connect(book.BOOK) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(activation_step)")}
    if "calendar_flags" not in columns:
        print("The cached book predates the calendar's columns: rebuilding it...", file=sys.stderr)
        book.ensure_book(fresh=True)


async def _key_to_frame(app: Any, key: str, wanted: Callable[[Any], bool], frames: list[tuple[float, Any]]) -> float:
    from textual import events

    since = len(frames)
    pressed = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    while True:
        if time.perf_counter() - pressed > TIMEOUT:
            raise TimeoutError(f"no frame after {key!r}")
        await asyncio.sleep(0.001)
        hit = next((t for t, shown in frames[since:] if wanted(shown)), None)
        if hit is not None:
            return hit - pressed


_NOT_YET = object()  # a frame of another screen


def _stamp(app: Any, frames: list[tuple[float, Any]]) -> None:
    display = app._display

    def stamped(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        display(screen, renderable)
        frames.append((time.perf_counter(), getattr(screen, "shown_month", _NOT_YET)))

    app._display = stamped


async def first_render(make_app: Callable[[], Any]) -> tuple[float, float]:
    """(key to the calendar's first frame, key to November's counts painted)."""
    app = make_app()
    frames: list[tuple[float, Any]] = []
    _stamp(app, frames)
    async with app.run_test(size=(120, 40)) as pilot:
        while getattr(app.screen, "shown_query", None) is None:  # the book's first page: the app is ready
            await pilot.pause(0.01)
        since = len(frames)
        pressed = time.perf_counter()
        painted = await _key_to_frame(app, "2", lambda shown: isinstance(shown, tuple) and shown[0] == NOVEMBER, frames)
        screen = next(t for t, shown in frames[since:] if shown is not _NOT_YET) - pressed
        return screen, painted


async def switches(make_app: Callable[[], Any], count: int) -> tuple[list[float], list[float]]:
    """(switches to months not shown before, switches back to months shown: from the screen's memory)."""
    app = make_app()
    frames: list[tuple[float, Any]] = []
    _stamp(app, frames)
    out: list[float] = []
    again: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while getattr(app.screen, "shown_query", None) is None:
            await pilot.pause(0.01)
        await _key_to_frame(app, "2", lambda shown: isinstance(shown, tuple) and shown[0] == NOVEMBER, frames)
        month = NOVEMBER
        seen = {month}
        # forward into months not shown yet, then back beyond November: each month is new to the screen
        for key in ["n"] * (count // 2) + ["p"] * (count // 2 + count // 2):
            step = 1 if key == "n" else -1
            month = date(month.year + (month.month - 1 + step) // 12, (month.month - 1 + step) % 12 + 1, 1)
            target = month
            elapsed = await _key_to_frame(app, key, lambda shown, t=target: isinstance(shown, tuple) and shown[0] == t, frames)
            (out if target not in seen else again).append(elapsed)
            seen.add(target)
            await pilot.pause(0.3)  # the day list that follows the month: loaded before the next key
    return out, again


def timed(call: Callable[[], object], runs: int) -> list[float]:
    call()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def export_ics(days: int = 90) -> dict[str, float]:
    """A fresh `ccm export ics` process: seconds, events and peak memory (VmHWM)."""
    script = (
        "import json, sys, time\n"
        "t0 = time.perf_counter()\n"
        "from ccm_tui.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "print(json.dumps({'code': code, 'seconds': time.perf_counter() - t0, 'maxrss_kib': hwm}), file=sys.stderr)\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "calendar.ics"
        first = date(2026, 11, 20)
        last = date.fromordinal(first.toordinal() + days - 1)
        done = subprocess.run(
            [sys.executable, "-c", script, "export", "ics", "-o", str(out), "--from", first.isoformat(), "--to", last.isoformat()],
            env=book.ccm_env(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        figures = json.loads(done.stderr.strip().splitlines()[-1])
        if figures["code"] != 0:
            raise RuntimeError(done.stderr[-2000:])
        text = out.read_text(encoding="utf-8")
        figures["events"] = text.count("BEGIN:VEVENT")
        figures["mib"] = out.stat().st_size / 2**20
    return figures


def run(runs: int = 7) -> str:
    ensure_calendar_book()
    book.use_ccm_env()
    from ccm_tui.app import CcmApp
    from ccm_tui.domain.schedule import CalendarFilter
    from ccm_tui.services import BookLocation, open_book

    settings, clock = book.settings_and_clock()
    location = BookLocation.file(book.BOOK)
    services, _ = open_book(location, settings, clock)
    from ccm_tui.store import calendar_flags

    missing = calendar_flags.count_missing(services.engine)

    def make_app() -> Any:
        return CcmApp(settings, clock, location, services=services)

    # The first key 2 on the book as it is: anything the writers left underived is derived now, once.
    after_seed = asyncio.run(first_render(make_app))[1]
    started = time.perf_counter()
    derived = services.calendar.prepare()
    derive_seconds = time.perf_counter() - started
    probe = timed(services.calendar.prepare, runs * 5)  # the check every calendar read makes: nothing to do
    renders = [asyncio.run(first_render(make_app)) for _ in range(runs)]
    screens = [screen for screen, _ in renders]
    firsts = [painted for _, painted in renders]
    switch, switch_back = asyncio.run(switches(make_app, 2 * runs))
    cal = services.calendar
    flt = CalendarFilter()
    months = [date(2026, m, 1) for m in range(9, 13)] + [date(2027, m, 1) for m in range(1, 4)]
    month_query = []
    for first in months:
        month_query += timed(lambda f=first: cal.month(f, flt), 2)
    mine = CalendarFilter(ccm=settings.ccm_name or "Alex Morgan")
    month_mine = timed(lambda: cal.month(NOVEMBER, mine), runs)
    month_total = cal.month(NOVEMBER, flt).events
    day = timed(lambda: cal.day(date(2026, 11, 23), flt), runs)
    day_total = cal.day(date(2026, 11, 23), flt).total
    # The on-call view's read: its list (contacts read after it is shown); and ccm on-call's, with every contact
    on_call = timed(lambda: cal.on_call(72, contacts=False), runs)
    on_call_listed = cal.on_call(72, contacts=False)
    on_call_n = len(on_call_listed)
    contacts_after = timed(lambda: cal.customer_contacts({e.customer_id for e in on_call_listed}), runs)
    on_call_cli = timed(lambda: cal.on_call(72), runs)
    reminders = timed(lambda: cal.reminders(), runs)
    reminders_n = cal.reminders()[1]
    exported = export_ics()

    med, p95 = median_p95(firsts)
    s_med, s_p95 = median_p95(switch)
    floor_med = median_p95(screens)[0]
    back_med = median_p95(switch_back)[0] if switch_back else s_med
    aims.record("first key 2 after ccm seed (nothing left to derive)", after_seed, aim_s=1.0, note=f"({missing:,} rows underived)")
    aims.record(
        "key 2 to the month painted, headless",
        med,
        floor_s=floor_med,
        slack_s=0.050,
        baseline_label="the screen's first frame",
    )
    aims.record("month switch n/p, headless", s_med, floor_s=back_med, slack_s=0.030, baseline_label="from memory")
    aims.record("on-call query, next 72 h (the view's list)", median_p95(on_call)[0], aim_s=0.050, note=f"({on_call_n:,} events)")
    aims.record("reminders due today", median_p95(reminders)[0], aim_s=0.050, note=f"({reminders_n:,} due)")
    lines = [
        f"Activation calendar, 200,000 activations ({month_total:,} events in November 2026), headless 120x40",
        f"  first key 2 on the book as written ({missing:,} step rows underived): {after_seed * 1000:,.0f} ms to November painted",
        f"  derived step columns after it: {derived:,} rows in {derive_seconds:.1f} s (0 when the writers derived them);"
        f" the check each calendar read makes: {ms(probe)} ms",
        f"  first month render, key 2 to November painted, {runs} fresh apps: median {med * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms;"
        f" aim p95 < {AIM_P95 * 1000:.0f} ms: {'met' if p95 < AIM_P95 else 'NOT met'}",
        f"    of which the screen's own first frame (Textual building and styling it, before any data): {ms(screens, 0)} ms",
        f"  month switch, n/p to a month not shown before, {len(switch)} switches: median {s_med * 1000:.1f} ms,"
        f" p95 {s_p95 * 1000:.1f} ms; aim p95 < {AIM_P95 * 1000:.0f} ms: {'met' if s_p95 < AIM_P95 else 'NOT met'}",
        f"    back to a month shown before (from the screen's memory), {len(switch_back)} switches: {ms(switch_back)} ms",
        "  queries alone (ms, median / p95):",
        f"    {'month (Sep 2026 - Mar 2027), no filter':<52}{ms(month_query):>19}",
        f"    {'month, one CCM (' + mine.ccm + ')':<52}{ms(month_mine):>19}",  # type: ignore[operator]
        f"    {f'a day list (Mon Nov 23: {day_total:,} events, first 100)':<52}{ms(day):>19}",
        f"    {f'on call, next 72 h ({on_call_n:,} events), the view list':<52}{ms(on_call):>19}",
        f"    {'  then the contacts of its customers (read next)':<52}{ms(contacts_after):>19}",
        f"    {'  the list with every contact in one read (ccm on-call)':<52}{ms(on_call_cli):>19}",
        f"    {f'reminders due today ({reminders_n:,}, first 200 shown)':<52}{ms(reminders):>19}",
        f"  ccm export ics, 90 days (Nov 20 2026 - Feb 17 2027), fresh process: {exported['seconds']:.1f} s,"
        f" {int(exported['events']):,} events, {exported['mib']:.0f} MiB file, peak memory {exported['maxrss_kib'] / 1024:.0f} MiB"
        " (resident: the book pages it reads through a memory map count too)",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh apps for the first render (default 7)")
    args = parser.parse_args()
    print(run(args.runs))
    print(aims.table())


if __name__ == "__main__":
    main()
