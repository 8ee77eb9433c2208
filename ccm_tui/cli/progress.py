"""A progress line on stderr for the long commands: seed, import and the exports.

Only on a terminal: a redirected or piped stderr (a script, cron, CI) gets
no progress at all, never a log of carriage returns. One line, rewritten in
place as each batch is done (about a hundred times for 50,000 customers),
cut to the terminal's width so it never wraps, and wiped when the work ends
or fails, so the summary or the one-line error starts on a clean line.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import TextIO


class ProgressLine:
    """A `progress(message)` callback: `with ProgressLine() as progress: seed_book(..., progress=progress)`."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream)
        self._shown = 0  # characters of the line now on the screen

    def __call__(self, message: str) -> None:
        if not self.enabled:
            return
        text = message[: self._width() - 1]  # the last column would wrap in some terminals
        self.stream.write("\r" + text + " " * max(0, self._shown - len(text)))
        self.stream.flush()
        self._shown = len(text)

    def clear(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None) -> None:
        self.clear()

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):  # not a real terminal (a test's stand-in)
            return 80


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, AttributeError):  # closed, or not a file at all
        return False
