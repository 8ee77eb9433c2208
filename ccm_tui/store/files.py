"""Writing export files the way the book itself is kept: private, and whole or not at all.

Each file is written under a temporary name beside its final one (0600 from
the start: `mkstemp` creates it so), flushed to disk, then renamed over the
final name, so a reader never sees half a file and a failure leaves the old
one. A set of files (the five CSV files of one export) is renamed only once
every one of them is complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ccm_tui.store.errors import StoreError


class UnwritableTarget(StoreError):
    """The place an export should go cannot take it."""


def check_file_target(path: Path) -> Path:
    path = path.expanduser()
    if path.is_dir():
        raise UnwritableTarget(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise UnwritableTarget(f"folder {path.parent} does not exist")
    return path


def prepare_folder(folder: Path) -> Path:
    """The export folder, made (0700) if it is missing but its parent is there."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise UnwritableTarget(f"{folder} is a file; give a folder for the CSV files")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise UnwritableTarget(f"folder {folder.parent} does not exist")
        folder.mkdir(mode=0o700)
    return folder


@contextmanager
def atomic_text_files(paths: Sequence[Path], encoding: str = "utf-8") -> Iterator[list[TextIO]]:
    """Handles to write `paths` through; all of them appear together when the block ends without error."""
    pending: list[tuple[Path, str, TextIO]] = []
    try:
        for path in paths:
            try:
                fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            except OSError as error:
                raise UnwritableTarget(f"cannot write in {path.parent}: {error.strerror or error}") from None
            pending.append((path, temp, os.fdopen(fd, "w", encoding=encoding, newline="")))
        yield [handle for _, _, handle in pending]
        for _, _, handle in pending:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        for path, temp, _ in pending:
            os.replace(temp, path)
    finally:
        for _, temp, handle in pending:
            handle.close()
            Path(temp).unlink(missing_ok=True)
