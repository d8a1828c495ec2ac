"""The account commands of ``pozirk-reader``: ``accounts add|list|remove|subscribe|unsubscribe`` and ``sync``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from pozirk_reader.cli.lines import PROG, say
from pozirk_reader.core.store.read_models import AccountKind

if TYPE_CHECKING:
    from pozirk_reader.core.config import AccountSettings, LoadedConfig
    from pozirk_reader.core.operations.syncing import SyncProgress, SyncReport
    from pozirk_reader.core.store.library import Store

StoreOpener = Callable[[argparse.Namespace], "Store"]
ConfigReader = Callable[[argparse.Namespace], "LoadedConfig"]


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser, store: StoreOpener, config: ConfigReader
) -> None:
    """Register ``accounts`` (with its sub-commands) and ``sync``."""
    accounts = commands.add_parser("accounts", parents=[common], help="accounts on news servers (Google Reader, Fever)")
    actions = accounts.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        parents=[common],
        help="add an account (its password is checked by logging in), then sync it",
        description="The password comes from [accounts.NAME] in config.toml (password_command or password_env),"
        " else $POZIRK_READER_PASSWORD_NAME, else a prompt; it is never stored, only the token logging in gives"
        " (in a file only you can read, beside the cache).",
    )
    add.add_argument("name", metavar="NAME", help="what to call the account (letters, digits, - and _)")
    add.add_argument(
        "url",
        metavar="URL",
        help="the API's address: FreshRSS https://HOST/api/greader.php (or /api/fever.php), Miniflux https://HOST/"
        " (or /fever/); http only to this machine",
    )
    add.add_argument("--user", required=True, help="the user name on the server")
    add.add_argument(
        "--kind",
        choices=[str(kind) for kind in AccountKind],
        default=str(AccountKind.GREADER),
        help="the API: greader (Google Reader: FreshRSS, Miniflux, Inoreader, ...) or fever; default: greader",
    )
    add.add_argument("--password-env", metavar="VAR", help="read the password from this environment variable")
    add.add_argument("--no-sync", dest="sync", action="store_false", help="add it without syncing now")
    add.set_defaults(handler=lambda args: _add(args, store, config))

    list_ = actions.add_parser("list", parents=[common], help="list the accounts with their state (or one's feeds)")
    list_.add_argument("name", nargs="?", metavar="NAME", help="list this account's subscriptions instead")
    list_.set_defaults(handler=lambda args: _list(args, store))

    remove = actions.add_parser("remove", parents=[common], help="remove an account and the articles it brought")
    remove.add_argument("names", nargs="+", metavar="NAME")
    remove.set_defaults(handler=lambda args: _remove(args, store))

    no_sync = argparse.ArgumentParser(add_help=False)
    no_sync.add_argument("--no-sync", dest="sync", action="store_false", help="only queue it for the next sync")
    subscribe = actions.add_parser(
        "subscribe",
        parents=[common, no_sync],
        help="subscribe an account to feeds on its server (Google Reader API), then sync it",
        description="The subscription is in the cache at once and waits in its outbox until a sync pushes it."
        " The Fever API cannot subscribe: use the server's own interface.",
    )
    subscribe.add_argument("name", metavar="NAME", help="the account")
    subscribe.add_argument("urls", nargs="+", metavar="URL", help="a feed's address")
    subscribe.add_argument("--title", help="the name to give the feed (one feed only)")
    subscribe.set_defaults(handler=lambda args: _subscribe(args, store, config))

    unsubscribe = actions.add_parser(
        "unsubscribe",
        parents=[common, no_sync],
        help="unsubscribe an account from feeds on its server, deleting their articles here, then sync it",
    )
    unsubscribe.add_argument("name", metavar="NAME", help="the account")
    unsubscribe.add_argument("feeds", nargs="+", metavar="URL|TITLE", help="the feed's URL or title")
    unsubscribe.set_defaults(handler=lambda args: _unsubscribe(args, store, config))

    sync = commands.add_parser("sync", parents=[common], help="sync every account (or the named ones) with its server")
    sync.add_argument("names", nargs="*", metavar="NAME", help="only these accounts")
    sync.set_defaults(handler=lambda args: _sync(args, store, config))


def _ask(name: str, user: str) -> Callable[[], str] | None:
    """A password prompt on the terminal, if there is one."""
    if not sys.stdin.isatty():
        return None

    def ask() -> str:
        import getpass

        return getpass.getpass(f"password of {user} for {name}: ")

    return ask


def _add(args: argparse.Namespace, store: StoreOpener, config: ConfigReader) -> int:
    """``accounts add``: log in, add the account, sync it."""
    from pozirk_reader.core.operations.accounts import add_account

    configured = config(args).settings.accounts
    with store(args) as opened:
        account = add_account(
            opened,
            args.name,
            AccountKind(args.kind),
            args.url,
            args.user,
            password_env=args.password_env,
            configured=configured,
            ask_password=_ask(args.name, args.user),
        )
        say(f"added {account.name}: {account.username} at {account.base_url} ({account.kind})")
        if not args.sync:
            return 0
        return _print(_run(opened, [account.name], configured))


def _list(args: argparse.Namespace, store: StoreOpener) -> int:
    """``accounts list``: each account's server, subscriptions, articles, last sync and changes waiting;
    ``accounts list NAME``: that account's subscriptions."""
    if args.name:
        return _list_feeds(args, store)
    with store(args) as opened:
        accounts = opened.accounts.all()
    if not accounts:
        say(f"no accounts yet: '{PROG} accounts add NAME URL --user USER' adds one")
        return 0
    for account in accounts:
        when = datetime.fromtimestamp(account.synced_at).strftime("%Y-%m-%d %H:%M") if account.synced_at else "never"
        say(f"{account.name}  {account.kind}  {account.username} at {account.base_url}")
        say(f"  {account.subscriptions:,} subscriptions, {account.articles:,} articles, synced {when}")
        if account.pending:
            say(f"  {account.pending:,} changes waiting to be pushed")
        if account.last_error:
            say(f"  last sync failed: {account.last_error}")
    return 0


