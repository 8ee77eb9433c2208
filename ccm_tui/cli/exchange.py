"""`ccm import KIND FILE` and `ccm export csv DIR` / `ccm export json [-o FILE]`.

An import prints its validation report (every bad row: file, line, column,
value, what is wrong; then created, updated, unchanged and rejected, or
"would create" and "would update" when nothing was written; and
the doubts about rows it still imported, marked "warning") and exits 0 when
the file was clean, 1 when it had problems. A file that cannot be read at
all (missing, not UTF-8) is a one-line error, exit 2.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from ccm_tui.cli.common import CliError, Context, Parsers, is_stdout, open_services
from ccm_tui.cli.progress import ProgressLine
from ccm_tui.domain.fields import printable
from ccm_tui.domain.import_report import FileReport, ImportReport, Problem
from ccm_tui.domain.imports import COLUMNS, ImportKind, ImportMode

EXIT_PROBLEMS = 1
WIDTH = 79  # help texts fit an 80-column terminal


def register(parsers: Parsers) -> None:
    for kind in ImportKind:
        command = parsers.imports.add_parser(
            kind.value,
            help=f"bring {kind.value} in from a CSV file (matched by {kind.key})",
            description=f"Bring {kind.value} in from a CSV file; a row whose {kind.key} is in the book updates it.",
            epilog=columns_text(kind) + "\n\n" + EXIT_TEXT,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_argument("file", type=Path, metavar="FILE", help="a CSV file (UTF-8; comma or semicolon separated)")
        _mode_options(command)
        command.set_defaults(handler=cmd_import, import_kind=kind)
    folder = parsers.imports.add_parser(
        "all",
        help="every file `ccm export csv` writes, from one folder, in one transaction",
        description="Import customers.csv, contacts.csv, sites.csv, orders.csv and activations.csv "
        "(those of them that DIR holds) in that order, in one transaction.",
        epilog=EXIT_TEXT,
    )
    folder.add_argument("folder", type=Path, metavar="DIR", help="a folder holding the CSV files")
    _mode_options(folder)
    folder.set_defaults(handler=cmd_import, import_kind=None)
    _document_import_group(parsers)

    to_csv = parsers.exports.add_parser(
        "csv",
        help="write the book as CSV files into DIR (the files `ccm import` reads)",
        description="Write customers.csv, contacts.csv, sites.csv, orders.csv and activations.csv into DIR "
        "(made if missing), with the columns `ccm import` reads. Cells starting with = + - @ get a leading "
        "single quote so a spreadsheet shows them as text; `ccm import` takes it off again.",
    )
    to_csv.add_argument("folder", type=Path, metavar="DIR", help="the folder to write into")
    to_csv.set_defaults(handler=cmd_export_csv)
    to_json = parsers.exports.add_parser(
        "json",
        help="write the whole book as one JSON document, with computed facts",
        description="The whole book as one JSON document for scripts and jq: every customer with its contacts, "
        "sites, orders and activations, and the facts the app computes (after-hours flags, late-change "
        "cut-off, readiness, accrued charges, hours used this month).",
    )
    to_json.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default, or -: standard output)")
    to_json.set_defaults(handler=cmd_export_json)


EXIT_TEXT = textwrap.fill(
    "exit status: 0 every row was good; 1 the report lists problems (nothing was written, "
    "unless --skip-invalid); 2 the file could not be read.",
    width=WIDTH,
)


def _mode_options(command: argparse.ArgumentParser) -> None:
    modes = command.add_mutually_exclusive_group()
    modes.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
    modes.add_argument(
        "--skip-invalid", action="store_true", help="write the good rows and report the rest (default: all or nothing)"
    )


def columns_text(kind: ImportKind) -> str:
    """The columns of one kind of file, for help texts: required ones marked with *."""
    lines = [f"{kind.file_name} columns (* required; header names in any case and order):"]
    for column in COLUMNS[kind]:
        mark = "*" if column.required else " "
        lines.append(
            textwrap.fill(column.help, width=WIDTH, initial_indent=f"  {mark} {column.name:<20} ", subsequent_indent=" " * 25)
        )
    return "\n".join(lines)


def _document_import_group(parsers: Parsers) -> None:
    """`ccm import --help` lists every file's columns."""
    group = parsers.commands.choices.get("import")
    if group is None:  # pragma: no cover - __main__ always makes the group
        return
    intro = textwrap.fill(
        "Files are UTF-8 (with or without a byte-order mark), comma or semicolon separated, dates "
        "YYYY-MM-DD and times YYYY-MM-DDTHH:MM in the site's local time. Rows are matched to the book "
        "by account number, site name and order number: importing a file again updates the same "
        "records; an optional column the file lacks keeps the book's value. A leading single quote "
        "before = + - @ (as `ccm export csv` writes) is taken off.",
        width=WIDTH,
    )
    kinds = "\n\n".join(columns_text(kind) for kind in ImportKind)
    group.epilog = f"{intro}\n\n{kinds}\n\n{EXIT_TEXT}"
    group.formatter_class = argparse.RawDescriptionHelpFormatter


