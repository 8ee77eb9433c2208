"""`ccm completion bash|zsh|fish`: a tab-completion script for every command and option.

The script is made from the argparse parser itself (by shtab), so it never
falls behind a new command or option. Files and folders complete as paths:
an argument whose metavar says FILE, PATH or DIR. shtab is imported only
here, so it costs every other command nothing.
"""

from __future__ import annotations

import argparse
import textwrap

from ccm_tui.cli.common import Parsers

SHELLS = ("bash", "zsh", "fish")
INSTALL = textwrap.dedent(
    """\
    install (then open a new shell):
      bash  ccm completion bash > ~/.local/share/bash-completion/completions/ccm
      zsh   ccm completion zsh > ~/.zfunc/_ccm
            (with `fpath+=~/.zfunc; autoload -Uz compinit; compinit` in ~/.zshrc)
      fish  ccm completion fish > ~/.config/fish/completions/ccm.fish"""
)


def register(parsers: Parsers) -> None:
    completion = parsers.commands.add_parser(
        "completion",
        help="print a shell's tab-completion script for ccm's commands and options",
        description="Print a tab-completion script for SHELL: commands, options, choices, and paths for files.",
        epilog=INSTALL,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=SHELLS, metavar="SHELL", help=f"one of {', '.join(SHELLS)}")
    # `main` answers it before reading the config or opening a book: the script needs the parser only


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    import shtab

    for action in _actions(parser):
        metavar = str(action.metavar or "")
        if "DIR" in metavar:
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
        elif "FILE" in metavar or "PATH" in metavar:
            action.complete = shtab.FILE  # type: ignore[attr-defined]
    return str(shtab.complete(parser, shell=shell))


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """Every argument of the parser and of its subcommands, however deep."""
    found: list[argparse.Action] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # an alias names the same parser again
                found.extend(_actions(sub))
        else:
            found.append(action)
    return found
