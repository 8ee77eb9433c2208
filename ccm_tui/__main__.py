"""`ccm`: the command line. Builds settings, clock and book, then runs the
app or a subcommand. An error is one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from ccm_tui import locations
from ccm_tui.book_location import BookLocation, BookLocationError
from ccm_tui.cli.common import CliError, Context, Parsers
from ccm_tui.cli.progress import ProgressLine
from ccm_tui.clock import clock_from_env
from ccm_tui.config import ConfigError, load_settings
from ccm_tui.config_file import config_path
from ccm_tui.errors import BookBusy, ReadOnlyBook

EXIT_USAGE = 2
EXIT_FAILED = 1


# Feature modules that add subcommands (see ccm_tui/cli/__init__.py).
FEATURES: tuple[str, ...] = (
    "ccm_tui.cli.agenda",
    "ccm_tui.cli.exchange",
    "ccm_tui.cli.calendar",
    "ccm_tui.cli.events",
    "ccm_tui.cli.checklist",
    "ccm_tui.cli.team",
    "ccm_tui.cli.completion",
    "ccm_tui.cli.keys",
)


def installed_version() -> str:
    """The version pip installed (pyproject.toml's), so `ccm --version` never disagrees with `pip show`."""
    import importlib.metadata  # asked only by --version: reading the installed metadata costs every start 40 ms

    try:
        return importlib.metadata.version("ccm-tui")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


class _Version(argparse.Action):
    """argparse's "version" action, with the version looked up only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"ccm {installed_version()}")  # to stdout, as argparse's own action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ccm",
        description="The customer care manager's terminal workbench. Without a command, opens your book.",
        epilog=(
            "environment: CCM_DB (the book's file or URL, like --db), CCM_NOW (pin the clock: an ISO date, "
            "meaning 09:00 local, or date-time), CCM_CONFIG (the config file). Keys inside the app: "
            "1 book, 2 calendar, 3 checklist, 4 agenda, / filter, ? help, ctrl+p palette, q quit."
        ),
    )
    _add_globals(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    return _add_commands(parser, commands)


def _app_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """`ccm` with global options only (the app): read without importing every subcommand's module (10-15 ms).

    None when anything else is there (a command, --help, a mistake): the whole parser reads it then, and says so.
    """
    quick = argparse.ArgumentParser(prog="ccm", add_help=False, exit_on_error=False)
    _add_globals(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except argparse.ArgumentError:  # an option without its value: the whole parser's message, not this one's
        return None
    if rest:
        return None
    args.command = None
    return args


def _add_globals(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help=(
            "the book: a SQLite file in a folder that exists, or a postgresql://[user@][host][:port]/dbname URL "
            "(libpq's PGHOST, PGUSER, ~/.pgpass and ?service= fill in what it leaves out; "
            "default: config.toml's `database`, else your data folder; see `ccm dirs`)"
        ),
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show ccm's version and exit")
    parser.add_argument("--demo", action="store_true", help="open the demo book (a separate file, never your own book)")
    parser.add_argument("--read-only", action="store_true", help="open the book read-only: the database refuses every write")
    parser.add_argument(
        "--no-mouse",
        action="store_true",
        help="leave the mouse to the terminal: over SSH every mouse move is otherwise sent down the link",
    )


def _add_commands(
    parser: argparse.ArgumentParser, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> argparse.ArgumentParser:
    commands.add_parser("dirs", help="print where ccm keeps the book, config and backups")

    seed = commands.add_parser("seed", help="write a large generated book (for benchmarks) to PATH, or the --db book")
    seed.add_argument(
        "path",
        nargs="?",
        metavar="PATH|URL",
        help="a new SQLite file in a folder that exists, or an empty PostgreSQL database's URL (default: --db or CCM_DB)",
    )
    seed.add_argument("--customers", type=int, default=50_000, metavar="N", help="customers to generate (default 50000)")
    seed.add_argument("--activations", type=int, default=200_000, metavar="M", help="activations to generate (default 200000)")
    seed.add_argument("--force", action="store_true", help="replace PATH if it exists")

    export = commands.add_parser("export", help="write the book (or part of it) out; see `ccm export --help`")
    exports = export.add_subparsers(dest="format", metavar="FORMAT", required=True)
    import_ = commands.add_parser("import", help="bring records in from files; see `ccm import --help`")
    imports = import_.add_subparsers(dest="kind", metavar="KIND", required=True)
    parsers = Parsers(commands, exports, imports)
    for name in FEATURES:
        importlib.import_module(name).register(parsers)
    return parser


def make_context(args: argparse.Namespace, env: dict[str, str]) -> Context:
    settings = load_settings(config_path(env), env)
    clock = clock_from_env(env.get("CCM_NOW"), settings.time_zone)
    named = args.db or env.get("CCM_DB") or settings.database
    return Context(
        settings, clock, book_location(named) if named else None, demo=args.demo, read_only=args.read_only, mouse=not args.no_mouse
    )


def book_location(text: str) -> BookLocation:
    """--db, CCM_DB or config.toml's `database`: a file path, or a postgresql:// URL (never a file named after a URL)."""
    try:
        return BookLocation.parse(text)
    except BookLocationError as error:
        raise CliError(str(error)) from None


def run_app(ctx: Context, config: Path) -> int:
    from ccm_tui.app import CcmApp
    from ccm_tui.config import keys_error
    from ccm_tui.screens.keymap import KeymapError, check_keymap

    try:  # your keys are checked before anything is drawn: a mistake is one line, as any in config.toml
        keys = check_keymap(ctx.settings.keys, CcmApp)
    except KeymapError as error:
        raise keys_error(config, error.binding_id, str(error)) from None
    app = CcmApp(replace(ctx.settings, keys=keys), ctx.clock, ctx.book())
    app.run(mouse=ctx.mouse)
    return app.return_code or 0


def cmd_dirs(ctx: Context) -> int:
    rows = [
        ("book", ctx.book_label),
        ("demo book", locations.demo_database()),
        ("config file", locations.config_file()),
        ("checklist templates", locations.user_checklists_dir()),
        ("backups", locations.backups_dir()),
        ("data folder", locations.data_dir()),
    ]
    for label, path in rows:
        print(f"{label:<20} {path}")
    return 0


def cmd_seed(ctx: Context, args: argparse.Namespace) -> int:
    if args.customers < 1 or args.activations < 0:
        raise CliError("--customers must be at least 1 and --activations at least 0")
    named = book_location(args.path)
    if named.path is not None:
        _remove_old_file(named.path, force=args.force)
    from ccm_tui.services import open_book
    from ccm_tui.store.reset import clear_book
    from ccm_tui.store.seed import customer_count, seed_book

    started = time.perf_counter()
    services, _ = open_book(named, ctx.settings, ctx.clock)
    if named.path is None and customer_count(services.engine):
        if not args.force:
            raise CliError(f"{named.label} already holds a book; pass --force to replace it")
        clear_book(services.engine)
    with ProgressLine() as progress:
        summary = seed_book(
            services.engine, args.customers, args.activations, services.today(), progress=progress, hours=services.business_hours
        )
    counts = ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in asdict(summary).items())
    print(f"seeded {named.label} in {time.perf_counter() - started:.1f} s: {counts}")
    return 0


