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

import gc
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from ccm_tui.errors import StoreError
from ccm_tui.files import UnwritableTarget
from ccm_tui.store import change_log

if TYPE_CHECKING:
    from ccm_tui.store.engine import Engine

MIN_SHARE = 0.15  # a second process taking less than this share saves less than it costs
Tell = Callable[[int], None]  # hears how many customers (or events) have been written so far


class ExportFailed(StoreError):
    """The second half's process failed: the export is not written."""


# -- the second half -----------------------------------------------------------


class HalfJob(Protocol):
    """What the second process writes into `parts` (its own files, in the export's folder), read from `url`."""

    @property
    def url(self) -> str: ...

    @property
    def parts(self) -> tuple[str, ...]: ...

    def run(self, engine: Engine, files: Sequence[IO[str]], tell: Tell) -> Counter[str]: ...


def back_to_here(handle: IO[str]) -> Callable[[], None]:
    """A `restart` for `in_two`: empties `handle` back to what it holds now (a file's, so it can seek)."""
    handle.flush()
    here = handle.tell()

    def restart() -> None:
        handle.seek(here)
        handle.truncate()

    return restart


def head_start(spawned: int, forked: int) -> int:
    """How many items (customers, events) this process writes while the second one starts: `forked` when it
    can be a fork (`can_fork`), which starts at once, else `spawned` (a new interpreter's imports)."""
    return forked if can_fork() else spawned


def second_share(total: int, start: int) -> float:
    """The share of `total` (customers, events) the second process takes for both to end together, when it
    starts `start` of them behind the first (its own imports); 0 when that share is too small to pay."""
    share = (1 - start / total) / 2 if total > 0 else 0.0
    return share if share >= MIN_SHARE else 0.0


def in_two(
    engine: Engine,
    folder: Path,
    handles: Sequence[IO[str]],
    first: Callable[[Tell], Counter[str]],
    second: Callable[[str, tuple[str, ...]], HalfJob],
    whole: Callable[[Tell], Counter[str]],
    restart: Callable[[], None],
    tell: Tell,
    counted: str = "customers",
) -> Counter[str]:
    """`first` half written here into `handles` while `second`'s job writes its parts in `folder`, appended after.

    `tell` hears the two halves' counts of `counted` added; `restart()` empties the handles back to what they held before,
    for `whole`, the one pass that follows a write to the book while the halves were read."""
    mark = change_log.last_seq(engine)
    url = engine.url.render_as_string(hide_password=False)
    with _part_files(folder, len(handles)) as parts, _OtherHalf(second(url, parts)) as other:
        counts = first(lambda done: tell(done + other.done))
        theirs = other.result()
        if change_log.last_seq(engine) != mark:  # written meanwhile: the halves may hold two states of the book
            restart()
            return whole(tell)
        for handle, part in zip(handles, parts, strict=True):
            _append(handle, Path(part))
    counts.update(theirs)
    tell(counts[counted])  # the progress line ends on the whole count
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
    """The second process: started on entry, its progress (`done`) heard as it goes, stopped on exit.

    A process with no other thread (`ccm export ...`) forks: the copy has every module loaded already and
    starts at once, where a new interpreter spends half a second or more on its imports. It opens a book
    connection of its own, never touches this process's, and leaves through `os._exit` (no buffers of this
    process flushed twice, no handler run). A process with other threads (the app) starts a new interpreter.
    """

    command: tuple[str, ...] = (sys.executable, "-m", "ccm_tui.services.export_half")

    def __init__(self, job: HalfJob) -> None:
        self._job = job
        self.done = 0
        self._counts: dict[str, int] | None = None
        self._said: list[str] = []  # what else it printed: a failure's last line is the message
        self._pid: int | None = None  # a fork's
        self._process: subprocess.Popen[str] | None = None  # a new interpreter's

    def __enter__(self) -> _OtherHalf:
        if can_fork():
            lines = self._fork()
        else:
            self._process = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            assert self._process.stdin is not None and self._process.stdout is not None
            lines = self._process.stdout
            with suppress(BrokenPipeError):  # it died at once: `result` says why
                pickle.dump(self._job, self._process.stdin.buffer)  # type: ignore[attr-defined]
                self._process.stdin.close()
        self._listener = threading.Thread(target=self._listen, args=(lines,), name="export-half", daemon=True)
        self._listener.start()
        return self

    def _fork(self) -> IO[str]:
        sys.stdout.flush()
        sys.stderr.flush()
        reading, writing = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the copy: write the half, say how it went, and leave
            os.close(reading)
            code = 1
            try:
                with open(writing, "w", encoding="utf-8") as said:
                    code = _write_half(self._job, said)
            finally:
                os._exit(code)
        os.close(writing)
        return open(reading, encoding="utf-8")

    def _listen(self, lines: IO[str]) -> None:
        with lines:
            for line in lines:
                word, _, rest = line.rstrip("\n").partition(" ")
                if word == "done":
                    self.done = int(rest)
                elif word == "counts":
                    self._counts = json.loads(rest)
                elif line.strip():
                    self._said = [*self._said[-9:], line.strip()]

    def _wait(self) -> int:
        if self._process is not None:
            return self._process.wait()
        assert self._pid is not None
        _, status = os.waitpid(self._pid, 0)
        return os.waitstatus_to_exitcode(status)

    def result(self) -> Counter[str]:
        """Its counts once it has written its half; ExportFailed if it could not."""
        code = self._wait()
        self._listener.join()
        if code != 0 or self._counts is None:
            why = self._said[-1] if self._said else f"it ended with code {code}"
            raise ExportFailed(f"the export's second half failed: {why}")
        return Counter(self._counts)

    def __exit__(self, *_exc: object) -> None:
        if self._process is not None:
            if self._process.poll() is None:  # this half failed or was interrupted: the other is not needed
                self._process.kill()
        elif self._pid is not None:
            with suppress(ProcessLookupError, ChildProcessError):  # ended already (and perhaps waited for)
                if os.waitpid(self._pid, os.WNOHANG) == (0, 0):
                    os.kill(self._pid, signal.SIGKILL)
                    os.waitpid(self._pid, 0)
            self._pid = None
        if self._process is not None:
            self._process.wait()
        self._listener.join()


def can_fork() -> bool:
    """Whether the second half can be a fork of this process: a POSIX one with no other thread."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _write_half(job: HalfJob, said: IO[str]) -> int:
    """The job's half written; its progress, then its counts or why it failed, a line each to `said`."""
    from ccm_tui.store.engine import make_engine

    gc.disable()  # as the first half's `collector_resting`: the walk makes no cycles, and this process ends with it

    def tell(done: int) -> None:
        said.write(f"done {done}\n")
        said.flush()

    try:
        engine = make_engine(job.url)
        with _opened(job.parts) as files:
            counts = job.run(engine, files, tell)
    except Exception as error:  # noqa: BLE001  # told to the first half, which raises ExportFailed with it
        said.write(f"{type(error).__name__}: {error}\n")
        return 1
    said.write("counts " + json.dumps(counts) + "\n")
    said.flush()
    return 0


def main() -> int:
    """A new interpreter's second half: the job from standard input, its progress and counts to standard output."""
    job: HalfJob = pickle.load(sys.stdin.buffer)  # from the process that started this one
    return _write_half(job, sys.stdout)


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
