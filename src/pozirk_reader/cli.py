"""The ``pozirk-reader`` command: the reader itself, and commands that work without it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pozirk_reader import __version__
from pozirk_reader.core.errors import ReaderError

PROG = "pozirk-reader"
COMMANDS = ("open", "show")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per action."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal reader for news agency articles, from text files and RSS/Atom feeds.",
        epilog=f"With no command, '{PROG} [PATH ...]' opens the reader. '{PROG} COMMAND --help' tells more.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    show = commands.add_parser("show", help="print one article without opening the reader")
    show.add_argument("target", metavar="FILE", help="an article file")
    show.add_argument("--json", action="store_true", help="print the parsed fields as JSON")
    show.set_defaults(handler=_show)

    open_ = commands.add_parser("open", help="open the reader (the default command)")
    open_.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to import first")
    open_.set_defaults(handler=_open)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not _names_a_command(args_list):
        args_list.insert(_first_positional(args_list), "open")
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return int(args.handler(args) or 0)
    except ReaderError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _names_a_command(args: list[str]) -> bool:
    """Tell whether the arguments name a sub-command, or ask for the top-level help or version."""
    if any(arg in ("-h", "--help", "--version") for arg in args[:1]):
        return True
    index = _first_positional(args)
    return index < len(args) and args[index] in COMMANDS


def _first_positional(args: list[str]) -> int:
    """Index of the first argument that is not an option (or ``len(args)``)."""
    for index, arg in enumerate(args):
        if not arg.startswith("-"):
            return index
    return len(args)


def _show(args: argparse.Namespace) -> int:
    """``show FILE``: parse and print one article."""
    from pozirk_reader.console import print_article
    from pozirk_reader.core.export import to_json
    from pozirk_reader.core.textformat import parse_file

    article = parse_file(Path(args.target))
    if args.json:
        sys.stdout.write(to_json(article))
    else:
        print_article(article)
    return 0


def _open(args: argparse.Namespace) -> int:
    """Open the reader; until it exists, print the given articles."""
    from pozirk_reader.console import print_article
    from pozirk_reader.core.textformat import parse_file

    paths = [Path(path) for path in args.paths] or [Path("sample_articles")]
    for path in paths:
        files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
        for file in files:
            print_article(parse_file(file))
    return 0
