"""A client for an account: its API's, with its credentials (the token file beside the cache, the password's source)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from pozirk_reader.core.config import AccountSettings
from pozirk_reader.core.store.accounts import Account, AccountKind
from pozirk_reader.core.sync.client import Client
from pozirk_reader.core.sync.credentials import TOKENS_DIR, Credentials, PasswordSource, TokenFile


def tokens_dir(cache: Path) -> Path:
    """The folder of token files: ``tokens/`` beside the cache file (never inside it)."""
    return cache.parent / TOKENS_DIR


def password_source(name: str, settings: Mapping[str, object], configured: AccountSettings | None) -> PasswordSource:
    """Where ``name``'s password comes from: the config's table for it, else the account's settings, else the default."""
    env = settings.get("password_env")
    return PasswordSource(
        name,
        command=configured.password_command if configured else None,
        env=(configured.password_env if configured and configured.password_env else None)
        or (env if isinstance(env, str) else None),
    )


def make_client(
    kind: AccountKind,
    name: str,
    base_url: str,
    username: str,
    token_file: TokenFile,
    password: Callable[[], str],
) -> Client:
    """The client of ``kind``'s API for one account."""
    from pozirk_reader.core.sync.fever import FeverClient
    from pozirk_reader.core.sync.greader import GReaderClient

    credentials = Credentials(token_file, password)
    if kind is AccountKind.FEVER:
        return FeverClient(name, base_url, username, credentials)
    return GReaderClient(name, base_url, username, credentials)


def client_for(
    account: Account,
    cache: Path,
    configured: Mapping[str, AccountSettings],
    environ: Mapping[str, str] | None = None,
) -> Client:
    """The client of a stored account: token file beside ``cache``, password as the config (or default) says."""
    source = password_source(account.name, account.settings, configured.get(account.name))
    token_file = TokenFile(tokens_dir(cache), account.name)
    return make_client(
        account.kind, account.name, account.base_url, account.username, token_file, lambda: source.password(environ)
    )
