"""The one way ccm writes a file the user asked for: private, and whole or not at all.

Every export (CSV, JSON, iCalendar, agenda and checklist Markdown), from the
CLI, the services and the app's dialogs, goes through `private_text_files`.
What happens depends on what the path names:

- a regular file, or nothing yet: written under a temporary name beside it
  (0600 from the start: `mkstemp` creates it so), flushed to disk, then
  renamed over the final name, so a reader never sees half a file and a
  failure leaves the old one. A set of files (the five CSV files of one
  export) is renamed only once every one of them is complete;
- a symlink: followed on purpose; the link stays and what it points at is
  written by these same rules;
- a character device or a FIFO (`/dev/null`, `/dev/stdout`, a named pipe):
  opened and written in place, never renamed over, never chmod-ed;
- a folder, a socket or a block device: refused.

Every failure is an `UnwritableTarget` saying which path and why.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ccm_tui.errors import StoreError
from ccm_tui.locations import ensure_private_dir


class UnwritableTarget(StoreError, ValueError):
    """The place an export should go cannot take it.

    Also a ValueError: the path is a value the user typed, and forms show a
    ValueError at its field.
    """


@dataclass(frozen=True)
class Target:
    given: Path  # as the user named it (expanded)
    path: Path  # where the bytes land: `given`, or what its symlink points at
    direct: bool  # a character device or FIFO: written in place


_KINDS = {stat.S_IFBLK: "block device", stat.S_IFSOCK: "socket"}


def expand(path: Path) -> Path:
    """`path` with ~ expanded; UnwritableTarget for what no file system takes.

    `expanduser` raises RuntimeError for ~name of no user here, and the OS
    calls ValueError for a NUL: neither is the "why not" the caller catches.
    """
    if "\x00" in str(path):
        raise UnwritableTarget(f"{str(path)!r} holds a NUL character; was something pasted by mistake?")
    try:
        return path.expanduser()
    except RuntimeError:  # ~name: no such user on this machine
        user = path.parts[0][1:]
        raise UnwritableTarget(f"no user called {user!r} here, in {path}: ~ alone is your home folder") from None


def resolve_target(path: Path) -> Target:
    """What writing to `path` would write to, or UnwritableTarget saying why it cannot."""
    given = expand(path)
    real = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        if not real.parent.is_dir():
            raise UnwritableTarget(f"folder {real.parent} does not exist") from None
        return Target(given, real, direct=False)
    except OSError as error:
        raise UnwritableTarget(f"cannot write {given}: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise UnwritableTarget(f"{given} is a folder; give a file name")
    if stat.S_ISREG(mode):
        return Target(given, real, direct=False)
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Target(given, real, direct=True)
    kind = _KINDS.get(stat.S_IFMT(mode), "special file")
    raise UnwritableTarget(f"{given} is a {kind}; ccm writes to files, FIFOs and character devices only")


def check_file_target(path: Path) -> Path:
    """`path`, expanded, once it is known to be somewhere a file can be written."""
    return resolve_target(path).given


def prepare_folder(folder: Path) -> Path:
    """The export folder, made (0700) if it is missing but its parent is there."""
    folder = expand(folder)
    if folder.exists() and not folder.is_dir():
        raise UnwritableTarget(f"{folder} is a file; give a folder for the CSV files")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise UnwritableTarget(f"folder {folder.parent} does not exist")
        try:
            ensure_private_dir(folder)
        except OSError as error:
            raise UnwritableTarget(f"cannot make folder {folder}: {error.strerror or error}") from None
    return folder


@dataclass
class _Open:
    target: Target
    handle: TextIO
    temp: Path | None  # None: written in place


@contextmanager
def private_text_files(paths: Sequence[Path], encoding: str = "utf-8") -> Iterator[list[TextIO]]:
    """Handles to write `paths` through; the regular files appear together when the block ends without error."""
    targets = [resolve_target(path) for path in paths]
    opened: list[_Open] = []
    try:
        try:
            for target in targets:
                opened.append(_open_direct(target, encoding) if target.direct else _open_temp(target, encoding))
            yield [entry.handle for entry in opened]
            for entry in opened:
                entry.handle.flush()
                if entry.temp is not None:
                    os.fsync(entry.handle.fileno())
                entry.handle.close()
            for entry in opened:
                if entry.temp is not None:
                    os.replace(entry.temp, entry.target.path)
            for folder in {entry.target.path.parent for entry in opened if entry.temp is not None}:
                fsync_folder(folder)
        except OSError as error:
            where = targets[0].given if len(targets) == 1 else targets[0].given.parent
            raise UnwritableTarget(f"could not write {where}: {error.strerror or error}") from error
    finally:
        for entry in opened:
            with contextlib.suppress(OSError):  # already failing; the first error is the one to report
                entry.handle.close()
            if entry.temp is not None:
                entry.temp.unlink(missing_ok=True)


@contextmanager
def private_text_file(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    with private_text_files([path], encoding) as (handle,):
        yield handle


def write_private(path: Path, text: str | Iterable[str], encoding: str = "utf-8") -> Path:
    """Write `text` (a string, or chunks streamed one at a time) to `path`; returns `path` expanded."""
    with private_text_file(path, encoding) as handle:
        if isinstance(text, str):
            handle.write(text)
        else:
            for chunk in text:
                handle.write(chunk)
    return expand(path)


def _open_temp(target: Target, encoding: str) -> _Open:
    folder = target.path.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise UnwritableTarget(f"cannot write in {folder}: {error.strerror or error}") from None
    return _Open(target, os.fdopen(fd, "w", encoding=encoding, newline=""), Path(temp))


def _open_direct(target: Target, encoding: str) -> _Open:
    # No O_CREAT, no O_TRUNC: the device or pipe is used as it is. A FIFO's
    # open waits for its reader, as a shell's `>` does.
    try:
        fd = os.open(target.path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise UnwritableTarget(f"cannot write {target.given}: {error.strerror or error}") from None
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # swapped for something else since resolve_target
        os.close(fd)
        raise UnwritableTarget(f"{target.given} changed while ccm was writing it; try again")
    return _Open(target, os.fdopen(fd, "w", encoding=encoding, newline=""), None)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable; a platform or file system that cannot open a folder is skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
