"""What the terminal receives: ccm and its floors driven in tmux at 120x40, timed from key to screen.

Headless figures miss the terminal (a frame dropped inside a batch update,
the driver's writes), so these runs start each app in a tmux pane of its own
tmux server (`tmux -L`), send keys with `send-keys` and poll `capture-pane`
until the screen shows what the key asked for; a poll costs a few
milliseconds, the same for ccm and its floor. Every wait has a deadline and
fails loudly with the screen it last saw.

Rows of the issue's table measured here (each beside its floor in the same run):
launch to first paint and to the first customer row (floor: a bare Textual
app), filter keystroke and Esc (floor: `floor_apps.py filter`, the same work
in memory), key 2 to the month, `n`/`p`, keys 3 and 4 (floor: `floor_apps.py
screens`), the bytes of a full repaint and of an idle minute (`pipe-pane`),
and ccm's peak memory with all four screens visited.

    .venv/bin/python benchmarks/terminal.py [--runs 5] [--idle 60]
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import aims
import book
from stats import median_p95, ms

HERE = Path(__file__).resolve().parent
FLOORS = HERE / "floor_apps.py"
SERVER = "ccm-bench"
SIZE = (120, 40)
DEADLINE = 60.0
ACCOUNT = re.compile(r"\b(NA|EMEA|APAC|LATAM)-\d{6}\b")
Screen = Callable[[str], bool]


class Pane:
    """One tmux pane on a private tmux server; `launch` replaces whatever runs in it."""

    def __init__(self) -> None:
        self.tmux("kill-server", check=False)
        self.tmux("new-session", "-d", "-s", "bench", "-x", str(SIZE[0]), "-y", str(SIZE[1]), "sleep 100000")
        self.tmux("set-option", "-g", "remain-on-exit", "on")
        self.last = ""

    @staticmethod
    def tmux(*args: str, check: bool = True) -> str:
        done = subprocess.run(["tmux", "-L", SERVER, *args], capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def launch(self, argv: list[str], env: dict[str, str]) -> float:
        """Start `argv` in the pane; when it was asked for (perf_counter)."""
        command = "exec env -i " + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) + " " + shlex.join(argv)
        started = time.perf_counter()
        self.tmux("respawn-pane", "-k", "-t", "bench", command)
        return started

    def text(self) -> str:
        self.last = self.tmux("capture-pane", "-p", "-t", "bench")
        return self.last

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())

    def send(self, *keys: str) -> float:
        started = time.perf_counter()
        self.tmux("send-keys", "-t", "bench", *keys)
        return started

    def wait(self, shows: Screen, what: str, deadline: float = DEADLINE) -> float:
        """Poll until the screen `shows` it; when it first did. Raises with the last screen when the deadline passes."""
        limit = time.perf_counter() + deadline
        while True:
            seen = time.perf_counter()
            if shows(self.text()):
                return seen
            if seen > limit:
                raise TimeoutError(f"the screen never showed {what} within {deadline:.0f} s; last screen:\n{self.last}")

    def close(self) -> None:
        self.tmux("kill-server", check=False)


def painted(text: str) -> bool:
    return bool(text.strip())


def ccm_argv() -> list[str]:
    return [str(Path(sys.executable).parent / "ccm")]


def term_env() -> dict[str, str]:
    return book.ccm_env() | {"TERM": "xterm-256color", "COLORTERM": "truecolor"}


def floor_argv(*args: str) -> list[str]:
    return [sys.executable, str(FLOORS), *args]


def book_rows(text: str) -> bool:
    return "customers · sorted" in text and bool(ACCOUNT.search(text))


def filtered(value: str) -> Screen:
    """ccm's status line (and the floor's) for the rows of this filter text."""
    needle = value.strip()
    if not needle:
        return lambda text: re.search(r"^\s*50,000 customers · sorted", text, re.MULTILINE) is not None
    return lambda text: f"filter '{needle}'" in text or f"No customer matches '{needle}'" in text


def month_shown(first: date, *, check_grid: bool) -> Screen:
    """The month's title with counts, and (ccm) its 1st under the right weekday: never another month's layout."""
    title = f"{first:%B %Y}"

    def shows(text: str) -> bool:
        if title not in text or not re.search(r"\d+ events", text):
            return False
        if not check_grid:
            return True
        lines = text.splitlines()
        header = next((i for i, line in enumerate(lines) if line.lstrip().startswith("Sun ")), None)
        if header is None or header + 1 >= len(lines):
            return False
        column = lines[header].find(f"{first:%a}")
        return re.match(r"1\b", lines[header + 1][column:]) is not None

    return shows


def launches(pane: Pane, runs: int) -> dict[str, dict[str, list[float]]]:
    """Launch to first paint and to the first customer row, bare and ccm alternating."""
    out: dict[str, dict[str, list[float]]] = {"bare": {"paint": [], "rows": []}, "ccm": {"paint": [], "rows": []}}
    apps = {"bare": (floor_argv("bare"), lambda t: "NA-100000" in t), "ccm": (ccm_argv(), book_rows)}
    for run in range(runs + 1):
        for name, (argv, rows) in apps.items():
            started = pane.launch(argv, term_env())
            first = pane.wait(painted, "anything")
            shown = pane.wait(rows, "the first rows")
            if run:  # the first round warms the file cache
                out[name]["paint"].append(first - started)
                out[name]["rows"].append(shown - started)
    return out


def keystrokes(pane: Pane, argv: list[str], account: str, rounds: int) -> tuple[list[float], list[float]]:
    """(each filter keystroke, each Esc back to the whole list): from the key sent to the rows for it on screen."""
    pane.launch(argv, term_env())
    pane.wait(filtered(""), "the whole book")
    keys, escapes = [], []
    for _ in range(rounds):
        pane.send("/", "h")
        value = "h"
        pane.wait(filtered(value), "the rows for 'h'")
        for key in [*"ar", *["BSpace"] * 3, *"lyo", *["BSpace"] * 3, *account.lower(), "Escape", "/", *"zzqqxx"]:
            if key == "/":
                pane.send("/")
                continue
            value = {"BSpace": value[:-1], "Escape": ""}.get(key, value + key)
            sent = pane.send(key)
            took = pane.wait(filtered(value), f"the rows for {value!r}") - sent
            (escapes if key == "Escape" else keys).append(took)
        pane.send("Escape")
        pane.wait(filtered(""), "the whole book")
        pane.send("/", *"har")
        pane.wait(filtered("har"), "the rows for 'har'")
        sent = pane.send("Escape")
        escapes.append(pane.wait(filtered(""), "the whole book") - sent)
    return keys, escapes


def screens(pane: Pane, argv: list[str], *, ccm: bool, rounds: int) -> dict[str, list[float]]:
    """Key 2 to the month, n/p, keys 3 and 4 to their rows; with ccm's peak memory at the end."""
    first_rows: Screen = book_rows if ccm else (lambda t: "NA-100039" in t or "Customer 0" in t)
    checklist: Screen = lambda t: bool(re.search(r"[\d,]+ upcoming", t) and re.search(r"\d+/\d+ ", t))  # noqa: E731
    reviews: Screen = lambda t: "reviews due" in t and (bool(ACCOUNT.search(t)) or "17/33" in t)  # noqa: E731
    out: dict[str, list[float]] = {"key 2": [], "n/p": [], "key 3": [], "key 4": []}
    pane.launch(argv, term_env())
    pane.wait(first_rows, "the book")
    months = [date(2026, 11, 1), date(2026, 12, 1)]
    for warm_up in [True] + [False] * rounds:  # the first round fills caches (and a new book's derived flags)
        if warm_up:
            pane.send("2")
            pane.wait(month_shown(months[0], check_grid=ccm), "November's counts", deadline=600)
            pane.send("1")
            pane.wait(first_rows, "the book")
        sent = pane.send("2")
        out["key 2"].append(pane.wait(month_shown(months[0], check_grid=ccm), "November's counts") - sent)
        for step in range(6):
            key, target = ("n", months[1]) if step % 2 == 0 else ("p", months[0])
            sent = pane.send(key)
            out["n/p"].append(pane.wait(month_shown(target, check_grid=ccm), f"{target:%B}'s counts") - sent)
        for key, shows in (("3", checklist), ("4", reviews)):
            pane.send("1")
            pane.wait(first_rows, "the book")
            sent = pane.send(key)
            out[f"key {key}"].append(pane.wait(shows, f"screen {key}'s rows") - sent)
        pane.send("1")
        pane.wait(first_rows, "the book")
    return out


