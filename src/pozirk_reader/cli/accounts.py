"""The account commands of ``pozirk-reader``: ``accounts add|list|remove`` and ``sync``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from pozirk_reader.core.store.accounts import AccountKind

if TYPE_CHECKING:
    from pozirk_reader.core.config import AccountSettings, LoadedConfig
    from pozirk_reader.core.operations.syncing import SyncProgress, SyncReport
    from pozirk_reader.core.store.library import Store

PROG = "pozirk-reader"
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

    list_ = actions.add_parser("list", parents=[common], help="list the accounts with their state")
    list_.set_defaults(handler=lambda args: _list(args, store))

    remove = actions.add_parser("remove", parents=[common], help="remove an account and the articles it brought")
    remove.add_argument("names", nargs="+", metavar="NAME")
    remove.set_defaults(handler=lambda args: _remove(args, store))

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
        print(f"added {account.name}: {account.username} at {account.base_url} ({account.kind})")
        if not args.sync:
            return 0
        return _print(_run(opened, [account.name], configured))


def _list(args: argparse.Namespace, store: StoreOpener) -> int:
    """``accounts list``: each account's server, subscriptions, articles, last sync and changes waiting."""
    with store(args) as opened:
        accounts = opened.accounts.all()
    if not accounts:
        print(f"no accounts yet: '{PROG} accounts add NAME URL --user USER' adds one")
        return 0
    for account in accounts:
        when = datetime.fromtimestamp(account.synced_at).strftime("%Y-%m-%d %H:%M") if account.synced_at else "never"
        print(f"{account.name}  {account.kind}  {account.username} at {account.base_url}")
        print(f"  {account.subscriptions:,} subscriptions, {account.articles:,} articles, synced {when}")
        if account.pending:
            print(f"  {account.pending:,} changes waiting to be pushed")
        if account.last_error:
            print(f"  last sync failed: {account.last_error}")
    return 0


def _remove(args: argparse.Namespace, store: StoreOpener) -> int:
    """``accounts remove``: delete the account, its subscriptions' articles and its token."""
    from pozirk_reader.core.operations.accounts import remove_account

    with store(args) as opened:
        for name in args.names:
            account, removed = remove_account(opened, name)
            print(f"removed {account.name}: {removed:,} cached articles deleted")
    return 0


def _sync(args: argparse.Namespace, store: StoreOpener, config: ConfigReader) -> int:
    """``sync``: one line an account; exit status 1 if any failed."""
    configured = config(args).settings.accounts
    with store(args) as opened:
        if not opened.accounts.all():
            print(f"no accounts to sync: '{PROG} accounts add NAME URL --user USER' adds one")
            return 0
        return _print(_run(opened, args.names or None, configured))


def _run(opened: Store, names: list[str] | None, configured: Mapping[str, AccountSettings]) -> list[SyncReport]:
    """Sync with a progress line on a terminal."""
    from pozirk_reader.cli.console import is_terminal, make_console
    from pozirk_reader.core.operations.syncing import sync

    if not is_terminal(sys.stderr):
        return sync(opened, names, configured=configured)
    from rich.progress import Progress

    with Progress(console=make_console(stderr=True), transient=True) as bar:
        task = bar.add_task("syncing", total=None)

        def progress(step: SyncProgress) -> None:
            bar.update(task, description=f"{step.account}: {step.step} {step.done or ''}".rstrip())

        return sync(opened, names, configured=configured, progress=progress)


def _print(reports: list[SyncReport]) -> int:
    for report in reports:
        print(report.line, file=sys.stderr if report.error else sys.stdout)
    return 1 if any(report.error for report in reports) else 0
