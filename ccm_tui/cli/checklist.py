"""`ccm checklist ACTIVATION_ID [-o FILE]`: the customer's checklist as Markdown."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ccm_tui.cli.common import Context, Parsers, is_stdout, open_services, write_output


def _activation_id(text: str) -> int:
    from ccm_tui.domain.fields import whole_number

    try:  # ASCII digits, and a number the book can hold: int() reads "٣", and SQLite stops at 2**63
        return whole_number(text.strip(), "ACTIVATION_ID", 1, 2**63 - 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an activation number (the checklist screen shows it)") from None


def register(parsers: Parsers) -> None:
    command = parsers.commands.add_parser(
        "checklist",
        help="write an activation's customer checklist as Markdown, to send to the site technical contact",
        description=(
            "Write the customer-owned checklist items of an activation as Markdown: the event, the site, "
            "the contact, and each item's due date in the site's calendar and time zone. The activation "
            "number is shown on the checklist screen (key 3)."
        ),
    )
    command.add_argument("activation_id", type=_activation_id, metavar="ACTIVATION_ID", help="the activation's number")
    command.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write FILE (0600, atomically) instead of stdout (-: stdout)"
    )
    command.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from ccm_tui.text.checklist_markdown import checklist_markdown
    from ccm_tui.text.formatting import Formatter
    from ccm_tui.text.plain import ascii_spaces

    services = open_services(ctx)
    checklists = services.checklists
    for warning in checklists.template_warnings:
        print(f"ccm: warning: {warning}", file=sys.stderr)
    checklist = checklists.checklist(args.activation_id)
    text = checklist_markdown(checklist, Formatter(ctx.settings.locale), services.today(), ctx.settings.ccm_name)
    write_output(ascii_spaces(text), args.output)
    if not is_stdout(args.output):
        print(f"wrote {args.output}", file=sys.stderr)
    return 0
