"""A whole-book export on two cores: the second half of the customers written by a process of its own.

Turning a large book into CSV or JSON is Python work, one core's worth: the
50,000-customer book took 6 s as CSV and 11 s as JSON. A thread cannot share
that work (Python's lock; a reading thread only slowed the export), a second
process can. So for a book of `HALVES_FROM` customers or more, `in_halves`
splits the customers at the middle account number: this process writes the
first half into the export's own files while `python -m
ccm_tui.services.export_half` writes the second half into part files beside
them (0600, in the folder the user named), which are then appended and
removed. Both halves are walked by the same functions (`write_csv_rows`,
`write_json_lines`) that write a book in one pass, so the files are the same
byte for byte.

Two processes read the book in two transactions. If nothing was written
meanwhile (the change log's newest entry is the same before the second
process starts and after both halves are done) they read the same book;
otherwise the export is written again in one pass, as a smaller book's is.
A server book is always written in one pass (`exports.halves`).

The second process hears its job (pickled) on its standard input and tells
its progress and its counts on its standard output; its failure, or this
process's, stops both, removes the parts, and leaves no export behind.
"""

from __future__ import annotations

import csv
import gc
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from ccm_tui.domain.book_facts import BookDocuments, FactsContext
from ccm_tui.domain.imports import ImportKind
from ccm_tui.errors import StoreError
from ccm_tui.files import UnwritableTarget
from ccm_tui.store import change_log, export_csv, exports
from ccm_tui.store.export_readiness import ReadinessAt
from ccm_tui.store.export_rows import WHOLE, Span

if TYPE_CHECKING:
    from ccm_tui.store.engine import Engine

HALVES_FROM = 5_000  # customers: for fewer, starting a second process (half a second of imports) saves nothing
Tell = Callable[[int], None]  # hears how many customers have been written so far


class ExportFailed(StoreError):
    """The second half's process failed: the export is not written."""


# -- the walks both halves run ---------------------------------------------------


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


# -- the second half -----------------------------------------------------------


@dataclass(frozen=True)
class HalfJob:
    """What the second process writes: `span`'s customers into `parts` (a file per CSV kind, or the JSON's one)."""

    kind: Literal["csv", "json"]
    url: str
    span: Span
    parts: tuple[str, ...]
    facts: FactsContext | None = None
    readiness: bool = False


def in_halves(
    engine: Engine,
    kind: Literal["csv", "json"],
    folder: Path,
    handles: Sequence[IO[str]],
    walk: Callable[[Span, Tell], Counter[str]],
    restart: Callable[[], None],
    tell: Tell,
    facts: FactsContext | None = None,
    readiness: bool = False,
) -> Counter[str]:
    """The book through `walk(span, tell)` into `handles`, in two processes when that pays (see the module).

    The second half's parts are written in `folder`, the export's own; `restart()` empties the handles
    back to what they held before the walk, for the one pass that follows a write during the halves."""
    spans = exports.halves(engine, HALVES_FROM) if all(h.seekable() for h in handles) else None
    if spans is None:
        return walk(WHOLE, tell)
    mark = change_log.last_seq(engine)
    url = engine.url.render_as_string(hide_password=False)
    with _part_files(folder, len(handles)) as parts, _OtherHalf(HalfJob(kind, url, spans[1], parts, facts, readiness)) as other:
        counts = walk(spans[0], lambda done: tell(done + other.done))
        theirs = other.result()
        if change_log.last_seq(engine) != mark:  # written meanwhile: the halves may hold two states of the book
            restart()
            return walk(WHOLE, tell)
        for handle, part in zip(handles, parts, strict=True):
            _append(handle, Path(part))
    counts.update(theirs)
    tell(counts["customers"])  # the progress line ends on the whole book's count
    return counts


@contextmanager
def _part_files(folder: Path, count: int) -> Iterator[tuple[str, ...]]:
    """`count` empty private files in `folder`, removed when the block ends."""
    made: list[str] = []
    try:
        for _ in range(count):
            try:
                fd, name = tempfile.mkstemp(prefix=".ccm-export.", suffix=".half", dir=folder)
            except OSError as error:
                raise UnwritableTarget(f"cannot write in {folder}: {error.strerror or error}") from None
            os.close(fd)
            made.append(name)
        yield tuple(made)
    finally:
        for name in made:
            Path(name).unlink(missing_ok=True)


def _append(handle: IO[str], part: Path) -> None:
    """`part`'s bytes after what `handle` holds (both UTF-8)."""
    handle.flush()
    with part.open("rb") as source:
        shutil.copyfileobj(source, handle.buffer, 1 << 20)  # type: ignore[attr-defined]  # a text file's binary layer


class _OtherHalf:
    """The second process: started on entry, its progress (`done`) heard as it goes, stopped on exit."""

    command: tuple[str, ...] = (sys.executable, "-m", "ccm_tui.services.export_half")

    def __init__(self, job: HalfJob) -> None:
        self._job = job
        self.done = 0
        self._counts: dict[str, int] | None = None
        self._said: list[str] = []  # what else it printed: a failure's last line is the message

    def __enter__(self) -> _OtherHalf:
        self._process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._listener = threading.Thread(target=self._listen, name="export-half", daemon=True)
        self._listener.start()
        assert self._process.stdin is not None
        with suppress(BrokenPipeError):  # it died at once: `result` says why
            pickle.dump(self._job, self._process.stdin.buffer)  # type: ignore[attr-defined]
            self._process.stdin.close()
        return self

    def _listen(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            word, _, rest = line.rstrip("\n").partition(" ")
            if word == "done":
                self.done = int(rest)
            elif word == "counts":
                self._counts = json.loads(rest)
            elif line.strip():
                self._said = [*self._said[-9:], line.strip()]

    def result(self) -> Counter[str]:
        """Its counts once it has written its half; ExportFailed if it could not."""
        code = self._process.wait()
        self._listener.join()
        if code != 0 or self._counts is None:
            why = self._said[-1] if self._said else f"it ended with code {code}"
            raise ExportFailed(f"the export's second half failed: {why}")
        return Counter(self._counts)

    def __exit__(self, *_exc: object) -> None:
        if self._process.poll() is None:  # this half failed or was interrupted: the other is not needed
            self._process.kill()
        self._process.wait()
        self._listener.join()


def main() -> int:
    """The second process: the job from standard input, its progress and counts to standard output."""
    from ccm_tui.store.engine import make_engine

    job: HalfJob = pickle.load(sys.stdin.buffer)  # from the process that started this one
    engine = make_engine(job.url)
    gc.disable()  # as the first half's `collector_resting`: the walk makes no cycles, and this process ends with it

    def tell(done: int) -> None:
        print(f"done {done}", flush=True)

    if job.kind == "csv":
        with _opened(job.parts) as files:
            counts = write_csv_rows(engine, job.span, [csv.writer(f) for f in files], tell)
    else:
        assert job.facts is not None
        with _opened(job.parts) as (file,):
            counts = write_json_lines(engine, job.facts, job.readiness, job.span, file.write, tell, first=False)
    print("counts " + json.dumps(counts), flush=True)
    return 0


@contextmanager
def _opened(names: Sequence[str]) -> Iterator[Sequence[IO[str]]]:
    """The part files opened for writing (they exist already, 0600), closed when the block ends."""
    files: list[IO[str]] = [open(name, "w", encoding="utf-8", newline="") for name in names]  # noqa: SIM115  # closed below
    try:
        yield files
    finally:
        for file in files:
            file.close()


if __name__ == "__main__":
    sys.exit(main())