def _list_feeds(args: argparse.Namespace, store: StoreOpener) -> int:
    """``accounts list NAME``: a line a subscription (its title, address, articles; one waiting to be pushed)."""
    from pozirk_reader.core.errors import ReaderError

    with store(args) as opened:
        account = opened.accounts.named(args.name)
        if account is None:
            raise ReaderError(f"no account named {args.name!r} (see `{PROG} accounts list`)")
        feeds = opened.accounts.feeds(account.id)
    if not feeds:
        say(f"{account.name}: no subscriptions yet: '{PROG} accounts subscribe {account.name} URL' adds one")
    for feed in feeds:
        waiting = "" if feed.remote_id else ", waiting to be pushed"
        say(f"{feed.name}  {feed.feed_url or feed.remote_id}  ({feed.articles:,} articles{waiting})")
    return 0


def _subscribe(args: argparse.Namespace, store: StoreOpener, config: ConfigReader) -> int:
    """``accounts subscribe``: queue each feed (one line a feed it could not), then sync unless ``--no-sync``."""
    from pozirk_reader.core.errors import ReaderError
    from pozirk_reader.core.operations.accounts import subscribe

    if args.title and len(args.urls) > 1:
        raise ReaderError("--title names one feed: give one URL with it")
    failed = 0
    with store(args) as opened:
        for url in args.urls:
            try:
                added = subscribe(opened, args.name, url, args.title)
            except ReaderError as error:
                say(f"not subscribed: {error}", error=True)
                failed += 1
                continue
            say(f"{args.name}: subscribed to {added.name}" + ("" if args.sync else " (pushed by the next sync)"))
        return _after_change(args, opened, config, failed, len(args.urls))


def _unsubscribe(args: argparse.Namespace, store: StoreOpener, config: ConfigReader) -> int:
    """``accounts unsubscribe``: drop each feed and its articles here, then sync unless ``--no-sync``."""
    from pozirk_reader.core.errors import ReaderError
    from pozirk_reader.core.operations.accounts import unsubscribe

    failed = 0
    with store(args) as opened:
        for wanted in args.feeds:
            try:
                gone, removed = unsubscribe(opened, args.name, wanted)
            except ReaderError as error:
                say(f"not unsubscribed: {error}", error=True)
                failed += 1
                continue
            later = "" if args.sync else " (the server is told by the next sync)"
            say(f"{args.name}: unsubscribed from {gone.name}, {removed:,} cached articles deleted{later}")
        return _after_change(args, opened, config, failed, len(args.feeds))


def _after_change(args: argparse.Namespace, opened: Store, config: ConfigReader, failed: int, given: int) -> int:
    """Sync the account after subscribing or unsubscribing (unless ``--no-sync`` or nothing changed)."""
    status = 1 if failed else 0
    if args.sync and failed < given:
        status = max(status, _print(_run(opened, [args.name], config(args).settings.accounts)))
    return status


def _remove(args: argparse.Namespace, store: StoreOpener) -> int:
    """``accounts remove``: delete the account, its subscriptions' articles and its token."""
    from pozirk_reader.core.operations.accounts import remove_account

    with store(args) as opened:
        for name in args.names:
            account, removed = remove_account(opened, name)
            say(f"removed {account.name}: {removed:,} cached articles deleted")
    return 0


def _sync(args: argparse.Namespace, store: StoreOpener, config: ConfigReader) -> int:
    """``sync``: one line an account; exit status 1 if any failed."""
    configured = config(args).settings.accounts
    with store(args) as opened:
        if not opened.accounts.all():
            say(f"no accounts to sync: '{PROG} accounts add NAME URL --user USER' adds one")
            return 0
        return _print(_run(opened, args.names or None, configured))


def _run(opened: Store, names: list[str] | None, configured: Mapping[str, AccountSettings]) -> list[SyncReport]:
    """Sync with a progress line on a terminal."""
    from pozirk_reader.cli.console import is_terminal, progress_bar
    from pozirk_reader.core.operations.syncing import sync

    if not is_terminal(sys.stderr):
        return sync(opened, names, configured=configured)
    with progress_bar() as bar:
        task = bar.add_task("syncing", total=None)

        def progress(step: SyncProgress) -> None:
            bar.update(task, description=f"{step.account}: {step.step} {step.done or ''}".rstrip())

        return sync(opened, names, configured=configured, progress=progress)


def _print(reports: list[SyncReport]) -> int:
    for report in reports:
        say(report.line, error=bool(report.error), named=False)
    return 1 if any(report.error for report in reports) else 0
