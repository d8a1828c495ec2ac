"""Accounts on news servers: adding one (its credentials checked by logging in), removing one; subscribing and
unsubscribing on one (written to the cache and its outbox at once, sent to the server by the next sync).

The cache keeps an account's API, server, user name and settings; never its password or token (the token
goes to a file of its own, see :mod:`pozirk_reader.core.sync.credentials`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from pozirk_reader.core.article.hygiene import clean_text, fold_spaces, shorten
from pozirk_reader.core.config import AccountSettings
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.limits import MAX_HEADLINE_CHARS, MAX_URL_CHARS
from pozirk_reader.core.store.accounts import Account, AccountKind, Subscription
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.sync.connect import make_client, password_source, tokens_dir
from pozirk_reader.core.sync.credentials import TokenFile
from pozirk_reader.core.sync.http import check_server_url
from pozirk_reader.core.web.urls import is_http_url

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
    account = _account(store, name)
    with store.syncing() as tx:
        removed = tx.remove_account(account.id)
    TokenFile(tokens_dir(store.path), name).remove()
    return account, removed


def subscribe(store: Store, name: str, feed_url: str, title: str | None = None) -> Subscription:
    """Subscribe account ``name`` to ``feed_url``: a source in the cache now (its articles come once the server
    has it), and a change for the next sync to push. Raises :class:`ReaderError` (one line)."""
    account = _account(store, name)
    url = feed_url.strip()
    if not is_http_url(url) or len(url) > MAX_URL_CHARS:
        raise ReaderError(f"{feed_url[:80]!r}: give the feed's http(s) address")
    if not account.kind.subscribes:
        raise ReaderError(f"{name}: the Fever API cannot subscribe; subscribe in the server's own interface")
    if any(feed.feed_url == url for feed in store.accounts.feeds(account.id)):
        raise ReaderError(f"{name}: subscribed to {url} already")
    named = shorten(fold_spaces(clean_text(title)), MAX_HEADLINE_CHARS) if title else None
    with store.syncing() as tx:
        source_id = tx.queue_subscribe(account.id, account.location_prefix, url, named or None)
    (added,) = [feed for feed in store.accounts.feeds(account.id) if feed.source_id == source_id]
    return added


def unsubscribe(store: Store, name: str, feed: str) -> tuple[Subscription, int]:
    """Unsubscribe account ``name`` from ``feed`` (its URL, title or the server's id): its source and articles
    leave the cache now, and the next sync tells the server. Returns it and how many articles went."""
    account = _account(store, name)
    if not account.kind.subscribes:
        raise ReaderError(f"{name}: the Fever API cannot unsubscribe; unsubscribe in the server's own interface")
    wanted = feed.strip()
    found = [f for f in store.accounts.feeds(account.id) if wanted in (f.feed_url, f.title, f.remote_id)]
    if not found:
        raise ReaderError(f"{name}: not subscribed to {wanted!r} (see `pozirk-reader accounts list {name}`)")
    with store.syncing() as tx:
        removed = tx.queue_unsubscribe(found[0].source_id)
    return found[0], removed


def _account(store: Store, name: str) -> Account:
    account = store.accounts.named(name)
    if account is None:
        raise ReaderError(f"no account named {name!r} (see `pozirk-reader accounts list`)")
    return account
