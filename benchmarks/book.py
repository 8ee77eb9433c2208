"""The benchmark book: 50,000 customers and 200,000 activations, made once.

`ensure_book()` seeds it with `ccm_tui.store.seed.seed_book` on a book
opened (so migrated) by `open_book`, under `benchmarks/.cache/`, and reuses
it afterwards; `--fresh` rebuilds it. The clock is pinned like `CCM_NOW`, so
the seeded events sit around the same "today" every run and the app, opened
with the env from `ccm_env()`, agrees with the seed.

    .venv/bin/python benchmarks/book.py [--fresh]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
# CCM_BENCH_BOOK: a copy of your own (a shared machine: each person measures on theirs)
BOOK = Path(os.environ.get("CCM_BENCH_BOOK") or CACHE / "book-50k.sqlite")
CONFIG = CACHE / "config.toml"
CUSTOMERS = 50_000
ACTIVATIONS = 200_000
PINNED_NOW = "2026-11-20T15:30"  # as CCM_NOW: a Friday afternoon, like the tests
ZONE = "America/New_York"
LOCALE = "en_US"


def ccm_env() -> dict[str, str]:
    """The environment a `ccm` process runs with: pinned clock, config, book,
    and platformdirs' folders inside the cache (nothing touches your home)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_THEME", "CCM_DEBUG")}
    env |= {
        "CCM_NOW": PINNED_NOW,
        "CCM_DB": str(BOOK),
        "CCM_CONFIG": str(CONFIG),
        "XDG_DATA_HOME": str(CACHE / "xdg-data"),
        "XDG_CONFIG_HOME": str(CACHE / "xdg-config"),
    }
    return env


def use_ccm_env() -> None:
    """Apply `ccm_env()` to this process, before ccm is asked for a folder."""
    env = ccm_env()  # read before the clear: it keeps the rest of the environment (PATH, KHAL)
    os.environ.clear()
    os.environ.update(env)


def settings_and_clock():  # type: ignore[no-untyped-def]
    """The Settings and Clock the CLI builds from `ccm_env()`."""
    from ccm_tui.__main__ import build_parser, make_context

    ctx = make_context(build_parser().parse_args([]), ccm_env())
    return ctx.settings, ctx.clock


def ensure_book(fresh: bool = False) -> float | None:
    """Make the book unless it is there; the seconds seeding took, or None if reused."""
    CACHE.mkdir(exist_ok=True)
    CONFIG.write_text(f'locale = "{LOCALE}"\ntime_zone = "{ZONE}"\nccm_name = "Alex Morgan"\n', encoding="utf-8")
    if BOOK.exists() and not fresh:
        return None
    for path in (BOOK, Path(f"{BOOK}-wal"), Path(f"{BOOK}-shm")):
        path.unlink(missing_ok=True)
    print(f"Seeding the benchmark book ({CUSTOMERS:,} customers; about half a minute)...", file=sys.stderr)
    use_ccm_env()
    from ccm_tui.services import BookLocation, open_book
    from ccm_tui.store.seed import seed_book

    settings, clock = settings_and_clock()
    partial = BOOK.with_suffix(".partial")  # a crash mid-seed leaves no half book to reuse
    started = time.perf_counter()
    services, _ = open_book(BookLocation.file(partial), settings, clock)
    seed_book(services.engine, CUSTOMERS, ACTIVATIONS, services.today())
    services.engine.dispose()
    seconds = time.perf_counter() - started
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(BOOK)
    return seconds


def describe(seed_seconds: float | None) -> str:
    size = BOOK.stat().st_size / 2**20
    how = f"seeded in {seed_seconds:.1f} s" if seed_seconds is not None else "reused (--fresh rebuilds)"
    return f"Book: {CUSTOMERS:,} customers, {ACTIVATIONS:,} activations, {size:.0f} MiB, {how}\n      {BOOK}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="rebuild the book even if it exists")
    print(describe(ensure_book(parser.parse_args().fresh)))


if __name__ == "__main__":
    main()
