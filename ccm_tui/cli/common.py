"""What every subcommand shares: the context, errors, opening the book,
and writing an output file safely."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ccm_tui import locations
from ccm_tui.book import BookLocation
from ccm_tui.clock import Clock
from ccm_tui.config import Settings

if TYPE_CHECKING:
    from ccm_tui.services import Services


class CliError(Exception):
    """An expected failure: its message is the whole story for the user."""


@dataclass(frozen=True)
class Context:
    settings: Settings
    clock: Clock
    db: Path | None  # None: the user's default book
    demo: bool = False

    def book(self) -> BookLocation:
        if self.demo:
            return BookLocation.file(locations.demo_database(), demo=True)
        return BookLocation.file(self.db or locations.default_database())


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


def write_output(text: str, path: Path | None) -> None:
    """Print to stdout, or write PATH atomically (temp file, then rename), 0600."""
    if path is None:
        sys.stdout.write(text)
        return
    path = path.expanduser()
    if path.is_dir():
        raise CliError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise CliError(f"folder {path.parent} does not exist")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
