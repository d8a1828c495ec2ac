"""The feed commands of ``pozirk-reader``: ``feeds add|remove|list|import|export`` and ``refresh``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pozirk_reader.cli.lines import PROG, say
from pozirk_reader.core.article.hygiene import safe_line, shorten
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.store.read_models import SourceKind

if TYPE_CHECKING:
    from pozirk_reader.core.config import LoadedConfig
    from pozirk_reader.core.operations.feeds import FeedReport, Progress
    from pozirk_reader.core.operations.retention import Keeping
    from pozirk_reader.core.store.library import Store


class StoreOpener(Protocol):
    """Opens the cache for a command; ``reading`` for one that only reads it (see ``commands._store``)."""

    def __call__(self, args: argparse.Namespace, reading: bool = False) -> Store: ...


ConfigReader = Callable[[argparse.Namespace], "LoadedConfig"]


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser, store: StoreOpener, config: ConfigReader
) -> None:
    """Register ``feeds`` (with its own sub-commands) and ``refresh``; ``store`` opens the cache for a command,
    ``config`` reads the config file (its ``full_text`` and ``concurrent_feeds`` are the defaults here)."""
    no_full_text = argparse.ArgumentParser(add_help=False)
    no_full_text.add_argument(
        "--no-full-text",
        dest="full_text",
        action="store_false",
        default=None,
        help="keep summary-only entries as summaries (do not fetch their article pages); default: the config's full_text",
    )
    no_full_text.add_argument(
        "--full-text", dest="full_text", action="store_true", default=None, help="fetch them (when the config says not)"
    )
    no_full_text.set_defaults(config=config)
    feeds = commands.add_parser("feeds", parents=[common], help="manage RSS/Atom feed subscriptions")
    actions = feeds.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", parents=[common, no_full_text], help="subscribe to feeds and read them")
    add.add_argument("locations", nargs="+", metavar="URL|FILE", help="a feed, a page that links one, or a file")
    add.set_defaults(handler=lambda args: _add(args, store))

    remove = actions.add_parser("remove", parents=[common], help="unsubscribe, deleting the feed's articles")
    remove.add_argument("locations", nargs="+", metavar="URL|TITLE", help="the feed's URL (or title)")
    remove.set_defaults(handler=lambda args: _remove(args, store))

    list_ = actions.add_parser("list", parents=[common], help="list subscriptions with their state")
    list_.set_defaults(handler=lambda args: _list(args, store))

    import_ = actions.add_parser("import", parents=[common, no_full_text], help="subscribe to the feeds of OPML")
    import_.add_argument("file", metavar="FILE.opml", help="an OPML file of subscriptions")
    import_.add_argument("--no-refresh", dest="refresh", action="store_false", help="subscribe without reading")
    import_.set_defaults(handler=lambda args: _import(args, store))

    export = actions.add_parser("export", parents=[common], help="write the subscriptions as OPML")
    export.add_argument("file", nargs="?", metavar="FILE", help="write here instead of to stdout")
    export.set_defaults(handler=lambda args: _export(args, store))

    refresh = commands.add_parser("refresh", parents=[common, no_full_text], help="fetch new articles of every feed")
    refresh.add_argument("locations", nargs="*", metavar="URL|TITLE", help="only these feeds")
    jobs_help = "feeds fetched at once (default: the config's concurrent_feeds, 8)"
    refresh.add_argument("--jobs", type=int, default=None, metavar="N", help=jobs_help)
    refresh.set_defaults(handler=lambda args: _refresh(args, store))


def _keep(args: argparse.Namespace) -> Keeping:
    """What each feed keeps: the config's ``entries_per_refresh`` and ``max_articles_per_feed``."""
    from pozirk_reader.core.operations.retention import Keeping

    settings = args.config(args).settings
    return Keeping(entries=settings.entries_per_refresh, articles=settings.max_articles_per_feed)


