"""`ccm export ics` and `ccm oncall`: the activation calendar on the command line.

`ccm export ics [-o FILE] [--from DATE --to DATE]` writes every scheduled
step starting in the range as iCalendar, streamed to FILE (as every export
is written: see ccm_tui/files.py) or stdout (no -o, or `-o -`), then says how
many events it wrote (on stderr when the calendar is on stdout). Days are the
CCM's (settings.time_zone); the default range is 90 days from today.

`ccm oncall [--hours N]` prints the on-call view (after-hours, weekend and
holiday events overlapping the next N hours, 72 by default) as plain text
that fits 80 columns, for a quick look over SSH.
"""

from __future__ import annotations

import argparse
import gc
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ccm_tui.cli.common import CliError, Context, Parsers, is_stdout, open_services, write_output
from ccm_tui.cli.progress import ProgressLine
from ccm_tui.errors import StoreError

if TYPE_CHECKING:
    from ccm_tui.domain.schedule import CalendarEvent
    from ccm_tui.text.formatting import Formatter

DEFAULT_DAYS = 90
MAX_DAYS = 366 * 2
WIDTH = 80


def _day(text: str) -> date:
    from ccm_tui.domain.fields import (
        iso_date,  # the book's one rule for a date, its range included
    )

    try:
        return iso_date(text.strip(), "date")
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _hours(text: str) -> int:
    # ASCII digits: int() reads "٣" as 3; the range is checked with the other options
    if not text.strip().isascii() or not text.strip().isdigit() or len(text.strip()) > 9:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of hours")
    return int(text)


def register(parsers: Parsers) -> None:
    ics = parsers.exports.add_parser(
        "ics",
        help="write the activation calendar as iCalendar (.ics)",
        description=(
            "Write every scheduled installation and activation event starting in the range as an iCalendar "
            "VEVENT, in the site's time zone. Exporting again after a change updates the same events in a "
            "calendar program (stable UID, higher SEQUENCE)."
        ),
    )
    ics.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default, or -: stdout)")
    ics.add_argument("--from", dest="first", type=_day, metavar="DATE", help="first day, YYYY-MM-DD (default: today)")
    ics.add_argument(
        "--to", dest="last", type=_day, metavar="DATE", help=f"last day, included (default: {DEFAULT_DAYS} days in all)"
    )
    ics.set_defaults(handler=cmd_export_ics)

    oncall = parsers.commands.add_parser(
        "oncall",
        help="print tonight's and the weekend's after-hours events, with phone numbers",
        description=(
            "Print the events outside their site's business hours, on a weekend or a public holiday that "
            "overlap the next N hours, with the contacts' phones and the on-call and repair numbers."
        ),
    )
    oncall.add_argument("--hours", type=_hours, default=72, metavar="N", help="how far ahead to look (default 72)")
    oncall.add_argument(
        "--plain",
        action="store_true",
        help="plain ASCII spaces for grep and scripts (the output always has them; kept for scripts that ask)",
    )
    oncall.set_defaults(handler=cmd_oncall)


# -- export ics ----------------------------------------------------------------------


