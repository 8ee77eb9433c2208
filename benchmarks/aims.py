"""The speed issue's table: each benchmark records its figure beside its baseline and aim.

A benchmark module calls `record(...)` once per row it measures; `run_all`
prints every recorded row at the end as one table, with "met" or "NOT met",
so the report reads like the issue that asked for it.

    aims.record("on-call query, next 72 h", now_s=0.031, aim_s=0.050)
    aims.record("key 2 to the month painted, tmux", now_s=0.140, floor_s=0.110, slack_s=0.050)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    what: str
    now: str
    baseline: str
    aim: str
    met: bool


ROWS: list[Row] = []


def seconds(value: float) -> str:
    """Under 10 s in milliseconds (as the issue writes them), above in seconds."""
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:.1f} s"


def record(
    what: str,
    now_s: float,
    *,
    aim_s: float | None = None,
    floor_s: float | None = None,
    slack_s: float | None = None,
    ratio: float | None = None,
    baseline_label: str = "floor",
    note: str = "",
) -> Row:
    """One row. The aim is absolute (`aim_s`), the floor plus slack, or a ratio of the floor (the bare app).

    `now_s` is the figure measured now; `floor_s` the baseline measured in the same run.
    """
    if floor_s is not None and slack_s is not None:
        limit = floor_s + slack_s
        aim = f"<= floor + {seconds(slack_s)} ({seconds(limit)})"
    elif floor_s is not None and ratio is not None:
        limit = floor_s * ratio
        aim = f"<= {ratio:g}x {baseline_label} ({seconds(limit)})"
    elif aim_s is not None:
        limit = aim_s
        aim = f"<= {seconds(aim_s)}"
    else:
        raise ValueError("a row needs an aim: aim_s, floor_s with slack_s, or floor_s with ratio")
    baseline = "-" if floor_s is None else f"{baseline_label} {seconds(floor_s)}"
    if floor_s and ratio is not None:
        baseline += f" ({now_s / floor_s:.2f}x)"
    now = seconds(now_s) + (f" {note}" if note else "")
    row = Row(what, now, baseline, aim, now_s <= limit)
    ROWS.append(row)
    return row


def record_text(what: str, now: str, baseline: str, aim: str, met: bool) -> Row:
    """A row whose figures are not durations (bytes, MiB)."""
    row = Row(what, now, baseline, aim, met)
    ROWS.append(row)
    return row


def table() -> str:
    """Every recorded row, as a Markdown table (paste-able into a note)."""
    if not ROWS:
        return "No aims recorded."
    lines = [
        "| what | now | baseline in the same run | aim | |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| {r.what} | {r.now} | {r.baseline} | {r.aim} | {'met' if r.met else 'NOT met'} |" for r in ROWS]
    met = sum(r.met for r in ROWS)
    lines.append(f"\n{met} of {len(ROWS)} aims met.")
    return "\n".join(lines)
