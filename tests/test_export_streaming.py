"""`ccm export json` streams: the memory it needs does not grow with the book (issue 13).

The document is written a batch of customers at a time (the facts they
share remembered up to a bound), so the peak of
memory Python allocates during an export (tracemalloc) is the same for a
book four times as large; a writer that built the document, or read every
customer, before writing would need about four times as much.
"""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest

from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain import book_facts
from ccm_tui.services import BookLocation, Services, open_book
from ccm_tui.store import exports
from ccm_tui.store.seed import seed_book


class Sink(io.StringIO):
    """Standard output that keeps only the count of what was written."""

    written = 0

    def write(self, text: str) -> int:
        self.written += len(text)
        return len(text)


def seeded(path: Path, customers: int, settings: Settings, clock: FixedClock) -> Services:
    services, _ = open_book(BookLocation.file(path), settings, clock)
    seed_book(services.engine, customers, customers * 4, services.today())
    return services


def peak_of_export(services: Services) -> tuple[int, int]:
    """The peak bytes allocated while the book is exported, and the bytes of JSON written."""
    sink = Sink()
    tracemalloc.start()
    try:
        services.exchange.write_json(sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.written


def test_json_export_memory_does_not_grow_with_the_book(
    tmp_path: Path, settings: Settings, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # batches, and the windows remembered, far smaller than the books: what is held is bounded by them, not the book
    monkeypatch.setattr(exports, "BATCH_CUSTOMERS", 20)
    monkeypatch.setattr(book_facts, "_WINDOWS_KEPT", 50)
    small = seeded(tmp_path / "small.sqlite", 60, settings, clock)
    large = seeded(tmp_path / "large.sqlite", 240, settings, clock)
    for services in (small, large):  # the first export compiles its statements and loads the zones: not its own memory
        peak_of_export(services)
    small_peak, small_size = peak_of_export(small)
    large_peak, large_size = peak_of_export(large)
    assert large_size > 3.5 * small_size  # four times the book...
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)  # ...and about the same memory
