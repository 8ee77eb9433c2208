"""Cold start: time to first paint and to data shown, ccm beside bare Textual.

Each run starts a fresh interpreter (`paint_child.py`), so imports count:
the child starts its clock on its first line and stamps frames as they are
rendered (see its docstring). ccm opens the 50,000-customer book through its
CLI, headless at 120x40; the bare app is Header + DataTable + Footer. The two
alternate run by run, so drift in the machine hits both alike.

    .venv/bin/python benchmarks/paint.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import book
from stats import median_p95, ms

CHILD = Path(__file__).resolve().parent / "paint_child.py"
AIM = 1.3  # ccm's first paint within 1.3x a bare Textual app's


def cold_start(mode: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(CHILD), mode], env=book.ccm_env(), capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"paint_child.py {mode} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(runs: int = 7) -> str:
    results: dict[str, list[dict[str, float]]] = {"bare": [], "ccm": []}
    cold_start("ccm")  # not counted: warms the OS file cache for the book and the venv
    for _ in range(runs):
        for mode in results:
            results[mode].append(cold_start(mode))

    def column(mode: str, key: str) -> list[float]:
        return [r[key] for r in results[mode]]

    lines = [
        f"Cold start, fresh process per run, headless 120x40, {runs} runs; ms as median / p95",
        f"  {'':<22}{'app built':>19}{'first paint':>19}{'data shown':>19}{'peak RSS MiB':>15}",
    ]
    for mode, label in (("bare", "bare Textual"), ("ccm", "ccm, 50k book")):
        rss = median_p95([kib / 1024 for kib in column(mode, "maxrss_kib")])[0]
        lines.append(
            f"  {label:<22}{ms(column(mode, 'app_run')):>19}{ms(column(mode, 'first_paint')):>19}"
            f"{ms(column(mode, 'data_shown')):>19}{rss:>15.0f}"
        )
    ratio = median_p95(column("ccm", "first_paint"))[0] / median_p95(column("bare", "first_paint"))[0]
    verdict = "met" if ratio <= AIM else "NOT met"
    lines.append(f"  first paint, ccm / bare (medians): {ratio:.2f}x; aim within {AIM}x: {verdict}")
    lines.append("  (app built: imports done and App.run entered; bare's data is in memory, so it shows with its first frame)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold starts of each app (default 7)")
    args = parser.parse_args()
    print(book.describe(book.ensure_book()))
    print(run(args.runs))


if __name__ == "__main__":
    main()
