"""The ``pozirk-reader`` command: the reader itself, and commands that work without it.

A first word that is no command, no existing path and no URL is a mistake, not something to open:
it ends with a suggestion ("did you mean `search`?") and exit status 2, and so does opening the reader
without a terminal. Every command logs (see :mod:`pozirk_reader.core.logs`); an unexpected error is one
line on stderr and its traceback in the log.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pozirk_reader import __version__
from pozirk_reader.cli.lines import PROG, say
from pozirk_reader.core.errors import ReaderError

if TYPE_CHECKING:
    from pozirk_reader.core.store.library import Store
    from pozirk_reader.core.store.read_models import StoredArticle

COMMANDS = (
    "open",
    "show",
    "import",
    "list",
    "search",
    "export",
    "feeds",
    "refresh",
    "accounts",
    "sync",
    "config",
    "completion",
)
LINK_STATES = {"cached": "in the cache", "url": "web only", "missing": "not available"}
USAGE_ERROR = 2
"""The exit status of a command line that is wrong (as argparse's own)."""
VERSIONS = ("textual", "rich", "feedparser", "httpx")
"""The libraries ``--version`` names, besides Python and SQLite."""

log = logging.getLogger(__name__)


class _Version(argparse.Action):
    """``--version``: this program's version and those of Python, the libraries and SQLite."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        sys.stdout.write(version_text())
        parser.exit()


def version_text() -> str:
    """``pozirk-reader VERSION``, then a line for Python, each library and SQLite."""
    from importlib.metadata import PackageNotFoundError, version

    from pozirk_reader.core.store import sqlite_version

    names = {"textual": "Textual", "rich": "Rich"}
    lines = [f"{PROG} {__version__}", f"Python {sys.version.split()[0]}"]
    for package in VERSIONS:
        try:
            found = version(package)
        except PackageNotFoundError:
            found = "not installed"
        lines.append(f"{names.get(package, package)} {found}")
    lines.append(f"SQLite {sqlite_version()}")
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per action; ``--data-dir`` and ``--debug`` go with every one."""
    common = argparse.ArgumentParser(add_help=False)
    data_dir_help = "where the cache lives (default: $POZIRK_READER_DATA_DIR, else the user data directory)"
    debug_help = "log everything, at the debug level (default: $POZIRK_READER_LOG, else info)"
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal reader for news agency articles, from text files and RSS/Atom feeds.",
        epilog=f"With no command, '{PROG} [PATH ...]' opens the reader. '{PROG} COMMAND --help' tells more.",
    )
    parser.add_argument("--version", action=_Version, help="show the versions of the reader and what it uses")
    parser.add_argument("--data-dir", metavar="DIR", help=data_dir_help)
    parser.add_argument("--debug", action="store_true", help=debug_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_ = commands.add_parser("open", parents=[common], help="open the reader (the default command)")
    open_.add_argument(
        "paths", nargs="*", metavar="PATH|URL", help="files or folders to import, or feeds to subscribe to, and open"
    )
    open_.set_defaults(handler=_open)

    show = commands.add_parser("show", parents=[common], help="print one article without opening the reader")
    show.add_argument("target", metavar="FILE|ID", help="an article file, or the id of a cached article")
    show.add_argument("--json", action="store_true", help="print the parsed fields as JSON")
    show.set_defaults(handler=_show)

    import_ = commands.add_parser("import", parents=[common], help="import files or folders into the cache")
    import_.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (searched recursively)")
    import_.add_argument("--pattern", default="*.txt", help="file names to import from folders (default: *.txt)")
    import_.set_defaults(handler=_import)

    list_ = commands.add_parser("list", parents=[common], help="list cached headlines, newest first")
    list_.add_argument("--unread", action="store_true", help="only unread articles")
    list_.add_argument("--limit", type=int, default=50, metavar="N", help="at most N headlines (default: 50)")
    list_.set_defaults(handler=_list)

    search = commands.add_parser("search", parents=[common], help="search every cached article, best match first")
    search.add_argument("query", metavar="QUERY", help='words (all must match), "a phrase", prefix*, OR, -excluded')
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default: 20)")
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    search.add_argument("--unread", action="store_true", help="only unread articles")
    search.add_argument("--starred", action="store_true", help="only starred articles")
    search.add_argument("--source", metavar="SOURCE", help="only articles from this source (its location or title)")
    search.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="only articles of this day or later")
    search.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="only articles of this day or earlier")
    search.set_defaults(handler=_search)

    export = commands.add_parser("export", parents=[common], help="write a cached article as Markdown or JSON")
    export.add_argument("id", metavar="ID", help="the article's id (or a unique start of it)")
    export.add_argument("--format", choices=("markdown", "json"), default="markdown", help="default: markdown")
    export.set_defaults(handler=_export)

    from pozirk_reader.cli import accounts, feeds, settings

    feeds.add_commands(commands, common, _store, settings.settings_for)
    accounts.add_commands(commands, common, _store, settings.settings_for)
    settings.add_commands(commands, common)

    completion = commands.add_parser("completion", parents=[common], help="print a shell completion script")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help="the shell to complete in")
    completion.set_defaults(handler=lambda args: _completion(args, parser))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not _names_a_command(args_list):
        mistake = _not_openable(_positionals(args_list), suggest=True)
        if mistake:
            say(mistake, error=True)
            return USAGE_ERROR
        args_list.insert(0, "open")
    parser = build_parser()
    args = parser.parse_args(args_list)
    _start_logging(args, args_list)
    try:
        return int(args.handler(args) or 0)
    except ReaderError as error:
        log.warning("%s", error)
        say(str(error), error=True)
        return 1
    except KeyboardInterrupt:
        say("interrupted", error=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        from pozirk_reader.core.logs import escape_controls
        from pozirk_reader.core.paths import log_path

        log.exception("%s %s failed", PROG, args.command or "open")
        line = escape_controls(str(error).strip().split("\n")[0][:200]) or type(error).__name__
        say(f"unexpected error: {line} (the log has the details: {log_path()})", error=True)
        return 1


def _start_logging(args: argparse.Namespace, args_list: list[str]) -> None:
    """Log to the rotating file at the level ``--debug`` or ``$POZIRK_READER_LOG`` asks for."""
    from pozirk_reader.core.logs import level_from, setup_logging
    from pozirk_reader.core.paths import log_path

    level, problem = level_from(getattr(args, "debug", False))
    problems = [problem, setup_logging(log_path(), level)]
    for line in filter(None, problems):
        say(line, error=True)
    if log.isEnabledFor(logging.DEBUG):  # the versions cost 20 ms (importlib.metadata): only when logged
        log.debug("%s", version_text().replace("\n", "; "))
    log.debug("command line: %s", " ".join(args_list))


def _names_a_command(args: list[str]) -> bool:
    """Tell whether the arguments name a sub-command, or ask for the top-level help or version."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-h", "--help", "--version"):
            return True
        if arg == "--data-dir":
            index += 2
        elif arg.startswith("-") and arg != "-":
            index += 1
        else:
            return arg in COMMANDS
    return False


def _positionals(args: list[str]) -> list[str]:
    """The words that are not options (nor ``--data-dir``'s value)."""
    words: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--data-dir":
            index += 2
            continue
        if arg == "--":
            words += args[index + 1 :]
            break
        if not arg.startswith("-") or arg == "-":
            words.append(arg)
        index += 1
    return words


def _not_openable(words: list[str], suggest: bool = False) -> str | None:
    """Why the reader cannot open ``words`` (each must be an existing file or folder, or a URL), if it cannot.

    With ``suggest``, a first word that looks like a mistyped command is told the command it may be.
    """
    from pozirk_reader.core.config import visible
    from pozirk_reader.core.web.urls import is_http_url

    for position, word in enumerate(words):
        if is_http_url(word) or _exists(word):
            continue
        close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6) if suggest and position == 0 else []
        if close:
            return f"{visible(word)} is not a command, a file or a URL; did you mean `{close[0]}`?"
        if suggest and position == 0 and "/" not in word and "." not in word:
            return f"{visible(word)} is not a command, a file or a URL (see `{PROG} --help`)"
        return f"{visible(word)}: no such file or folder, and not an http(s) URL"
    return None


def _exists(word: str) -> bool:
    try:
        return Path(word).expanduser().exists()
    except (OSError, ValueError):
        return False


def _completion(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """``completion SHELL``: a completion script for bash, zsh or fish on stdout."""
    from pozirk_reader.cli.completion import script

    sys.stdout.write(script(parser, args.shell))
    return 0


def _store(args: argparse.Namespace, reading: bool = False) -> Store:
    """Open the cache named by ``--data-dir`` (or the default), saying so if a damaged one was moved aside.

    A command that only ``reading`` opens it without the integrity check (it reads the whole file), and
    read-only where it cannot be written; commands that write check it first.
    """
    from pozirk_reader.core.store.database import cache_path
    from pozirk_reader.core.store.library import Store

    path = cache_path(args.data_dir)
    store = Store.open_for_reading(path) if reading else Store.open(path)
    if store.recovery_message:
        say(store.recovery_message, error=True)
    return store


def _cached(store: Store, key: str) -> StoredArticle:
    """The cached article whose id is, or starts with, ``key``."""
    ids = store.find_ids(key) if len(key) >= 4 else []
    if len(ids) != 1:
        reason = "no such file, and no cached article has that id" if not ids else "more than one article has that id"
        raise ReaderError(f"{key}: {reason}")
    stored = store.get(ids[0])
    assert stored is not None
    return stored


def _show(args: argparse.Namespace) -> int:
    """``show FILE|ID``: parse a file, or read a cached article, and print it."""
    from pozirk_reader.cli.console import print_article

    target = Path(args.target)
    states: list[str] = []
    if target.exists():
        from pozirk_reader.core.article.plaintext import parse_file  # (only a file needs the format's parser)

        article = parse_file(target)
        extra: dict[str, object] = {}
    else:
        with _store(args, reading=True) as store:
            stored = _cached(store, args.target)
            article = stored.article
            links = store.related(article.id)
            states = [LINK_STATES[link.state] for link in links]
            extra = {
                "read": stored.read,
                "starred": stored.starred,
                "gone": stored.gone,
                "related_targets": [link.target_id for link in links],
            }
    if args.json:
        from pozirk_reader.core.article.render import to_json

        sys.stdout.write(to_json(article, extra))
    else:
        print_article(article, states=states)
    return 0


def _import(args: argparse.Namespace) -> int:
    """``import PATH...``: import into the cache with a progress bar on a terminal, then a summary a source."""
    from pozirk_reader.cli.console import is_terminal, progress_bar
    from pozirk_reader.core.operations.importing import import_path

    failed = 0
    with _store(args) as store:
        for path in args.paths:
            if is_terminal(sys.stderr):
                from rich.progress import TaskID

                with progress_bar() as bar:
                    task = bar.add_task(f"importing {path}", total=None)

                    def advance(done: int, total: int, _: Path, task: TaskID = task) -> None:
                        bar.update(task, completed=done, total=total)

                    report = import_path(store, path, args.pattern, advance)
            else:
                report = import_path(store, path, args.pattern)
            for file, reason in report.failed:
                say(f"{file}: {reason}", error=True)
            say(f"{report.source}: {report.summary}")
            failed += len(report.failed)
    return 1 if failed else 0


def _list(args: argparse.Namespace) -> int:
    """``list``: headlines, newest first: id, date, unread/starred marks, source, headline."""
    from pozirk_reader.cli.console import print_headlines

    with _store(args, reading=True) as store:
        print_headlines(store.headlines(0, max(0, args.limit), unread_only=args.unread))
    return 0


def _day(text: str) -> date:
    """A date argument, written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def _search(args: argparse.Namespace) -> int:
    """``search QUERY``: ranked results, each with a line of its text around the match."""
    from pozirk_reader.cli.console import print_hits
    from pozirk_reader.core.operations.searching import search
    from pozirk_reader.core.search.filters import SearchFilters

    with _store(args, reading=True) as store:
        source_id = None
        if args.source:
            found = [s.id for s in store.sources() if args.source in (s.location, s.title, str(s.id))]
            if not found:
                raise ReaderError(f"{args.source}: no such source (see `{PROG} feeds list`, or a folder imported)")
            source_id = found[0]
        filters = SearchFilters(args.unread, args.starred, source_id, args.since, args.until)
        hits = search(store, args.query, limit=max(0, args.limit), filters=filters)
    if args.json:
        rows = [
            {
                "id": hit.headline.id,
                "title": hit.headline.title,
                "date": hit.headline.date.isoformat() if hit.headline.date else None,
                "source": hit.headline.source_name,
                "score": round(hit.score, 4),
                "snippet": hit.snippet,
            }
            for hit in hits
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        print_hits(hits)
    return 0


def _export(args: argparse.Namespace) -> int:
    """``export ID``: the cached article as Markdown or JSON on stdout."""
    from pozirk_reader.core.article.render import to_json, to_markdown

    with _store(args, reading=True) as store:
        article = _cached(store, args.id).article
    sys.stdout.write(to_json(article) if args.format == "json" else to_markdown(article))
    return 0


def _open(args: argparse.Namespace) -> int:
    """Open the reader on the cache, importing the paths and subscribing to the feeds given.

    An empty cache given nothing to read starts from the bundled samples. The reader needs a terminal:
    without one on standard input and output, it says so instead of starting. The config's problems
    are the reader's notifications.
    """
    mistake = _not_openable(args.paths)
    if mistake:
        say(mistake, error=True)
        return USAGE_ERROR
    if not (_is_tty(sys.stdin) and _is_tty(sys.stdout)):
        print(
            f"{PROG}: the reader needs a terminal (standard input and output are not one);"
            f" `{PROG} list`, `search` and `show` print without one",
            file=sys.stderr,
        )
        return USAGE_ERROR
    from pozirk_reader.cli.settings import load
    from pozirk_reader.core.operations.feeds import is_feed_file
    from pozirk_reader.core.store.database import cache_path
    from pozirk_reader.core.web.urls import is_http_url
    from pozirk_reader.samples import bundled_samples
    from pozirk_reader.ui.app import ReaderApp

    feeds = [location for location in args.paths if is_http_url(location) or is_feed_file(location)]
    app = ReaderApp(
        cache_path(args.data_dir),
        config=load(args),
        import_paths=[Path(path) for path in args.paths if path not in feeds],
        feeds=feeds,
        samples=bundled_samples(),
    )
    log.info("opening the reader on %s", app.cache)
    app.run()
    if app.exit_message:
        say(app.exit_message, error=True)
        return 1
    return int(app.return_code or 0)


def _is_tty(stream: TextIO | None) -> bool:
    """Whether ``stream`` is a terminal (``None``, as a closed standard stream may be, is not)."""
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False
