"""The CSV and JSON exports' walks over the book, in one pass or in two halves (services/export_half.py).

The customers are split at an account number (`exports.split_at`): this
process writes those up to it, a second process (`CsvHalf`, `JsonHalf`) those
after it, each with the same walk a one-pass export makes.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ccm_tui.domain.book_facts import BookDocuments, FactsContext
from ccm_tui.domain.imports import ImportKind
from ccm_tui.services.export_half import HalfJob, Tell, head_start, in_two, second_share
from ccm_tui.store import export_csv, exports
from ccm_tui.store.export_readiness import ReadinessAt
from ccm_tui.store.export_rows import WHOLE, Span

if TYPE_CHECKING:
    from ccm_tui.store.engine import Engine

# About how many customers this process writes while the second one starts: a new interpreter's imports take
# half a second, a fork opens its connection and reads its first batch. The second half is made smaller by as
# much, so both end together (`second_share`); a book under some 6,000 customers (a fork: 430) is one pass.
START_CUSTOMERS, FORKED_START_CUSTOMERS = 4_000, 300


def write_csv_rows(engine: Engine, span: Span, out: Sequence[Any], tell: Tell) -> Counter[str]:
    """`span`'s customers as rows of the five CSV files (`out`: a csv writer per `ImportKind`, in order)."""
    kinds = list(ImportKind)
    counts: Counter[str] = Counter({kind.value: 0 for kind in kinds})
    for batch in export_csv.csv_batches(engine, span=span):
        for kind, writer, rows in zip(kinds, out, batch.rows, strict=True):
            writer.writerows(rows)  # a batch's rows per file, written in one call each
            # activations: every one read, as the summary has always said (not only those written)
            counts[kind.value] += batch.activations_read if kind is ImportKind.ACTIVATIONS else len(rows)
        tell(counts["customers"])
    return counts


def write_json_lines(
    engine: Engine, ctx: FactsContext, readiness: bool, span: Span, write: Callable[[str], object], tell: Tell, first: bool
) -> Counter[str]:
    """`span`'s customers as the lines of the document's `customers` list (`first`: the list's first line is among them)."""
    counts: Counter[str] = Counter({kind.value: 0 for kind in ImportKind})
    separator = "\n" if first else ",\n"
    documents = BookDocuments(ctx)  # one for the whole walk: it remembers the facts customers share
    # readiness as the checklists judge it, read with each batch from the steps it holds
    at = ReadinessAt(ctx.now, ctx.business_hours) if readiness else None
    for batch in exports.book_walk(engine, ctx.month, readiness=at, span=span):
        lines = []
        for records in batch.records:
            line = documents.line(records, batch.readiness)
            lines.append(line.text)
            counts["contacts"] += len(records.contacts)
            counts["sites"] += len(records.sites)
            counts["orders"] += len(records.orders)
            counts["activations"] += line.activations  # those written: each of the customer's order and site
        counts["customers"] += len(lines)
        write(separator + ",\n".join(lines))  # a batch in one write
        separator = ",\n"
        tell(counts["customers"])
    return counts


@dataclass(frozen=True)
class CsvHalf:
    url: str
    parts: tuple[str, ...]  # a file per `ImportKind`, in order
    span: Span

    def run(self, engine: Engine, files: Sequence[IO[str]], tell: Tell) -> Counter[str]:
        return write_csv_rows(engine, self.span, [csv.writer(file) for file in files], tell)


@dataclass(frozen=True)
class JsonHalf:
    url: str
    parts: tuple[str, ...]  # one: the lines of the `customers` list after the first half's
    span: Span
    facts: FactsContext
    readiness: bool

    def run(self, engine: Engine, files: Sequence[IO[str]], tell: Tell) -> Counter[str]:
        return write_json_lines(engine, self.facts, self.readiness, self.span, files[0].write, tell, first=False)


def in_halves(
    engine: Engine,
    folder: Path,
    handles: Sequence[IO[str]],
    walk: Callable[[Span, Tell], Counter[str]],
    restart: Callable[[], None],
    tell: Tell,
    job: Callable[[str, tuple[str, ...], Span], HalfJob],
) -> Counter[str]:
    """The book's customers through `walk(span, tell)` into `handles`, in two processes when that pays."""
    spans = (
        exports.split_at(engine, lambda total: second_share(total, head_start(START_CUSTOMERS, FORKED_START_CUSTOMERS)))
        if all(h.seekable() for h in handles)
        else None
    )  # files, not pipes
    if spans is None:
        return walk(WHOLE, tell)
    first, second = spans
    return in_two(
        engine,
        folder,
        handles,
        lambda told: walk(first, told),
        lambda url, parts: job(url, parts, second),
        lambda told: walk(WHOLE, told),
        restart,
        tell,
    )
