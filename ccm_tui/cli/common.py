"""What every subcommand shares: the context, errors, opening the book,
and writing an output file safely."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ccm_tui import locations
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import Clock
from ccm_tui.config import Settings
from ccm_tui.files import UnwritableTarget, write_private

if TYPE_CHECKING:
    from ccm_tui.services import Services


class CliError(Exception):
    """An expected failure: its message is the whole story for the user."""


@dataclass(frozen=True)
class Context:
    settings: Settings
    clock: Clock
    db: BookLocation | None  # None: the user's default book
    demo: bool = False
    read_only: bool = False  # --read-only
    mouse: bool = True  # False: --no-mouse (over a slow link, mode 1003 sends every mouse move)

    def book(self) -> BookLocation:
        """The book to open; only the default location's folder is made (0700), a --db must name an existing one."""
        return replace(self._book(), read_only=True) if self.read_only else self._book()

    def _book(self) -> BookLocation:
        if self.demo:
            return BookLocation.file(_in_made_folder(locations.demo_database()), demo=True)
        if self.db is not None:
            return self.db
        return BookLocation.file(_in_made_folder(locations.default_database()))

    @property
    def book_label(self) -> str:
        """The book as `ccm dirs` shows it, without opening or making anything."""
        return self.db.label if self.db is not None else str(locations.default_database())


def _in_made_folder(path: Path) -> Path:
    try:
        locations.ensure_private_dir(path.parent)
    except OSError as error:
        raise CliError(f"cannot make ccm's data folder {path.parent}: {error.strerror or error}") from None
    return path


@dataclass(frozen=True)
class Parsers:
    """Where a feature hangs its subcommands."""

    commands: argparse._SubParsersAction[argparse.ArgumentParser]
    exports: argparse._SubParsersAction[argparse.ArgumentParser]  # `ccm export FORMAT`
    imports: argparse._SubParsersAction[argparse.ArgumentParser]  # `ccm import KIND`


def open_services(ctx: Context) -> Services:
    """Open (migrating, or building the demo) the context's book."""
    from ccm_tui.services import open_book

    services, _ = open_book(ctx.book(), ctx.settings, ctx.clock)
    return services


def is_stdout(path: Path | None) -> bool:
    """No -o, or `-o -`: standard output."""
    return path is None or str(path) == "-"


def write_output(text: str | Iterable[str], path: Path | None) -> None:
    """Print to stdout (no PATH, or `-`), or write PATH as every export is written (see ccm_tui/files.py).

    `text` may be chunks: they are streamed, so memory holds one at a time.
    """
    if is_stdout(path):
        for chunk in [text] if isinstance(text, str) else text:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    assert path is not None
    try:
        write_private(path, text)
    except UnwritableTarget as error:
        raise CliError(str(error)) from None
