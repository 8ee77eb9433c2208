"""`ccm keys`: every key binding's id, its keys and what it does: the names `[keys]` in config.toml takes."""

from __future__ import annotations

import argparse

from ccm_tui.cli.common import Context, Parsers


def register(parsers: Parsers) -> None:
    command = parsers.commands.add_parser(
        "keys",
        help="list every key binding's id and keys (remap them under [keys] in config.toml)",
        description=(
            "Every key binding: its id, its keys (yours from config.toml's [keys], with ccm's own in brackets) "
            'and what it does. Remap one with a line under [keys]: "book.new" = "N" (several keys: "N,ctrl+n").'
        ),
    )
    command.set_defaults(handler=run)


def run(ctx: Context, _args: argparse.Namespace) -> int:
    # Textual and every screen: only this command needs them (not at parse time)
    from ccm_tui.app import CcmApp
    from ccm_tui.screens.keymap import catalogue, key_text

    entries = catalogue(CcmApp)
    width = max(len(entry.id) for entry in entries) + 2
    print(f"{'ID':<{width}}{'KEYS':<16}DOES")
    for entry in entries:
        own = key_text(entry.keys)
        mine = ctx.settings.keys.get(entry.id)
        keys = f"{mine} [{own}]" if mine else own
        print(f"{entry.id:<{width}}{keys:<16}{entry.description}")
    return 0