def _remove_old_file(path: Path, *, force: bool) -> None:
    if path.is_dir():
        raise CliError(f"{path} is a folder; give the new book's file name")
    if path.exists():
        if not force:
            raise CliError(f"{path} already exists; pass --force to replace it")
        path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def one_line(error: BaseException) -> str:
    """An error's first line: SQLAlchemy and others append [SQL: ...] and more on further lines."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else ""


def main(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> int:
    env = dict(os.environ) if env is None else env
    args = _app_arguments(argv)
    if args is None:
        parser = build_parser()
        args = parser.parse_args(argv)
    if args.command == "seed" and not args.path:
        # Only a book named on the command line or by CCM_DB: never config.toml's or the default book by accident.
        args.path = args.db or env.get("CCM_DB") or parser.error("seed: give PATH, or the book with --db")
    if args.command == "completion":  # needs no config, clock or book: works even where those are broken
        from ccm_tui.cli.completion import completion_script

        sys.stdout.write(completion_script(parser, args.shell))
        return 0
    try:
        ctx = make_context(args, env)
        if args.command == "dirs":
            return cmd_dirs(ctx)
        if args.command == "seed":
            return cmd_seed(ctx, args)
        if handler := getattr(args, "handler", None):
            return int(handler(ctx, args))
        return run_app(ctx, config_path(env))
    except KeyboardInterrupt:
        print("ccm: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `ccm export ics -o - | head`: the reader has what it wanted. Quiet, as a
        # SIGPIPE'd tool is; stdout goes to /dev/null so the exit's flush cannot raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except (CliError, ConfigError, ValueError) as error:
        print(f"ccm: {one_line(error)}", file=sys.stderr)
        return EXIT_USAGE
    # refused (read-only: the database said no), or another ccm's write (an import?) outlasted the busy timeout:
    # nothing to debug
    except (BookBusy, ReadOnlyBook) as error:
        print(f"ccm: {error}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # the promise is: never a traceback
        from ccm_tui.errors import StoreError

        if env.get("CCM_DEBUG"):
            raise
        kind = "" if isinstance(error, StoreError) else f"{type(error).__name__}: "
        print(f"ccm: {kind}{one_line(error)} (set CCM_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