def peak_mib(pane: Pane) -> float:
    status = Path(f"/proc/{pane.pid()}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def link_bytes(pane: Pane, idle_seconds: float) -> tuple[int, int]:
    """(bytes of a full repaint: screen 2 back to 1, bytes written in an idle stretch), as the pty carried them."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "out"
        pane.launch(ccm_argv(), term_env())
        pane.wait(book_rows, "the book")
        pane.send("2")
        pane.wait(month_shown(date(2026, 11, 1), check_grid=True), "November's counts")
        settle(log, pane)
        before = log.stat().st_size
        pane.send("1")
        pane.wait(book_rows, "the book")
        settle(log, pane)
        repaint = log.stat().st_size - before
        before = log.stat().st_size
        time.sleep(idle_seconds)  # the idle stretch is what is measured: nothing to wait for
        return repaint, log.stat().st_size - before


def settle(log: Path, pane: Pane, quiet: float = 1.0) -> None:
    """Pipe the pane into `log` (once) and wait until it has written nothing for `quiet` seconds."""
    if not log.exists():
        log.touch()
        pane.tmux("pipe-pane", "-o", "-t", "bench", f"cat >> {shlex.quote(str(log))}")
    size, since = log.stat().st_size, time.perf_counter()
    limit = since + DEADLINE
    while time.perf_counter() - since < quiet:
        time.sleep(0.05)
        if (now := log.stat().st_size) != size:
            size, since = now, time.perf_counter()
        if time.perf_counter() > limit:
            raise TimeoutError("the pane never went quiet")


def account_number() -> str:
    import sqlite3

    with sqlite3.connect(f"file:{book.BOOK}?mode=ro", uri=True) as db:
        return db.execute("SELECT account_number FROM customer ORDER BY id LIMIT 1 OFFSET 1234").fetchone()[0]


def run(runs: int = 5, rounds: int = 3, idle: float = 60.0) -> str:
    pane = Pane()
    try:
        return _run(pane, runs, rounds, idle)
    finally:
        pane.close()


def _run(pane: Pane, runs: int, rounds: int, idle: float) -> str:
    lines = [f"In tmux at {SIZE[0]}x{SIZE[1]}: key sent to the screen showing it; ms as median / p95"]
    start = launches(pane, runs)
    bare_paint, ccm_paint = median_p95(start["bare"]["paint"])[0], median_p95(start["ccm"]["paint"])[0]
    bare_rows, ccm_rows = median_p95(start["bare"]["rows"])[0], median_p95(start["ccm"]["rows"])[0]
    lines.append(f"  launch to first paint      bare {ms(start['bare']['paint'])}   ccm {ms(start['ccm']['paint'])}")
    lines.append(f"  launch to first rows       bare {ms(start['bare']['rows'])}   ccm {ms(start['ccm']['rows'])}")
    aims.record("launch to first paint, tmux 120x40", ccm_paint, floor_s=bare_paint, ratio=1.3, baseline_label="bare")
    aims.record("launch to the first customer row", ccm_rows, floor_s=bare_rows, ratio=2.0, baseline_label="bare")

    account = account_number()
    floor_keys, floor_esc = keystrokes(pane, floor_argv("filter", str(book.BOOK)), account, rounds)
    ccm_keys, ccm_esc = keystrokes(pane, ccm_argv(), account, rounds)
    lines.append(f"  filter keystroke           floor {ms(floor_keys)}   ccm {ms(ccm_keys)}   ({len(ccm_keys)} keys)")
    lines.append(f"  Esc to the whole list      floor {ms(floor_esc)}   ccm {ms(ccm_esc)}")
    aims.record(
        "filter keystroke to filtered rows painted, tmux, p95",
        median_p95(ccm_keys)[1],
        floor_s=median_p95(floor_keys)[1],
        slack_s=0.030,
    )
    aims.record("Esc to the full list again, median", median_p95(ccm_esc)[0], floor_s=median_p95(floor_esc)[0], slack_s=0.030)

    floor = screens(pane, floor_argv("screens"), ccm=False, rounds=rounds)
    ccm = screens(pane, ccm_argv(), ccm=True, rounds=rounds)
    memory = peak_mib(pane)
    for key, label, slack in (
        ("key 2", "key 2 to the month painted, tmux", 0.050),
        ("key 3", "key 3 to the checklist rows, tmux, median", 0.050),
        ("key 4", "key 4 to the reviews due, tmux, median", 0.050),
    ):
        lines.append(f"  {label:<44} floor {ms(floor[key])}   ccm {ms(ccm[key])}")
        aims.record(label, median_p95(ccm[key])[0], floor_s=median_p95(floor[key])[0], slack_s=slack)
    lines.append(f"  month switch n/p                             floor {ms(floor['n/p'])}   ccm {ms(ccm['n/p'])}")
    aims.record(
        "month switch `n`/`p`, tmux, median", median_p95(ccm["n/p"])[0], floor_s=median_p95(floor["n/p"])[0], slack_s=0.030
    )
    aims.record("month switch `n`/`p`, tmux, p95", median_p95(ccm["n/p"])[1], floor_s=median_p95(floor["n/p"])[1], slack_s=0.030)
    lines.append(f"  peak memory, all four screens visited: {memory:.0f} MiB")
    aims.record_text("peak RSS, all four screens visited", f"{memory:.0f} MiB", "-", "<= 150 MiB", memory <= 150)

    repaint, quiet = link_bytes(pane, idle)
    lines.append(f"  bytes: full repaint (screen 2 to 1) {repaint:,}; idle {idle:.0f} s {quiet:,}")
    aims.record_text(
        "full repaint at 120x40 (screen 2 to 1), bytes", f"{repaint / 1000:.1f} KB", "-", "<= 20 KB", repaint <= 20_000
    )
    aims.record_text(f"idle {idle:.0f} s, bytes", f"{quiet:,} B", "-", "0 B", quiet == 0)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches of each app (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of keys (default 3)")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of the idle stretch (default 60)")
    args = parser.parse_args()
    print(book.describe(book.ensure_book()))
    print(run(args.runs, args.rounds, args.idle))
    print()
    print(aims.table())


if __name__ == "__main__":
    main()
