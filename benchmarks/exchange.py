"""Import and export at scale: 50,000 customers from a generated CSV, and the book back out.

Each figure comes from a fresh interpreter (this file run with --child), so
its peak resident memory (VmHWM, from /proc) is the operation's own: the
"before" figure is the process with ccm imported and the book open, the
"peak" figure the most it held during the operation. The aim: the import
within a minute, its memory rise a small multiple of the file size at most
(the file is streamed, not held whole, let alone twice).

Then `ccm export json` and `ccm export csv` as a user runs them (fresh `ccm`
processes on the benchmark book, wall seconds, median of --runs), recorded
against issue 13's aims (8 s and 5 s), and the JSON export's peak resident
memory beside the same export of a book a tenth the size: it streams, so
ten times the rows should cost little more memory.

    .venv/bin/python benchmarks/exchange.py [--customers 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aims
import book
import peak

HERE = Path(__file__).resolve()
WORK = book.CACHE / "exchange"
PEAK = WORK / "peak-kib.txt"  # a ccm child writes its own peak here (peak.py)
AIM_SECONDS = 60.0
AIM_JSON, AIM_CSV = 8.0, 5.0  # issue 13: `ccm export json` 24 s and `ccm export csv` 17.8 s on the 50k book
ISSUE_JSON_MIB = 121
SMALL_CUSTOMERS = 5_000  # the JSON memory's comparison book: a tenth of the benchmark book
MEMORY_RATIO = 1.25  # ten times the rows within this much of the small book's peak: flat enough
_REGIONS = ("NA", "LATAM", "EMEA", "APAC")
_CCMS = ("Alex Morgan", "Priya Raman", "Jonas Weber", "Lucía Fernández")


def vmhwm_kib() -> int:
    """Peak resident set size of this process so far, in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def generate(path: Path, customers: int) -> None:
    """A customers file as a CRM might write it: semicolons, a BOM, some quoted notes with line breaks."""
    rng = random.Random(6)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["Account Number", "Name", "Region", "CCM", "Hours per month", "Notes"])
        for i in range(customers):
            note = ""
            if rng.random() < 0.2:
                note = f"Change freeze in December; call before 10:00\nsite visits need {rng.randint(1, 5)} days' notice"
            out.writerow(
                [
                    f"BX-{i:06d}",
                    f"Customer {i:06d} {rng.choice(('Logistics', 'Health', 'Foods', 'Capital'))} Ltd",
                    rng.choice(_REGIONS),
                    rng.choice(_CCMS),
                    rng.choice(("4", "8", "12", "16", "24.5")),
                    note,
                ]
            )


def _schema_tag() -> str:
    """A short hash of every table and column: a cached book made before a schema change is not reused."""
    from ccm_tui.store.tables import metadata

    names = sorted(f"{table.name}.{column.name}" for table in metadata.tables.values() for column in table.columns)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:10]