def cmd_export_ics(ctx: Context, args: argparse.Namespace) -> int:
    # not the calendar service: its other doors' modules cost the start
    from ccm_tui.services.ics import export_ics, write_ics

    services = open_services(ctx)
    today = services.today()
    first: date = args.first or today
    last: date = args.last or first + timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise CliError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    if (last - first).days > MAX_DAYS:
        raise CliError(f"the range is {(last - first).days} days; export at most {MAX_DAYS} at a time")
    # As `ccm events` does, what is loaded so far is frozen: the collector need not walk it again. And
    # while the events are written it does not run at all: the export leaves it next to nothing (each
    # chunk is freed once written; a 30-day export leaves a few hundred objects of the SQL library's),
    # so its walks over the contacts the export remembers were pure cost, about a tenth of 30 days.
    gc.freeze()
    gc.disable()
    written = 0
    try:
        with ProgressLine() as progress:

            def tally(events: int) -> None:
                nonlocal written
                written += events
                progress(f"ics: {written:,} events written")

            if is_stdout(args.output):
                write_output(export_ics(services, first, last, tally), args.output)
            else:  # a file: a large export's later events may be written meanwhile by a second process
                written = write_ics(services, first, last, args.output, lambda done: progress(f"ics: {done:,} events written"))
    except StoreError as error:  # a file that cannot be written, the second process's failure
        raise CliError(str(error)) from None
    finally:
        gc.enable()
    target = "standard output" if is_stdout(args.output) else str(args.output)
    # as the other exports: the count goes to stderr when the calendar itself is on standard output
    print(
        f"Wrote {written:,} event{'s' if written != 1 else ''} to {target}",
        file=sys.stderr if is_stdout(args.output) else sys.stdout,
    )
    return 0


# -- oncall ----------------------------------------------------------------------------


def cmd_oncall(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.domain.oncall import check_hours
    from ccm_tui.text.formatting import Formatter
    from ccm_tui.text.plain import ascii_spaces

    try:
        hours = check_hours(args.hours)
    except ValueError as error:
        raise CliError(str(error)) from None
    services = open_services(ctx)
    calendar = services.calendar
    events = calendar.on_call(hours)
    text = oncall_text(
        events,
        Formatter(ctx.settings.locale),
        now=services.now(),
        zone=ctx.settings.time_zone,
        hours=hours,
        oncall_phone=ctx.settings.oncall_phone,
        repair_phone=ctx.settings.repair_phone,
    )
    sys.stdout.write(ascii_spaces(text))
    return 0


def fit(text: str, width: int = WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def oncall_text(
    events: list[CalendarEvent],
    fmt: Formatter,
    *,
    now: datetime,
    zone: str,
    hours: int,
    oncall_phone: str,
    repair_phone: str,
) -> str:
    """The on-call view as lines of at most 80 characters."""
    from ccm_tui.domain.model import ContactRole
    from ccm_tui.text.event_text import ccd_short, change_window, hours_words
    from ccm_tui.text.markdown_escape import (
        plain_line as p,  # typed text must not drive the terminal
    )

    lines = [
        f"On call: the next {hours} h from {fmt.when_in(now, zone)}",
        f"On-call scheduling manager {oncall_phone}   Repair center {repair_phone}",
    ]
    if not events:
        lines.append("Nothing after hours, on a weekend or a public holiday in that time.")
        return "\n".join(fit(line) for line in lines) + "\n"
    count = len(events)
    lines.append(f"{count} event{'s' if count != 1 else ''} outside business hours:")
    for event in events:
        step, site = event.step, event.site
        lines.append("")
        until = f" to {fmt.time_in(step.end, site.timezone)}" if step.end is not None else ""
        lines.append(f"{fmt.when_in(event.start, site.timezone)}{until} at the site")
        lines.append(f"  your time {fmt.when_in(event.start, zone)} · {hours_words(event.facts.hours_flags)}")
        lines.append(f"  {p(event.customer_name)} ({p(event.account_number)}) · {p(site.name)}, {p(site.city)} {site.country}")
        status = step.status.label_for(step.kind)
        extra = " · ".join(part for part in (change_window(event.facts), ccd_short(event.ccd_state)) if part)
        lines.append(
            f"  {event.activation.service.value} {step.kind.label.lower()} · {status} · order {p(event.order_number)}"
            + (f" · {extra}" if extra else "")
        )
        for role, word in ((ContactRole.DESIGNATED, "designated"), (ContactRole.SITE_TECHNICAL, "technical")):
            contact = next((c for c in event.contacts if role in c.roles), None)
            if contact is not None:
                lines.append(f"  {word}: {p(contact.name)} {p(contact.phone) or '(no phone)'}")
    return "\n".join(fit(line) for line in lines) + "\n"
