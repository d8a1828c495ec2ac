"""Accounts on news servers: adding one (its credentials checked by logging in), listing, removing.

The cache keeps an account's API, server, user name and settings; never its password or token (the token
goes to a file of its own, see :mod:`pozirk_reader.core.sync.credentials`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from pozirk_reader.core.config import AccountSettings
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.store.accounts import Account, AccountKind
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.sync.connect import make_client, password_source, tokens_dir
from pozirk_reader.core.sync.credentials import TokenFile
from pozirk_reader.core.sync.http import check_server_url

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
"""An account's name: what `[accounts.NAME]` in the config and commands call it."""


def add_account(
    store: Store,
    name: str,
    kind: AccountKind,
    url: str,
    username: str,
    *,
    password_env: str | None = None,
    configured: Mapping[str, AccountSettings] | None = None,
    environ: Mapping[str, str] | None = None,
    ask_password: Callable[[], str] | None = None,
) -> Account:
    """Check the credentials by logging in (keeping the token), then add the account to the cache.

    The password comes from the config's ``[accounts.NAME]``, else ``password_env`` (kept in the account's
    settings), else ``$POZIRK_READER_PASSWORD_NAME``, else ``ask_password`` (a prompt). Raises
    :class:`ReaderError` (one line); nothing is added then.
    """
    if not NAME.fullmatch(name):
        raise ReaderError(f"{name!r}: an account's name is letters, digits, - and _ (at most 40)")
    if store.accounts.named(name) is not None:
        raise ReaderError(f"{name}: there is an account of that name already (see `pozirk-reader accounts list`)")
    base_url = check_server_url(url)
    if not username.strip():
        raise ReaderError(f"{name}: give the user name (--user)")
    settings: dict[str, object] = {"password_env": password_env} if password_env else {}
    source = password_source(name, settings, (configured or {}).get(name))

    def password() -> str:
        from pozirk_reader.core.sync.credentials import CredentialError

        try:
            return source.password(environ)
        except CredentialError:
            if ask_password is None:
                raise
            return ask_password()

    token_file = TokenFile(tokens_dir(store.path), name)
    token_file.remove()  # a token left by an account of this name removed earlier is not this one's
    client = make_client(kind, name, base_url, username, token_file, password)
    try:
        client.login()
    except BaseException:
        token_file.remove()
        raise
    finally:
        client.close()
    with store.syncing() as tx:
        tx.add_account(name, kind, base_url, username, settings)
    added = store.accounts.named(name)
    assert added is not None
    return added


def remove_account(store: Store, name: str) -> tuple[Account, int]:
    """Delete an account, its subscriptions, their articles and its token; returns it and how many articles went."""
    account = store.accounts.named(name)
    if account is None:
        raise ReaderError(f"no account named {name!r} (see `pozirk-reader accounts list`)")
    with store.syncing() as tx:
        removed = tx.remove_account(account.id)
    TokenFile(tokens_dir(store.path), name).remove()
    return account, removed
