"""A closed terminal ends the app, whether or not ccm is the process told of it.

ccm runs in a pseudo-terminal under a session leader; closing the terminal's
master side is what killing a tmux session or dropping an SSH link does.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ccm_tui.hang_up import EXIT_HUNG_UP, tty_hung_up

START_BUDGET_S = 60.0
EXIT_BUDGET_S = 20.0

# The session leader, as `make run` is: it takes the terminal and keeps the hang-up to itself.
LEADER = textwrap.dedent(
    """
    import fcntl, signal, subprocess, sys, termios
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGHUP, lambda *_: None)
    sys.exit(subprocess.call(sys.argv[1:]))
    """
)


@contextmanager
def ccm_in_a_terminal(tmp_path: Path, *, leader: bool) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """ccm on a new 80x24 pty (its own session), started and showing the book; yields it and the master fd."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    config = tmp_path / "config.toml"
    config.write_text('ccm_name = "Alex Morgan"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_THEME", "CCM_DB")}
    env |= {"TERM": "xterm-256color", "CCM_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")}
    ccm = [sys.executable, "-m", "ccm_tui", "--db", str(tmp_path / "book.sqlite")]
    argv = [sys.executable, "-c", LEADER, *ccm] if leader else ccm
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    try:
        wait_for_screen(master, "Customer")
        yield process, master
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the leader and ccm: nothing left spinning
            process.wait()
        with suppress(OSError):
            os.close(master)


def wait_for_screen(master: int, text: str) -> None:
    seen = ""
    deadline = time.monotonic() + START_BUDGET_S
    while text not in re.sub(r"\x1b\[[0-9;?<>]*[a-zA-Z]", "", seen):
        left = deadline - time.monotonic()
        assert left > 0, f"ccm did not show {text!r}: {seen[-400:]!r}"
        if select.select([master], [], [], left)[0]:
            seen += os.read(master, 65536).decode("utf-8", "replace")


def test_a_closed_terminal_ends_the_app_though_its_session_leader_keeps_the_hang_up(tmp_path: Path) -> None:
    with ccm_in_a_terminal(tmp_path, leader=True) as (process, master):
        os.close(master)  # the terminal is gone; only the leader is sent SIGHUP, and it ignores it
        assert process.wait(timeout=EXIT_BUDGET_S) == EXIT_HUNG_UP


def test_sighup_ends_the_app_cleanly(tmp_path: Path) -> None:
    with ccm_in_a_terminal(tmp_path, leader=False) as (process, _master):
        process.send_signal(signal.SIGHUP)
        # its own handler, not the default action (which would be -SIGHUP): the book is closed as on `q`
        assert process.wait(timeout=EXIT_BUDGET_S) == EXIT_HUNG_UP


def test_an_idle_terminal_has_not_hung_up() -> None:
    master, slave = os.openpty()
    try:
        assert not tty_hung_up(slave)
        os.close(master)
        assert tty_hung_up(slave)
    finally:
        os.close(slave)