# -- handlers ---------------------------------------------------------------------


def _mode(args: argparse.Namespace) -> ImportMode:
    if args.dry_run:
        return ImportMode.DRY_RUN
    if args.skip_invalid:
        return ImportMode.SKIP_INVALID
    return ImportMode.ALL_OR_NOTHING


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.errors import StoreError

    kind: ImportKind | None = args.import_kind
    target: Path = args.file if kind is not None else args.folder
    # before opening (and perhaps creating) the book
    if not target.expanduser().exists():
        raise CliError(f"{target} does not exist")
    if kind is not None and not target.expanduser().is_file():
        raise CliError(f"{target} is not a file")
    if kind is None and not target.expanduser().is_dir():
        raise CliError(f"{target} is not a folder")
    services = open_services(ctx)
    try:
        with ProgressLine() as progress:
            if kind is None:
                report = services.exchange.import_folder(target, _mode(args), progress)
            else:
                report = services.exchange.import_file(kind, target, _mode(args), progress)
    except StoreError as error:
        raise CliError(str(error)) from None
    sys.stdout.write(report_text(report))
    return 0 if report.ok else EXIT_PROBLEMS


def report_text(report: ImportReport) -> str:
    lines: list[str] = []
    for file in report.files:
        lines.extend(_file_lines(file, written=report.written))
    lines.append(report.outcome())
    if not report.written and report.mode is ImportMode.ALL_OR_NOTHING:
        lines.append("Fix the rows above and import again, or pass --skip-invalid to import the good rows only.")
    return "\n".join(lines) + "\n"


def _file_lines(file: FileReport, *, written: bool) -> list[str]:
    verb = "" if file.rows == 1 else "s"
    lines = [f"{file.name}: {file.rows:,} row{verb}: {file.counts(written=written)}"]
    if file.ignored_columns:
        lines.append(f"  ignored columns (not {file.kind.value} columns): {', '.join(file.ignored_columns)}")
    lines.extend(f"  {problem_text(problem)}" for problem in file.problems)
    lines.extend(f"  {problem_text(warning, 'warning: ')}" for warning in file.warnings)
    return lines


def problem_text(problem: Problem, label: str = "") -> str:
    where = f"line {problem.line}"
    if problem.column:
        where += f", {problem.column}"
    if problem.value:
        shown = problem.value if len(problem.value) <= 60 else problem.value[:57] + "..."
        where += f" {_quoted(shown)}"
    return f"{where}: {label}{printable(problem.message)}"


def _quoted(value: str) -> str:
    # a cell's ESC or NUL is shown escaped, never sent to the terminal as itself
    return '"' + printable(value.replace('"', '\\"')) + '"'


def cmd_export_csv(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.errors import StoreError

    services = open_services(ctx)
    try:
        with ProgressLine() as progress:
            summary = services.exchange.export_csv(args.folder, progress)
    except StoreError as error:
        raise CliError(str(error)) from None
    print(summary.text())
    return 0


def cmd_export_json(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.errors import StoreError

    services = open_services(ctx)
    try:
        with ProgressLine() as progress:
            if is_stdout(args.output):
                summary = services.exchange.write_json(sys.stdout, progress=progress)
            else:
                summary = services.exchange.export_json(args.output, progress)
    except StoreError as error:
        raise CliError(str(error)) from None
    # on standard output the document stands alone: the summary goes to stderr
    print(summary.text(), file=sys.stderr if is_stdout(args.output) else sys.stdout)
    if not summary.readiness_included:
        print("ccm: readiness left out: the checklists are not part of this build", file=sys.stderr)
    return 0
