"""Leaving when the terminal goes away.

A terminal closed under ccm (a tmux session killed, an SSH connection dropped)
hangs up its tty. The kernel sends SIGHUP to the session's leader only; when
that is not ccm (`make run`: make leads the session and keeps the signal to
itself), ccm is never told, and Textual's input thread reads end-of-file from
the dead tty in a tight loop: 40-60% of a core, for ever, with the book open.
So ccm exits on SIGHUP, and asks the tty itself every second: a hung-up tty
answers every request with EIO.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import signal
import sys
import termios
import threading
from typing import Any

from textual.app import App

CHECK_EVERY_S = 1.0
LEAVE_WITHIN_S = 10.0
EXIT_HUNG_UP = 128 + signal.SIGHUP  # as a shell reports a process ended by a hang-up


def tty_hung_up(fd: int) -> bool:
    """True once the terminal on `fd` has hung up (not for a tty that is merely idle)."""
    try:
        termios.tcgetattr(fd)
    except termios.error as error:
        return bool(error.args) and error.args[0] in (errno.EIO, errno.ENXIO)
    return False


def leave_when_hung_up(app: App[Any]) -> None:
    """On a real terminal (never headless, never a pipe): a hang-up ends the app as `q` would."""
    stdin = sys.__stdin__
    if app.is_headless or stdin is None or not stdin.isatty():
        return
    fd = stdin.fileno()

    leaving: list[threading.Timer] = []

    def hung_up() -> None:
        if leaving:  # the check goes on firing while the app closes
            return
        app.exit(return_code=EXIT_HUNG_UP)
        # Once seen: a shutdown that waited for ever on a thread, with no terminal left to say so. The book's
        # writes are whole transactions, so ending the process is safe; it is only a backstop.
        backstop = threading.Timer(LEAVE_WITHIN_S, os._exit, args=(EXIT_HUNG_UP,))
        backstop.daemon = True
        backstop.start()
        leaving.append(backstop)

    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # no signals here (not the main thread)
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, hung_up)

    def check() -> None:
        if tty_hung_up(fd):
            hung_up()

    app.set_interval(CHECK_EVERY_S, check, name="hang-up check")
