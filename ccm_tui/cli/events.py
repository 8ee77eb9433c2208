"""`ccm events`: the activation calendar as a plain listing, like `khal list`.

`ccm events [--from DAY] [--to DAY] [--status S] [--json]` prints one line
per event starting in the range (the CCM's days; from today for 30 days by
default), soonest first, for a quick look over SSH and for grep; `--json`
prints one JSON object per line instead (JSON Lines: `jq` reads them as a
stream, `jq -s` as one array). See ccm_tui/text/event_listing.py for what a
line holds. The events are read and written a batch at a time, so a long
range streams with flat memory.
"""

from __future__ import annotations

import argparse
import gc
import sys
from datetime import date, timedelta
from typing import TYPE_CHECKING, TextIO

from ccm_tui.cli.common import CliError, Context, Parsers, open_services
from ccm_tui.cli.progress import ProgressLine

if TYPE_CHECKING:
    from ccm_tui.domain.schedule import StatusFilter

DEFAULT_DAYS = 30
MAX_DAYS = 366 * 2
_STATUSES = ("active", "open", "all", "requested", "confirmed", "validated", "completed", "not_ready", "no_show", "cancelled")


def register(parsers: Parsers) -> None:
    events = parsers.commands.add_parser(
        "events",
        help="print the calendar's events, one line each (like `khal list`), or as JSON lines",
        description=(
            "Print every installation and activation event starting in the range, soonest first, one line "
            "each: the start at the site and in your zone (when it differs), the calendar's markers, the "
            "status, service and step, customer and site. Dates and times are ISO, spaces plain ASCII, so "
            "grep and cut work; --json prints one JSON object per line instead (jq reads them as a stream)."
        ),
        epilog=(
            "markers: A after hours, weekend or public holiday at the site; L inside the late-change window; "
            "! past CCD; ? CCD at risk; N not-ready risk (a customer task is overdue). "
            "DAY is YYYY-MM-DD, or today, tomorrow, fri, next mon, +3d (counted from your today)."
        ),
    )
    events.add_argument("--from", dest="first", metavar="DAY", help="first day (default: today)")
    events.add_argument(
        "--to", dest="last", metavar="DAY", help=f"last day, included (default: {DEFAULT_DAYS} days in all from --from)"
    )
    events.add_argument(
        "--status",
        choices=_STATUSES,
        default="active",
        help="which statuses: active (the calendar's default: all but cancelled), open (still to happen), "
        "all, or one status (default: active)",
    )
    events.add_argument("--json", action="store_true", help="one JSON object per line (JSON Lines), instants in UTC")
    events.set_defaults(handler=cmd_events)


def _day(text: str, what: str, today: date) -> date:
    from ccm_tui.domain.fields import typed_day  # the form's rule: YYYY-MM-DD or words counted from today

    try:
        return typed_day(text.strip(), what, today)
    except ValueError as error:
        raise CliError(str(error)) from None


def days_asked(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """The first and last day the options name; an error the user can act on if they make no range."""
    start = _day(first, "--from", today) if first is not None else today
    end = _day(last, "--to", today) if last is not None else start + timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise CliError(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    if (end - start).days >= MAX_DAYS:
        raise CliError(f"the range is {(end - start).days + 1} days; list at most {MAX_DAYS} at a time")
    return start, end


def cmd_events(ctx: Context, args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from ccm_tui.domain.schedule import StatusFilter
    from ccm_tui.text.event_listing import EventLines
    from ccm_tui.text.plain import ascii_spaces

    today = ctx.clock.now().astimezone(ZoneInfo(ctx.settings.time_zone)).date()  # checked before the book opens
    first, last = days_asked(args.first, args.last, today)
    status: StatusFilter = StatusFilter(args.status)
    services = open_services(ctx)
    # Everything loaded so far lives until exit: frozen, the collector stops walking it again and again
    # while the batches come and go (about a seventh of a month's listing on the 50,000-customer book).
    gc.freeze()
    lines = EventLines(ctx.settings.time_zone)
    out = sys.stdout
    written = 0
    with ProgressLine() as progress:
        progress.enabled = progress.enabled and not _is_terminal(out)  # on the terminal the lines are the progress
        for batch in services.calendar.listing(first, last, status):
            if args.json:  # the data as it is: JSON escapes what needs escaping
                out.write("".join(lines.json_line(event) for event in batch))
            else:
                out.write(ascii_spaces("".join(lines.line(event) for event in batch)))
            written += len(batch)
            progress(f"events: {written:,} listed")
    out.flush()
    return 0


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, AttributeError):
        return False
