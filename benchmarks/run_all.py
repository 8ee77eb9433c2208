"""`make bench`: every benchmark as one report, ending in the speed issue's table (met / NOT met).

The book, cold start, filter and query figures, SQLite against PostgreSQL, and
what the terminal receives (tmux at 120x40: `terminal.py`), each figure beside
a baseline measured in the same run.

Not part of the test suite: the figures depend on the machine, so they are
printed for a person to read (and compare with the aims), never asserted.

    .venv/bin/python benchmarks/run_all.py [--fresh] [--runs 7] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from importlib.metadata import version

import activation_calendar
import agenda
import aims
import book
import calendar_cli
import checklist
import engines
import exchange
import filter as filter_bench  # the module, not the builtin
import paint
import terminal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark book")
    parser.add_argument("--runs", type=int, default=7, help="cold starts of each app (default 7)")
    parser.add_argument("--rounds", type=int, default=3, help="times the filter key sequence is typed (default 3)")
    parser.add_argument(
        "--idle", type=float, default=60.0, help="seconds of the idle stretch whose bytes are counted (default 60)"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # lines in order with stderr's
    started = time.perf_counter()
    print(f"ccm benchmarks, {time.strftime('%Y-%m-%d %H:%M')}")
    print(
        f"Python {platform.python_version()}, Textual {version('textual')}, SQLAlchemy {version('sqlalchemy')}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; clock pinned at CCM_NOW={book.PINNED_NOW}"
    )
    print(book.describe(book.ensure_book(args.fresh)))
    print()
    print(paint.run(args.runs))
    print()
    print(filter_bench.run(args.rounds))
    print()
    print(exchange.run())
    print()
    print(agenda.run())
    print()
    print(checklist.run(fresh=args.fresh))
    print()
    print(activation_calendar.run(args.runs))
    print()
    print(calendar_cli.run())
    print()
    print(engines.run())
    print()
    print(terminal.run(args.runs, args.rounds, args.idle))
    print()
    print("The speed issue's table (each figure beside its baseline from this run):")
    print(aims.table())
    print()
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