def seeded_book() -> Path:
    """A 50,000-customer, 200,000-activation book of this benchmark's own, made once per schema."""
    path = WORK / f"seeded-50k-{_schema_tag()}.sqlite"
    if path.exists():
        return path
    for old in WORK.glob("seeded-50k-*.sqlite*"):
        old.unlink()
    print("Seeding a 50k/200k book for the JSON export (about half a minute)...", file=sys.stderr)
    done = subprocess.run(
        [sys.executable, "-m", "ccm_tui", "seed", str(path.with_suffix(".partial")), "--force"],
        env=book.ccm_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ccm seed failed ({done.returncode}):\n{done.stderr[-2000:]}")
    for suffix in ("-wal", "-shm"):
        Path(f"{path.with_suffix('.partial')}{suffix}").unlink(missing_ok=True)
    path.with_suffix(".partial").rename(path)
    return path


def child(operation: str, target: str, db: str) -> dict[str, float]:
    """Run one operation in this (fresh) process; its figures as a dict."""
    book.use_ccm_env()
    from ccm_tui.domain.imports import ImportKind, ImportMode
    from ccm_tui.services import BookLocation, open_book

    settings, clock = book.settings_and_clock()
    services, _ = open_book(BookLocation.file(Path(db)), settings, clock)
    services.exchange  # noqa: B018 - import the feature's modules before the baseline
    before = vmhwm_kib()
    started = time.perf_counter()
    figures: dict[str, float] = {}
    if operation == "import":
        report = services.exchange.import_file(ImportKind.CUSTOMERS, Path(target), ImportMode.ALL_OR_NOTHING)
        assert report.ok, report.files[0].problems[:5]
        file = report.files[0]
        figures |= {"created": file.created, "updated": file.updated, "unchanged": file.unchanged}
    elif operation == "export-csv":
        figures |= services.exchange.export_csv(Path(target)).counts
    elif operation == "export-json":
        figures |= services.exchange.export_json(Path(target)).counts
    figures |= {"seconds": time.perf_counter() - started, "before_kib": before, "peak_kib": vmhwm_kib()}
    return figures


def run_child(operation: str, target: Path, db: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(HERE), "--child", operation, str(target), str(db)],
        env=book.ccm_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"exchange.py --child {operation} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mib(kib: float) -> float:
    return kib / 1024


def ccm_run(args: list[str], db: Path) -> tuple[float, int]:
    """Wall seconds and peak resident KiB (the child's own: see peak.py) of one `ccm` process on the book at `db`."""
    env = book.ccm_env() | {"CCM_DB": str(db)}
    errors = WORK / "stderr.txt"  # a file, not a pipe: a chatty child never blocks on a full pipe
    with errors.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(peak.ccm_argv(PEAK, *args), env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, _usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"ccm {' '.join(args)} failed:\n{errors.read_text(errors='replace')[-2000:]}")
    return seconds, peak.read_kib(PEAK)


def small_book() -> Path:
    """A book a tenth the benchmark book's size (`ccm seed`), made once per schema."""
    path = WORK / f"seeded-5k-{_schema_tag()}.sqlite"
    if not path.exists():
        for old in WORK.glob("seeded-5k-*.sqlite*"):
            old.unlink()
        activations = SMALL_CUSTOMERS * book.ACTIVATIONS // book.CUSTOMERS
        args = ["seed", str(path), "--customers", str(SMALL_CUSTOMERS), "--activations", str(activations), "--force"]
        ccm_run(args, path)
    return path


def cli_exports(runs: int) -> list[str]:
    """`ccm export json` and `ccm export csv` on the benchmark book, as a user runs them; their aims recorded."""
    book.ensure_book()
    out_json, out_csv = WORK / "cli.json", WORK / "cli-csv"
    json_runs = [ccm_run(["export", "json", "-o", str(out_json)], book.BOOK) for _ in range(runs)]
    csv_runs = [ccm_run(["export", "csv", str(out_csv)], book.BOOK) for _ in range(runs)]
    _, small_peak = ccm_run(["export", "json", "-o", str(out_json)], small_book())
    out_json.unlink()
    shutil.rmtree(out_csv)
    json_s = statistics.median(seconds for seconds, _ in json_runs)
    csv_s = statistics.median(seconds for seconds, _ in csv_runs)
    big_peak = _mib(max(peak for _, peak in json_runs))
    small_mib = _mib(small_peak)
    aims.record("`ccm export json`, whole book", json_s, aim_s=AIM_JSON, note="(issue: 24 s)")
    aims.record("`ccm export csv`, whole book", csv_s, aim_s=AIM_CSV, note="(issue: 17.8 s)")
    flat = big_peak <= small_mib * MEMORY_RATIO
    aims.record_text(
        "`ccm export json` peak memory, 50k book",
        f"{big_peak:.0f} MiB",
        f"{small_mib:.0f} MiB for a 5k book (issue: {ISSUE_JSON_MIB} MiB)",
        f"flat: <= {MEMORY_RATIO:g}x the 5k book's",
        flat,
    )
    return [
        f"  ccm export json, 50k book, median of {runs}: {json_s:.1f} s (aim {AIM_JSON:.0f} s); "
        f"peak {big_peak:.0f} MiB, {small_mib:.0f} MiB for a {SMALL_CUSTOMERS:,}-customer book (each with its second half's process)",
        f"  ccm export csv, 50k book, median of {runs}: {csv_s:.1f} s (aim {AIM_CSV:.0f} s)",
    ]


def run(customers: int = 50_000, runs: int = 3) -> str:
    WORK.mkdir(parents=True, exist_ok=True)
    source = WORK / f"customers-{customers}.csv"
    if not source.exists():
        generate(source, customers)
    db = WORK / "imported.sqlite"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    size = source.stat().st_size / 2**20

    lines = [f"Import and export, fresh process each; CSV of {customers:,} customers, {size:.1f} MiB"]
    header = f"  {'':<44}{'seconds':>9}{'RSS before MiB':>16}{'peak MiB':>10}{'rise MiB':>10}"
    lines.append(header)

    def line(label: str, figures: dict[str, float]) -> str:
        rise = _mib(figures["peak_kib"] - figures["before_kib"])
        return (
            f"  {label:<44}{figures['seconds']:>9.1f}{_mib(figures['before_kib']):>16.0f}"
            f"{_mib(figures['peak_kib']):>10.0f}{rise:>10.0f}"
        )

    first = run_child("import", source, db)
    lines.append(line(f"import into an empty book ({first['created']:,.0f} created)", first))
    again = run_child("import", source, db)
    lines.append(line(f"import again ({again['unchanged']:,.0f} unchanged)", again))
    exported = run_child("export-csv", WORK / "export", db)
    lines.append(line(f"export csv ({exported['customers']:,.0f} customers)", exported))
    big = run_child("export-json", WORK / "book.json", seeded_book())
    json_mib = (WORK / "book.json").stat().st_size / 2**20
    (WORK / "book.json").unlink()  # 200 MiB of cache for a figure
    lines.append(line(f"export json, 50k/200k book ({json_mib:.0f} MiB)", big))
    verdict = "met" if first["seconds"] <= AIM_SECONDS else "NOT met"
    lines.append(f"  import of {customers:,} customers within {AIM_SECONDS:.0f} s: {verdict}")
    lines += cli_exports(runs)
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(*sys.argv[2:5])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50_000, help="rows in the generated file (default 50000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each `ccm export` (default 3)")
    args = parser.parse_args()
    print(run(args.customers, args.runs))
    print(aims.table())


if __name__ == "__main__":
    main()