def _full_text(args: argparse.Namespace) -> bool:
    """``--full-text`` / ``--no-full-text``, else the config's ``full_text``."""
    if args.full_text is not None:
        return bool(args.full_text)
    return args.config(args).settings.full_text


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal (yields its callback), else nothing."""
    from pozirk_reader.cli.console import is_terminal, progress_bar

    if not is_terminal(sys.stderr):
        yield None
        return
    with progress_bar() as bar:
        task = bar.add_task(label, total=None)
        yield lambda step: bar.update(task, completed=step.done, total=step.total, description=shorten(step.what, 40))


def _print_reports(reports: list[FeedReport]) -> int:
    """Print one line a feed (errors to stderr); returns the exit status (1 if any feed failed)."""
    for report in reports:
        say(report.line, error=bool(report.error), named=False)
        for url, reason in report.full_text_failed[:5]:
            say(f"  full text of {url}: {reason}", error=True, named=False)
    return 1 if any(report.error for report in reports) else 0


def _add(args: argparse.Namespace, store: StoreOpener) -> int:
    """``feeds add``: subscribe and read each feed; a location that is no feed is reported and skipped."""
    from pozirk_reader.core.operations.feeds import add_feed

    reports = []
    failed = 0
    with store(args) as opened:
        for location in args.locations:
            try:
                with _progress(f"reading {location}"):
                    reports.append(add_feed(opened, location, full_text=_full_text(args), keep=_keep(args)))
            except ReaderError as error:
                say(f"not subscribed: {error}", error=True)
                failed += 1
    return max(_print_reports(reports), 1 if failed else 0)


def _remove(args: argparse.Namespace, store: StoreOpener) -> int:
    """``feeds remove``: unsubscribe, saying how many cached articles went with each feed."""
    from pozirk_reader.core.operations.feeds import remove_feed

    with store(args) as opened:
        for location in args.locations:
            source, removed = remove_feed(opened, location)
            say(f"unsubscribed from {source.location}: {removed:,} cached articles deleted")
    return 0


def _list(args: argparse.Namespace, store: StoreOpener) -> int:
    """``feeds list``: each feed's title, URL, cached articles, last refresh and last error or warning."""
    with store(args, reading=True) as opened:
        feeds = opened.sources(kind=SourceKind.FEED)
    if not feeds:
        say(f"no feeds yet: '{PROG} feeds add URL' subscribes to one")
        return 0
    for source in feeds:
        when = (
            datetime.fromtimestamp(source.refreshed_at).strftime("%Y-%m-%d %H:%M") if source.refreshed_at else "never"
        )
        say(source.name)
        say(f"  {source.location}")
        say(f"  {source.article_count:,} articles, refreshed {when}")
        if source.last_error:
            say(f"  last refresh failed: {source.last_error}")
        elif source.last_warning:
            say(f"  warning: {source.last_warning}")
    return 0


def _import(args: argparse.Namespace, store: StoreOpener) -> int:
    """``feeds import FILE.opml``: subscribe to its http(s) feeds (others are refused, never fetched), then read them."""
    from pozirk_reader.core.article.files import read_regular_file
    from pozirk_reader.core.limits import MAX_OPML_BYTES
    from pozirk_reader.core.operations.feeds import refresh, subscribe
    from pozirk_reader.core.web.opml import parse_opml

    path = Path(args.file)
    try:
        data, _ = read_regular_file(path, MAX_OPML_BYTES, safe_line(path))
    except OSError as error:
        raise ReaderError(f"{path}: {error.strerror or error}") from error
    result = parse_opml(data, str(path))
    for url, reason in result.refused:
        say(f"refused {url}: {reason}", error=True)
    with store(args) as opened:
        new = subscribe(opened, [(feed.url, feed.title) for feed in result.feeds])
        say(f"{path}: {len(new)} new feeds, {len(result.feeds) - len(new)} already subscribed")
        if not args.refresh or not new:
            return 1 if result.refused else 0
        with _progress("refreshing") as progress:
            workers = args.config(args).settings.concurrent_feeds
            reports = refresh(
                opened, new, full_text=_full_text(args), workers=workers, keep=_keep(args), progress=progress
            )
    return max(_print_reports(reports), 1 if result.refused else 0)


def _export(args: argparse.Namespace, store: StoreOpener) -> int:
    """``feeds export [FILE]``: the subscriptions as OPML 2.0."""
    from pozirk_reader.core.web.opml import to_opml

    with store(args, reading=True) as opened:
        text = to_opml(
            (source.location, source.title)
            for source in opened.sources(kind=SourceKind.FEED)
            if "://" in source.location
        )
    if args.file:
        Path(args.file).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _refresh(args: argparse.Namespace, store: StoreOpener) -> int:
    """``refresh``: fetch every feed (or the named ones) with a progress bar, then one line a feed."""
    from pozirk_reader.core.operations.feeds import normalise_location, refresh

    with store(args) as opened:
        feeds = opened.sources(kind=SourceKind.FEED)
        if args.locations:
            wanted = {normalise_location(location) if "://" in location else location for location in args.locations}
            chosen = [source.id for source in feeds if source.location in wanted or source.title in wanted]
            if len(chosen) < len(wanted):
                raise ReaderError("not every feed named is subscribed (see `pozirk-reader feeds list`)")
        else:
            chosen = [source.id for source in feeds]
        if not chosen:
            say(f"no feeds to refresh: '{PROG} feeds add URL' subscribes to one")
            return 0
        jobs = args.jobs if args.jobs is not None else args.config(args).settings.concurrent_feeds
        with _progress("refreshing") as progress:
            reports = refresh(
                opened, chosen, full_text=_full_text(args), workers=max(1, jobs), keep=_keep(args), progress=progress
            )
    return _print_reports(reports)
