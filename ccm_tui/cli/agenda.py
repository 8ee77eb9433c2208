"""`ccm agenda CUSTOMER`: a customer's service-review agenda as Markdown.

The review held (or being prepared) on that day is written as it stands,
with its edits, attendees, minutes and actions; without one, the agenda a
new draft would get is generated and nothing is written to the book.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ccm_tui.cli.common import (
    CliError,
    Context,
    Parsers,
    is_stdout,
    open_services,
    write_output,
)

KINDS = ("monthly", "quarterly", "executive")
EXIT_AMBIGUOUS = 2


def _day(text: str) -> date:
    from ccm_tui.domain.fields import (
        iso_date,  # the book's one rule for a date, its range included
    )

    try:
        return iso_date(text.strip(), "date")
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(parsers: Parsers) -> None:
    agenda = parsers.commands.add_parser(
        "agenda",
        help="write a customer's service-review agenda as Markdown",
        description=(
            "Write the service-review agenda for CUSTOMER as Markdown, ready to paste into an e-mail. "
            "The review on that date (a draft or a completed one) is written as it stands; otherwise "
            "the agenda is generated from the task catalogue and the customer's data, without saving it."
        ),
    )
    agenda.add_argument("customer", metavar="CUSTOMER", help="account number or name (any part of it, any case)")
    agenda.add_argument(
        "--type",
        dest="kind",
        choices=KINDS,
        help="review type (default: from the customer's cadence; a monthly customer's every third review is quarterly)",
    )
    agenda.add_argument("--date", type=_day, metavar="D", help="the review date, YYYY-MM-DD (default: today)")
    agenda.add_argument("-o", "--output", type=Path, metavar="FILE", help="write FILE (0600) instead of printing (-: print)")
    agenda.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.domain.model import ReviewKind
    from ccm_tui.services.agenda import AmbiguousCustomer, UnknownCustomer
    from ccm_tui.text.plain import ascii_spaces

    services = open_services(ctx)
    agenda = services.agenda
    try:
        hit = agenda.resolve_customer(args.customer)
    except UnknownCustomer as error:
        raise CliError(str(error)) from None
    except AmbiguousCustomer as error:
        print(f"ccm: {error}:", file=sys.stderr)
        for match in error.matches:
            print(f"  {match.account_number:<12} {match.name}", file=sys.stderr)
        return EXIT_AMBIGUOUS
    day = args.date or services.today()
    kind = ReviewKind(args.kind) if args.kind else None
    held = agenda.find_review(hit.customer_id, day, kind)
    if held is not None:
        review = agenda.review(held.id)
    else:
        review = agenda.preview(hit.customer_id, kind or agenda.suggested(hit.customer_id, day)[0], day)
    write_output(ascii_spaces(agenda.markdown(review)), args.output)
    if not is_stdout(args.output):
        print(f"wrote {args.output} ({review.kind.value} review of {review.customer_name}, {day.isoformat()})")
    return 0
